import { fromBase64, toBase64 } from 'lib0/buffer';
import { reject } from './rejection.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/** Decodes canonical base64 only: no whitespace, no missing padding, no other alphabet. */
export function decodeBase64(text: string): Uint8Array {
  if (!BASE64.test(text)) throw reject('invalid-payload', 'payload is not canonical base64');
  return fromBase64(text);
}
