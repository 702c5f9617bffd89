import type { ChannelEvent } from '../channel/Channel.js';
import type { EventType } from './EventType.js';
import { EventRejectedError } from './rejection.js';

/** Outcome of {@link Replica.apply}. */
export type ApplyResult =
  | { applied: true }
  | { applied: false; reason: 'other-type' | 'other-doc' | 'duplicate' }
  | { applied: false; reason: 'conflict'; message: string };

/**
 * The state of one document built by an event type's reducer from channel events in order.
 * Events of other types or documents are skipped, and so is an archive id seen last.
 */
export class Replica<Payload, State> {
  state: State;
  /** Archive id of the last event applied or refused: where to resume. */
  lastArchiveId: string | undefined;

  constructor(
    readonly type: EventType<Payload, State>,
    readonly doc?: string,
  ) {
    if (!type.reducer) throw new TypeError(`Event type ${type.name} has no reducer`);
    this.state = type.reducer.init();
  }

  /** Applies one event; a payload its reducer refuses leaves the state untouched. */
  apply(event: ChannelEvent): ApplyResult {
    if (event.type !== (this.type as EventType<unknown>)) return { applied: false, reason: 'other-type' };
    if (event.doc !== this.doc) return { applied: false, reason: 'other-doc' };
    if (event.archiveId === this.lastArchiveId) return { applied: false, reason: 'duplicate' };
    this.lastArchiveId = event.archiveId;
    try {
      this.state = this.type.reducer!.apply(this.state, event.payload as Payload);
      return { applied: true };
    } catch (error) {
      if (error instanceof EventRejectedError) return { applied: false, reason: 'conflict', message: error.message };
      throw error;
    }
  }
}
