import type { EventType } from './EventType.js';

/**
 * The two lanes of a room ([LANE1]): `durable` messages are archived, ordered and acknowledged;
 * `live` messages are relayed at once and never archived.
 */
export type Lane = 'durable' | 'live';

/** The lanes an event type rides: its own list, or the durable lane alone. */
export function lanesOf(type: EventType<never, unknown> | EventType<unknown, unknown>): readonly Lane[] {
  return type.lanes ?? ['durable'];
}
