import { compareArchiveIds } from '../channel/archiveOrder.js';
import type { ChannelEvent } from '../channel/Channel.js';
import type { EventType } from './EventType.js';
import { EventRejectedError } from './rejection.js';

/** Outcome of {@link Replica.apply}. */
export type ApplyResult =
  | { applied: true; rebuilt: boolean }
  | { applied: false; reason: 'other-type' | 'other-doc' | 'duplicate' }
  | { applied: false; reason: 'conflict'; message: string };

interface LoggedEvent<Payload> {
  archiveId: string;
  payload: Payload;
}

/**
 * The state of one document, built by an event type's reducer from channel events.
 *
 * The state is always the one the archive order gives ([ORD1]), whatever order events arrive
 * in: live delivery may interleave concurrent events differently for each receiver ([ORD2]),
 * so for order-dependent types the replica keeps the events it applied and, when one arrives
 * that belongs before the last, rebuilds the state in archive order. Commutative types
 * ([ORD3]) are applied as they come and keep no log.
 */
export class Replica<Payload, State> {
  state: State;
  readonly #log: LoggedEvent<Payload>[] = [];
  readonly #seen = new Set<string>();
  #last: string | undefined;
  #rebuilds = 0;

  constructor(
    readonly type: EventType<Payload, State>,
    readonly doc?: string,
  ) {
    if (!type.reducer) throw new TypeError(`Event type ${type.name} has no reducer`);
    this.state = type.reducer.init();
  }

  /** Archive id of the latest event applied or refused, in archive order: where to resume. */
  get lastArchiveId(): string | undefined {
    return this.#last;
  }

  /** Times the state was rebuilt because an event arrived out of archive order. */
  get rebuilds(): number {
    return this.#rebuilds;
  }

  /** Applies one event; a payload its reducer refuses leaves the state untouched. */
  apply(event: ChannelEvent): ApplyResult {
    if (event.type !== (this.type as EventType<unknown>)) return { applied: false, reason: 'other-type' };
    if (event.doc !== this.doc) return { applied: false, reason: 'other-doc' };
    if (this.#seen.has(event.archiveId)) return { applied: false, reason: 'duplicate' };
    this.#seen.add(event.archiveId);
    const entry = { archiveId: event.archiveId, payload: event.payload as Payload };
    const late = this.#last !== undefined && compareArchiveIds(entry.archiveId, this.#last) < 0;
    if (!late || this.type.commutative) {
      if (!late) this.#last = entry.archiveId;
      if (!this.type.commutative) this.#log.push(entry);
      return this.#reduce(entry.payload, false);
    }
    // Arrived after events that follow it in the archive: replay everything in archive order.
    const index = this.#log.findIndex((logged) => compareArchiveIds(entry.archiveId, logged.archiveId) < 0);
    this.#log.splice(index, 0, entry);
    this.#rebuilds++;
    this.state = this.type.reducer!.init();
    let result: ApplyResult = { applied: true, rebuilt: true };
    for (const logged of this.#log) {
      const outcome = this.#reduce(logged.payload, true);
      if (logged === entry) result = outcome;
    }
    return result;
  }

  #reduce(payload: Payload, rebuilt: boolean): ApplyResult {
    try {
      this.state = this.type.reducer!.apply(this.state, payload);
      return { applied: true, rebuilt };
    } catch (error) {
      if (error instanceof EventRejectedError) return { applied: false, reason: 'conflict', message: error.message };
      throw error;
    }
  }
}
