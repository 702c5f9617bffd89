import { digest } from 'lib0/hash/sha256';
import * as Y from 'yjs';

/**
 * Yjs client ids that name their participant ([YJS4]). A client id is a 53-bit integer: its
 * high 32 bits are the first 32 bits of SHA-256 of the participant id the room stamps on
 * every message (a MUC occupant id, a MIX participant id), its low 21 bits are chosen by the
 * session. Whether a participant may publish a struct is so decided from the struct and the
 * stamp alone, the same way in every replica, the bot and a late joiner, with no table of who
 * used which id first. Forging another's prefix means finding a participant id with the same
 * 32 bits, and participant ids are assigned by the server.
 */

/** Low bits of a client id, chosen by each session. */
export const SESSION_BITS = 21;
const SESSIONS = 2 ** SESSION_BITS;

const prefixes = new Map<string, number>();
const encoder = new TextEncoder();

/** The high 32 bits every client id of `participantId` carries. */
export function clientIdPrefix(participantId: string): number {
  let prefix = prefixes.get(participantId);
  if (prefix === undefined) {
    const hash = digest(encoder.encode(participantId));
    prefix = ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
    // Participants of the rooms a process reads, bounded all the same.
    if (prefixes.size >= 10_000) prefixes.clear();
    prefixes.set(participantId, prefix);
  }
  return prefix;
}

/** Whether the Yjs client id `client` belongs to the participant `participantId`. */
export function ownsClientId(participantId: string, client: number): boolean {
  return Math.floor(client / SESSIONS) === clientIdPrefix(participantId);
}

/**
 * A new client id of `participantId`, none of `taken` (the ids a document already holds, so
 * that a new session never reuses an earlier one's clocks).
 */
export function newClientId(participantId: string, taken: { has(client: number): boolean }): number {
  const base = clientIdPrefix(participantId) * SESSIONS;
  const start = globalThis.crypto.getRandomValues(new Uint32Array(1))[0]! % SESSIONS;
  for (let step = 0; step < SESSIONS; step++) {
    const client = base + ((start + step) % SESSIONS);
    if (!taken.has(client)) return client;
  }
  throw new Error(`every client id of ${participantId} is taken`);
}

/**
 * The part of a local update that `participantId` may publish: its structs under the
 * participant's own client ids, and every deletion; `undefined` when nothing is left. What a
 * document holds of others (restored from storage) or from before the participant was known
 * would be refused whole ([YJS4]).
 */
export function shareablePart(participantId: string, update: Uint8Array): Uint8Array | undefined {
  const foreign = new Map<number, number>();
  for (const [client, clock] of Y.parseUpdateMeta(update).to) {
    if (!ownsClientId(participantId, client)) foreign.set(client, clock);
  }
  if (foreign.size === 0) return update;
  const part = Y.diffUpdate(update, Y.encodeStateVector(foreign));
  const { structs, ds } = Y.decodeUpdate(part);
  return structs.length > 0 || ds.clients.size > 0 ? part : undefined;
}
