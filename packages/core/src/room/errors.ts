import type { Element } from '../xml/index.js';

/** A published event was not reflected by the room in time. */
export class PublishTimeoutError extends Error {
  override name = 'PublishTimeoutError';
  constructor(readonly submissionId: string) {
    super(`The room did not reflect message ${submissionId} in time`);
  }
}

/** The room refused a message, or the room was closed before it answered. */
export class PublishError extends Error {
  override name = 'PublishError';
  constructor(
    /** XMPP error condition (RFC 6120 §8.3.3), or `closed`. */
    readonly condition: string,
    readonly submissionId: string,
  ) {
    super(`Message ${submissionId} was not published: ${condition}`);
  }
}

/** The defined condition of an error stanza (RFC 6120 §8.3.3). */
export function errorCondition(stanza: Element): string {
  const condition = stanza.getChild('error')?.children.find((child) => typeof child !== 'string');
  return typeof condition === 'object' ? condition.name : 'undefined-condition';
}
