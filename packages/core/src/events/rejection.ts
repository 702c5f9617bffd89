/**
 * Why an incoming event was refused. Stable identifiers, listed in docs/protocol.md ([REJ1]).
 */
export const REJECTION_REASONS = [
  /** The `<event/>` envelope is not as the protocol requires (no payload, two payloads, bad attributes). */
  'malformed',
  /** No registered event type has the payload's namespace and element name. */
  'unknown-type',
  /** The payload exceeds the type's size limit. */
  'oversized',
  /** The payload nests deeper than the type's depth limit. */
  'too-deep',
  /** The payload does not decode to a valid value of its type (bad base64, truncated update, bad JSON). */
  'invalid-payload',
  /** The payload tries something the protocol forbids (prototype pollution, DOCTYPE, entities). */
  'forbidden',
  /** The payload is valid but cannot apply to the current state (a DOM operation on a missing node). */
  'conflict',
  /** The event came on a lane its type does not ride: unarchived, where the type must be archived ([LANE1]). */
  'wrong-lane',
  /** The payload speaks for a client id another participant holds (a Yjs client, [YJS4]; an awareness client, [AW5]). */
  'impersonation',
  /** The event's seal does not match what it carries: it was changed after it was sent ([INT2]). */
  'tampered',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Thrown by codecs and reducers to refuse an event; the channel turns it into a `rejected` event. */
export class EventRejectedError extends Error {
  override name = 'EventRejectedError';
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}

/** Shorthand for codecs: `throw reject('invalid-payload', 'bad base64')`. */
export function reject(reason: RejectionReason, message: string): EventRejectedError {
  return new EventRejectedError(reason, message);
}
