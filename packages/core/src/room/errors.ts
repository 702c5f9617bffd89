/** A published event was not reflected by the channel in time. */
export class PublishTimeoutError extends Error {
  override name = 'PublishTimeoutError';
  constructor(readonly submissionId: string) {
    super(`The channel did not reflect message ${submissionId} in time`);
  }
}

/** The channel refused a message, or the channel was closed before it answered. */
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
