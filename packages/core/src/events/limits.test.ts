import { describe, expect, it } from 'vitest';
import { type Element, xml } from '../xml/index.js';
import { checkLimits } from './limits.js';
import { EventRejectedError } from './rejection.js';

const reasonOf = (payload: Element, maxSize: number, maxDepth: number): string | undefined => {
  try {
    checkLimits(payload, { maxSize, maxDepth });
    return undefined;
  } catch (error) {
    if (error instanceof EventRejectedError) return error.reason;
    throw error;
  }
};

/** A chain of `depth` elements named `n`. */
const chain = (depth: number): Element => (depth === 1 ? xml('n') : xml('n', {}, chain(depth - 1)));

describe('checkLimits', () => {
  it('counts element names, attribute names and values, and text', () => {
    // 'a' + 'b' + 'cd' + 'ef' = 6
    const payload = xml('a', { b: 'cd' }, 'ef');
    expect(reasonOf(payload, 6, 8)).toBeUndefined();
    expect(reasonOf(payload, 5, 8)).toBe('oversized');
  });

  it('sums sizes over the whole tree, leaving out namespace declarations', () => {
    // 'p' = 1; 'c1' + 'k' + 'v' = 4; 'c2' + 'txt' = 5; total 10 ('xmlns' and 'xmlns:s' declare)
    const payload = xml('p', { xmlns: 'urn:x' }, xml('c1', { k: 'v', 'xmlns:s': 'urn:s' }), xml('c2', {}, 'txt'));
    expect(reasonOf(payload, 10, 8)).toBeUndefined();
    expect(reasonOf(payload, 9, 8)).toBe('oversized');
  });

  it('counts characters, not UTF-16 units: an emoji is one', () => {
    // 'p' + 3 emoji + 'é' = 5
    const payload = xml('p', {}, '😀😀😀é');
    expect(reasonOf(payload, 5, 8)).toBeUndefined();
    expect(reasonOf(payload, 4, 8)).toBe('oversized');
  });

  it('counts numeric attribute values by their text', () => {
    expect(reasonOf(xml('a', { w: 12345 }), 7, 8)).toBeUndefined();
    expect(reasonOf(xml('a', { w: 12345 }), 6, 8)).toBe('oversized');
  });

  it('counts the payload element as depth 1', () => {
    expect(reasonOf(xml('only'), 100, 1)).toBeUndefined();
    expect(reasonOf(xml('only', {}, 'text is not depth'), 100, 1)).toBeUndefined();
    expect(reasonOf(xml('p', {}, xml('c')), 100, 1)).toBe('too-deep');
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    expect(reasonOf(chain(8), 1000, 8)).toBeUndefined();
    expect(reasonOf(chain(9), 1000, 8)).toBe('too-deep');
  });

  it('finds a deep branch beside shallow siblings', () => {
    const payload = xml('p', {}, xml('a'), xml('b', {}, chain(3)), xml('c'));
    expect(reasonOf(payload, 1000, 5)).toBeUndefined();
    expect(reasonOf(payload, 1000, 4)).toBe('too-deep');
  });

  it('refuses a huge single text node', () => {
    expect(reasonOf(xml('p', {}, 'x'.repeat(1_000_000)), 256 * 1024, 8)).toBe('oversized');
  });

  it('throws an EventRejectedError naming the limit', () => {
    expect(() => checkLimits(chain(3), { maxSize: 1000, maxDepth: 2 })).toThrow(/deeper than 2 elements/);
    expect(() => checkLimits(xml('abc'), { maxSize: 2, maxDepth: 2 })).toThrow(/larger than 2 characters/);
  });
});
