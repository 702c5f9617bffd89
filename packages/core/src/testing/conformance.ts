import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { encodeBase64 } from '../events/base64.js';
import { createRegistry } from '../events/builtin.js';
import type { EventType } from '../events/EventType.js';
import { Replica } from '../events/Replica.js';
import { EventRejectedError } from '../events/rejection.js';
import type { ChannelInfo } from '../events/types/channelInfo.js';
import type { DomState } from '../events/types/dom/DomState.js';
import { decodeAwareness } from '../room/awareness.js';
import { readArchiveResult } from '../room/archive.js';
import type { RoomKindName, RoomMessage } from '../room/kind.js';
import { readMixMessage } from '../room/mix/message.js';
import { readMucMessage } from '../room/muc/protocol.js';
import { type EventVerdict, readEvent } from '../room/readEvent.js';
import { AwarenessHolders, clientsIn } from '../yjs/awarenessHolders.js';
// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import type { Element } from '../xml/index.js';

const parse = (text: string) => parseXml(text) as Element;

// Runs the protocol's conformance vectors (conformance/*.json, docs/protocol.md §15) against
// the one implementation of decoding and validation the rooms use.

/** Text as the vectors write it: a string, or parts joined, `{repeat, times}` repeating a string. */
export type VectorText = string | Array<string | { repeat: string; times: number }>;

export function textOf(text: VectorText): string {
  if (typeof text === 'string') return text;
  return text.map((part) => (typeof part === 'string' ? part : part.repeat.repeat(part.times))).join('');
}

/** The JIDs every vector's stanzas use. */
export const VECTOR_ROOMS = { muc: 'room@muc.example', mix: 'channel@mix.example' } as const;
/** The query id of archive results in history vectors. */
export const VECTOR_QUERY = 'q1';

/** One message as a receiver gets it, and what it must make of it. */
export interface EventVector {
  id: string;
  rules: string[];
  description: string;
  room: RoomKindName;
  source?: 'live' | 'history';
  stanza: VectorText;
  expect: Outcome;
}

/** Messages of one document in the order they arrive, and the state they must leave. */
export interface SequenceVector {
  id: string;
  rules: string[];
  description: string;
  room: RoomKindName;
  type: string;
  doc?: string;
  stanzas: VectorText[];
  expect: Outcome[];
  state: unknown;
}

/** An awareness sidecar ([AW1]) and what a receiver makes of it. */
export interface AwarenessVector {
  id: string;
  rules: string[];
  description: string;
  awareness: VectorText;
  expect: { verdict: 'accepted'; doc?: string | null } | { verdict: 'refused'; reason: string };
}

/** What is checked of a verdict: only the fields a vector gives. */
export interface Outcome {
  verdict: 'chat' | 'ignored' | 'accepted' | 'refused';
  reason?: string;
  type?: string;
  doc?: string | null;
  lane?: 'durable' | 'live';
  sender?: string;
  archiveId?: string;
  submissionId?: string | null;
  payload?: unknown;
  chain?: { id: string; seq: number };
  /** Sequences: whether the replica applied the event. */
  applied?: boolean;
}

/** Reads a stanza the way a room of that kind does, live or from its archive. */
export function readStanza(
  room: RoomKindName,
  text: VectorText,
  source: 'live' | 'history' = 'live',
): RoomMessage | undefined {
  const stanza = parse(textOf(text));
  const jid = VECTOR_ROOMS[room];
  if (source === 'history') {
    return readArchiveResult(stanza, jid, VECTOR_QUERY, (message, resultId, delay) => {
      if (room === 'muc') {
        const read = readMucMessage(message, jid, { resultId, delay });
        return read && { ...read, submissionId: undefined };
      }
      const read = readMixMessage(message, jid, delay);
      return read && { ...read, archiveId: resultId ?? read.archiveId };
    });
  }
  return room === 'muc' ? readMucMessage(stanza, jid) : readMixMessage(stanza, jid);
}

/** A payload in the form vectors write it. */
export function canonicalPayload(type: EventType<unknown>, payload: unknown): unknown {
  if (type.name === 'yjs-update') return encodeBase64(payload as Uint8Array);
  return JSON.parse(JSON.stringify(payload)) as unknown;
}

/** A document's state in the form vectors write it. */
export function canonicalState(type: EventType<unknown>, state: unknown, shape: unknown): unknown {
  if (type.name === 'dom-ops') return (state as DomState).toSpec();
  if (type.name === 'channel-info') return { ...(state as ChannelInfo) };
  if (type.name !== 'yjs-update') return JSON.parse(JSON.stringify(state)) as unknown;
  // A Yjs document: each root the vector names, read as its kind (`text:t`, `map:m`, `array:a`).
  const doc = state as Y.Doc;
  const roots: Record<string, unknown> = {};
  for (const key of Object.keys(shape as Record<string, unknown>)) {
    const [kind, name] = key.split(':') as [string, string];
    roots[key] =
      kind === 'text'
        ? doc.getText(name).toString()
        : kind === 'map'
          ? doc.getMap(name).toJSON()
          : doc.getArray(name).toJSON();
  }
  return roots;
}

/** What a receiver makes of one message, in the vectors' terms. */
export function outcomeOf(message: RoomMessage | undefined, verdict: EventVerdict | undefined): Outcome {
  if (!message || !verdict) return { verdict: 'ignored' };
  if (verdict.verdict === 'chat') return { verdict: 'chat' };
  if (verdict.verdict === 'refused') return { verdict: 'refused', reason: verdict.reason, doc: verdict.doc ?? null };
  return {
    verdict: 'accepted',
    type: verdict.type.name,
    doc: verdict.doc ?? null,
    lane: verdict.lane,
    sender: message.participantId,
    ...(verdict.lane === 'durable' && message.archiveId !== undefined && { archiveId: message.archiveId }),
    submissionId: message.submissionId ?? null,
    payload: canonicalPayload(verdict.type, verdict.payload),
    ...(verdict.chain && { chain: { id: verdict.chain.id, seq: verdict.chain.seq } }),
  };
}

/** Runs one event vector; returns the outcome, to compare with what the vector expects. */
export function runEvent(vector: EventVector): Outcome {
  const message = readStanza(vector.room, vector.stanza, vector.source);
  return outcomeOf(message, message && readEvent(createRegistry(), message, vector.room));
}

/** Runs a sequence: each message read and, when accepted, applied to one replica. */
export function runSequence(vector: SequenceVector): { outcomes: Outcome[]; state: unknown } {
  const registry = createRegistry();
  const type = registry.get(vector.type)!;
  const replica = new Replica(type, vector.doc);
  const outcomes = vector.stanzas.map((text) => {
    const message = readStanza(vector.room, text);
    const verdict = message && readEvent(registry, message, vector.room);
    const outcome = outcomeOf(message, verdict);
    if (!message || verdict?.verdict !== 'accepted' || message.archiveId === undefined) return outcome;
    const result = replica.apply({
      type: verdict.type,
      payload: verdict.payload,
      doc: verdict.doc,
      archiveId: message.archiveId,
      sender: { id: message.participantId },
      own: false,
      source: 'live',
      timestamp: undefined,
      ...(verdict.chain && { chain: verdict.chain }),
    });
    return result.applied ? { ...outcome, applied: true } : { ...outcome, applied: false, reason: result.reason };
  });
  return { outcomes, state: canonicalState(type, replica.state, vector.state) };
}

/** Runs an awareness vector. */
export function runAwareness(vector: AwarenessVector): AwarenessVector['expect'] {
  try {
    const { doc } = decodeAwareness(parse(textOf(vector.awareness)));
    return { verdict: 'accepted', doc: doc ?? null };
  } catch (error) {
    if (error instanceof EventRejectedError) return { verdict: 'refused', reason: error.reason };
    throw error;
  }
}

/** Awareness updates from several participants in the order they arrive, for one receiver ([AW5]). */
export interface AwarenessSequenceVector {
  id: string;
  rules: string[];
  description: string;
  /** The receiver's own awareness client id. */
  own: number;
  updates: Array<{ sender: string; awareness: VectorText }>;
  expect: AwarenessVector['expect'][];
  /** The client ids with a state at the end, ascending. */
  clients: number[];
}

/** Runs an awareness sequence: each update checked, then its holders, then applied. */
export function runAwarenessSequence(vector: AwarenessSequenceVector): {
  outcomes: AwarenessVector['expect'][];
  clients: number[];
} {
  const holders = new AwarenessHolders();
  const states = new Map<number, unknown>();
  const outcomes = vector.updates.map(({ sender, awareness }): AwarenessVector['expect'] => {
    let update: Uint8Array;
    let doc: string | undefined;
    try {
      ({ update, doc } = decodeAwareness(parse(textOf(awareness))));
    } catch (error) {
      if (error instanceof EventRejectedError) return { verdict: 'refused', reason: error.reason };
      throw error;
    }
    const verdict = holders.admit(sender, clientsIn(update), vector.own, (client) => states.has(client));
    if (!verdict.ok) return { verdict: 'refused', reason: verdict.reason };
    const decoder = decoding.createDecoder(update);
    for (let n = decoding.readVarUint(decoder); n > 0; n--) {
      const client = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
      if (state === null) states.delete(client);
      else states.set(client, state);
    }
    return { verdict: 'accepted', doc: doc ?? null };
  });
  return { outcomes, clients: [...states.keys()].sort((a, b) => a - b) };
}

/** Keeps the fields of `actual` that `expected` names, so a vector checks only what it states. */
export function pick<T extends object>(actual: T, expected: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof T] ?? null])) as Partial<T>;
}
