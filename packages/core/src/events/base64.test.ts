import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import { EventRejectedError } from './rejection.js';

function rejectionOf(text: string): EventRejectedError | undefined {
  try {
    decodeBase64(text);
    return undefined;
  } catch (error) {
    if (error instanceof EventRejectedError) return error;
    throw error;
  }
}

describe('base64', () => {
  it('round-trips random bytes of every length up to 100, as standard padded base64', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = encodeBase64(bytes);
      // Node's encoder is the reference for RFC 4648 §4 with padding.
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });

  it('encodes the RFC 4648 test vectors', () => {
    const vectors = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    vectors.forEach((expected, length) => {
      const bytes = new TextEncoder().encode('foobar'.slice(0, length));
      expect(encodeBase64(bytes)).toBe(expected);
      expect(decodeBase64(expected)).toEqual(bytes);
    });
  });

  it('uses + and / for the high values', () => {
    expect(encodeBase64(Uint8Array.from([0xfb, 0xff]))).toBe('+/8=');
    expect(decodeBase64('+/8=')).toEqual(Uint8Array.from([0xfb, 0xff]));
  });

  it.each([
    ['a trailing newline', 'Zm9v\n'],
    ['a line break inside', 'Zm9v\nYmFy'],
    ['a leading space', ' Zm9v'],
    ['a space inside', 'Zm9v YmFy'],
    ['a tab', 'Zm9v\tYmFy'],
    ['no padding', 'Zg'],
    ['half the padding', 'Zg='],
    ['no padding (3 chars)', 'Zm8'],
    ['too much padding', 'Zm8=='],
    ['padding in the middle', 'Zg==Zm9v'],
    ['the url-safe alphabet', '-_8='],
    ['a lone character', 'Z'],
    ['characters outside the alphabet', 'Zm9v*A=='],
    ['non-ASCII characters', 'Zm9vé==='],
    ['only padding', '===='],
  ])('refuses input with %s as invalid-payload', (_, text) => {
    expect(rejectionOf(text)?.reason).toBe('invalid-payload');
  });
});
