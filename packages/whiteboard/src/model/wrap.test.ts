import { describe, expect, it } from 'vitest';
import { charsThatFit, fitLines, wrapText } from './wrap.js';

describe('wrapping text for notes', () => {
  it('breaks at line breaks, then between words, and inside a word only when it alone is too long', () => {
    expect(wrapText('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrapText('first\nsecond line here', 11)).toEqual(['first', 'second line', 'here']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 10)).toEqual(['']);
    expect(wrapText('a\n\nb', 10)).toEqual(['a', '', 'b']);
  });

  it('keeps what fits, and marks a cut with an ellipsis', () => {
    expect(fitLines(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b…']);
    expect(fitLines(['a', 'b'], 2, 5)).toEqual(['a', 'b']);
    expect(fitLines(['abcdef', 'x'], 1, 4)).toEqual(['abc…']);
    expect(charsThatFit(140, 18)).toBe(14);
  });
});
