import type { Element } from '../xml/index.js';
import type { Lane } from './lanes.js';
import type { PayloadLimits } from './limits.js';

/**
 * Applies decoded payloads to a state, in channel order. Implementations must be
 * deterministic and atomic: throw `EventRejectedError('conflict', …)` and leave the
 * state untouched when a payload cannot apply, so every replica rejects it alike.
 */
export interface Reducer<State, Payload> {
  /** A fresh, empty state. */
  init(): State;
  /** Applies one payload and returns the new state (which may be the same object, mutated). */
  apply(state: State, payload: Payload): State;
  /** Turns a state into bytes and back, for snapshots and for rebuilding from a checkpoint. */
  readonly codec?: StateCodec<State>;
}

/**
 * A state's byte form. `decode` must throw on bytes it did not produce: snapshots come
 * from disk and are checked, never trusted.
 */
export interface StateCodec<State> {
  encode(state: State): Uint8Array;
  decode(bytes: Uint8Array): State;
}

/**
 * An event type: how one kind of payload travels as XML and how it is validated.
 * Register it with {@link EventTypeRegistry.register}.
 */
export interface EventType<Payload, State = unknown> {
  /** Unique, human-readable name, e.g. `yjs-update`. */
  readonly name: string;
  /** Versioned XML namespace of the payload element, e.g. `urn:xsync:yjs:1`. */
  readonly namespace: string;
  /** Local name of the payload element, e.g. `update`. */
  readonly element: string;
  /** Size and depth limits checked before {@link decode}. Default: 256 KiB of characters, depth 8. */
  readonly limits?: Partial<PayloadLimits>;
  /** Builds the payload element; its name and namespace must be {@link element} and {@link namespace}. */
  encode(payload: Payload): Element;
  /** Reads a payload element. Throws `EventRejectedError` for anything invalid; must not touch shared state. */
  decode(element: Element): Payload;
  /**
   * Checks that the participant the room stamped as sender (`senderId`: a MUC occupant id, a
   * MIX participant id, never anything the sender wrote) may send this payload, e.g. that it
   * speaks only for itself. Throws `EventRejectedError` (`impersonation`) if not.
   */
  authorize?(payload: Payload, senderId: string): void;
  /** A short line for the fallback `<body>` that ordinary XMPP clients show. */
  describe?(payload: Payload): string;
  /** Optional state machine for replicas and snapshots. */
  readonly reducer?: Reducer<State, Payload>;
  /**
   * Payloads reach the same state in any order (CRDT updates such as Yjs's). Replicas then
   * apply events as they arrive instead of in archive order ([ORD3]). Default: `false`.
   */
  readonly commutative?: boolean;
  /**
   * Lanes the type rides ([LANE1]): `durable` (archived, ordered, acknowledged) and `live`
   * (relayed at once, never archived). An event on a lane its type does not ride is refused
   * with `wrong-lane`. Default: `['durable']`.
   */
  readonly lanes?: readonly Lane[];
  /**
   * Its events belong to the channel as a whole, never to one of its documents: an envelope
   * that names a `doc` is refused as `malformed` ([ENV3]). Default: `false`.
   */
  readonly channelWide?: boolean;
}

/** Payload type of an event type. */
export type PayloadOf<T> = T extends EventType<infer P, unknown> ? P : never;

/** State type of an event type's reducer. */
export type StateOf<T> = T extends EventType<unknown, infer S> ? S : never;

/** Identity helper that infers the payload and state types of an event type literal. */
export function defineEventType<Payload, State = unknown>(type: EventType<Payload, State>): EventType<Payload, State> {
  return type;
}
