import * as decoding from 'lib0/decoding';
import { decodeBase64, encodeBase64 } from '../events/base64.js';
import { checkUntrustedJson } from '../events/json.js';
import { EventRejectedError, reject } from '../events/rejection.js';
import { type Element, textOf, xml } from '../xml/index.js';

/** Namespace of the awareness sidecar ([AW1]). */
export const NS_AWARENESS = 'urn:xsync:awareness:1';

/** Limits on one awareness update ([AW2]). */
export const AWARENESS_LIMITS = { maxSize: 16 * 1024, maxClients: 64, maxDepth: 16 } as const;

/** Builds `<awareness xmlns='urn:xsync:awareness:1' doc='…'>base64</awareness>`. */
export function encodeAwareness(update: Uint8Array, doc: string | undefined): Element {
  return xml('awareness', { xmlns: NS_AWARENESS, doc }, encodeBase64(update));
}

/**
 * Reads and checks an awareness sidecar: a y-protocols awareness update whose states are
 * JSON objects (or null), within the limits, without `__proto__` keys ([AW2]).
 */
export function decodeAwareness(element: Element): { update: Uint8Array; doc: string | undefined } {
  const text = textOf(element);
  if (text.length > AWARENESS_LIMITS.maxSize) throw reject('oversized', 'awareness update too large');
  const update = decodeBase64(text);
  try {
    const decoder = decoding.createDecoder(update);
    const clients = decoding.readVarUint(decoder);
    if (clients > AWARENESS_LIMITS.maxClients) throw reject('oversized', 'awareness update for too many clients');
    for (let i = 0; i < clients; i++) {
      decoding.readVarUint(decoder); // client id
      decoding.readVarUint(decoder); // clock
      checkState(JSON.parse(decoding.readVarString(decoder)) as unknown);
    }
    if (decoding.hasContent(decoder)) throw reject('invalid-payload', 'trailing bytes after awareness update');
  } catch (error) {
    if (error instanceof EventRejectedError) throw error;
    throw reject('invalid-payload', `not an awareness update: ${String(error)}`);
  }
  const doc = element.attrs.doc as string | undefined;
  return { update, doc };
}

function checkState(state: unknown): void {
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    throw reject('invalid-payload', 'awareness state must be an object or null');
  }
  checkUntrustedJson(state, AWARENESS_LIMITS.maxDepth);
}
