import type { ChainPosition } from '../events/integrity.js';
import type { EventType } from '../events/EventType.js';
import { lanesOf } from '../events/lanes.js';
import type { EventTypeRegistry } from '../events/registry.js';
import type { RejectionReason } from '../events/rejection.js';
import type { Lane, RoomKindName, RoomMessage } from './kind.js';

/** What a receiver makes of one room message ([ENV1], [ENV2], [REJ1], [LANE1]). */
export type EventVerdict =
  /** Ordinary chat: the message holds no envelope. */
  | { verdict: 'chat' }
  | {
      verdict: 'accepted';
      type: EventType<unknown>;
      payload: unknown;
      doc: string | undefined;
      /** The lane it counts on: `live` for a live event, which has no place in the room's order. */
      lane: Lane;
      chain: ChainPosition | undefined;
    }
  | {
      verdict: 'refused';
      reason: RejectionReason;
      message: string;
      payloadName: string | undefined;
      doc: string | undefined;
    };

/**
 * Decodes and validates the event a room message carries, as every receiver must: one
 * envelope at most, its payload checked by its type ({@link EventTypeRegistry.decode}) with
 * the sender the room stamped, and its lane one its type rides. A MIX channel archives both
 * lanes, so there an event with an archive id counts as durable. Never throws.
 */
export function readEvent(
  registry: EventTypeRegistry,
  message: RoomMessage,
  kind: RoomKindName | undefined,
): EventVerdict {
  const [envelope, ...more] = message.envelopes;
  if (!envelope) return { verdict: 'chat' };
  if (more.length > 0) {
    return {
      verdict: 'refused',
      reason: 'malformed',
      message: 'a message holds one <event/> envelope at most',
      payloadName: undefined,
      doc: undefined,
    };
  }
  const decoded = registry.decode(envelope, message.participantId);
  if (!decoded.ok) {
    const { reason, message: text, payloadName, doc } = decoded;
    return { verdict: 'refused', reason, message: text, payloadName, doc };
  }
  const { type, payload, doc, chain } = decoded;
  const live = message.archiveId === undefined || (message.lane === 'live' && kind !== 'mix');
  if (live && !lanesOf(type).includes('live')) {
    return {
      verdict: 'refused',
      reason: 'wrong-lane',
      message: `${type.name} does not ride the live lane`,
      payloadName: `{${type.namespace}}${type.element}`,
      doc,
    };
  }
  return { verdict: 'accepted', type, payload, doc, lane: live ? 'live' : 'durable', chain };
}
