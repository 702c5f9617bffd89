import { compareArchiveIds } from './archiveOrder.js';

/**
 * Milliseconds after which a live event's archive id counts as complete: concurrent events
 * from other senders may arrive out of archive order ([ORD2]), but within milliseconds.
 */
export const SETTLE_MS = 1000;

/**
 * Tracks the archive id up to which every event is known to be applied, the point a
 * catch-up must start after ([YP2]). Live ids count only once they have settled, so an
 * interruption never skips an event that was about to arrive out of order.
 */
export class ArchiveCursor {
  #complete: string | undefined;
  #recent: Array<{ id: string; at: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  get complete(): string | undefined {
    this.#settle();
    return this.#complete;
  }

  /** A live event was applied. */
  received(id: string): void {
    this.#recent.push({ id, at: this.now() });
    this.#settle();
  }

  /** The live stream stopped: ids that had not settled are not trusted. */
  interrupted(): void {
    this.#settle();
    this.#recent = [];
  }

  /** A catch-up applied the archive up to `last`. */
  caughtUp(last: string | undefined): void {
    if (last !== undefined) this.#advance(last);
  }

  #settle(): void {
    const settled = this.now() - SETTLE_MS;
    while (this.#recent.length > 0 && this.#recent[0]!.at <= settled) this.#advance(this.#recent.shift()!.id);
  }

  #advance(id: string): void {
    if (this.#complete === undefined || compareArchiveIds(id, this.#complete) > 0) this.#complete = id;
  }
}
