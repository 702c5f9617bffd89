import * as Y from 'yjs';
import { EventRejectedError } from '../events/rejection.js';
import { PublishError } from '../room/errors.js';

/** Options of {@link UpdateQueue}. */
export interface UpdateQueueOptions {
  /** Least milliseconds between two batches; updates made meanwhile gather into the next. */
  batchInterval: number;
  /** Batches awaiting acknowledgement before sending pauses. */
  maxInFlight: number;
  /** Sends one merged update; resolves when the channel acknowledged it. */
  send: (update: Uint8Array) => Promise<void>;
  /** Called whenever the number of unacknowledged changes changes. */
  onCountChange: (count: number) => void;
  /**
   * Most bytes of updates merged into one batch (a single larger update goes alone). Default:
   * 48 KiB, so a batch's stanza stays under the 64 KB that ejabberd 23.01 relays slowly.
   */
  maxBatchBytes?: number;
  /** A batch the room can never take (over the event size limit) was dropped. */
  onRefused?: (error: Error) => void;
}

/**
 * When batches leave. `leading`: a lone update leaves at once, and later ones gather for the
 * rest of `interval` (the durable lane alone). `trailing`: updates gather until `pause` ms pass
 * without one, `interval` ms after the first, or `bytes` have gathered (commits behind a live
 * lane, [YP13]): a heavy load commits often and in small pieces, a slow one rarely.
 */
export type QueueCadence =
  { kind: 'leading'; interval: number } | { kind: 'trailing'; interval: number; pause: number; bytes: number };

interface Batch {
  update: Uint8Array;
  /** The change of each local update merged into it. */
  changes: number[];
  abandoned: boolean;
}

/** Updates merged per call of `Y.mergeUpdates`: merging many tiny updates at once is quadratic (yjs#710). */
const MERGE_CHUNK = 64;

/**
 * Holds local Yjs updates until the channel has acknowledged them. An update leaves at once
 * (after the current microtask queue, so what one change does travels together) unless a batch left
 * less than a batch interval ago; then it waits, and what gathers meanwhile is merged into
 * one update. At most `maxInFlight` batches await acknowledgement (so the send rate follows
 * what the server keeps up with), and failed batches are put back.
 */
export class UpdateQueue {
  #pending: Batch[] = [];
  #inFlight = new Set<Batch>();
  /** Unacknowledged updates of each change. */
  #changes = new Map<number, number>();
  #lastChange = 0;
  #paused = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushQueued = false;
  #lastFlush = -Infinity;
  #cadence: QueueCadence;
  /** When the oldest and the newest waiting update were added (trailing cadence). */
  #firstWaiting = -Infinity;
  #lastAdded = -Infinity;
  /** Bytes of the updates waiting. */
  #waitingBytes = 0;
  #destroyed = false;

  constructor(private readonly options: UpdateQueueOptions) {
    this.#cadence = { kind: 'leading', interval: options.batchInterval };
  }

  /**
   * Changes not yet acknowledged: what a person did, which may span many updates (a stroke
   * streams dozens); each update is its own change unless added as continuing the last.
   */
  get count(): number {
    return this.#changes.size;
  }

  /** Updates are waiting and will leave once the batch interval or an acknowledgement allows. */
  get sendingSoon(): boolean {
    return !this.#paused && this.#pending.length > 0;
  }

  /** Queues a local update: a new change, or more of the last one when `continuesChange`. */
  add(update: Uint8Array, continuesChange = false): void {
    if (this.#destroyed) return;
    const now = performance.now();
    if (this.#pending.length === 0) this.#firstWaiting = now;
    this.#lastAdded = now;
    const change = continuesChange && this.#lastChange > 0 ? this.#lastChange : ++this.#lastChange;
    this.#pending.push({ update, changes: [change], abandoned: false });
    this.#waitingBytes += update.length;
    this.#track([change], 1);
    this.#schedule();
  }

  /** Changes when batches leave, from the next batch on. */
  setCadence(cadence: QueueCadence): void {
    this.#cadence = cadence;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule();
  }

  /** Sends what waits now, whatever the cadence (the page is going away). */
  flushNow(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flush();
  }

  /** Stops sending (offline); updates keep gathering. */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  resume(): void {
    if (this.#destroyed) return;
    this.#paused = false;
    this.#schedule();
  }

  /** After a new session: batches awaiting acknowledgement may be lost, so send them again. */
  retryInFlight(): void {
    const batches = [...this.#inFlight];
    this.#inFlight.clear();
    for (const batch of batches) batch.abandoned = true;
    this.#pending.unshift(...batches.map((batch) => ({ ...batch, abandoned: false })));
    for (const batch of batches) this.#waitingBytes += batch.update.length;
    this.#schedule();
  }

  destroy(): void {
    this.#destroyed = true;
    this.pause();
    this.#pending = [];
    this.#waitingBytes = 0;
    this.#inFlight.clear();
    this.#changes.clear();
  }

  #schedule(): void {
    if (this.#paused || this.#flushQueued || this.#pending.length === 0) return;
    if (this.#inFlight.size >= this.options.maxInFlight) return; // an acknowledgement reschedules
    const now = performance.now();
    if (this.#cadence.kind === 'trailing') {
      // Every update moves the batch's departure to `pause` after it, up to `interval` after the
      // first. A timer already set is left alone (no timer per update): when it fires it looks
      // again and waits the rest, unless enough bytes gathered to leave at once.
      const { bytes } = this.#cadence;
      if (this.#timer !== undefined && this.#waitingBytes < bytes) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#trailingDue(), Math.max(0, this.#trailingDueAt() - now));
      return;
    }
    if (this.#timer !== undefined) return;
    const wait = this.#lastFlush + this.#cadence.interval - now;
    if (wait <= 0) {
      // A lone keystroke leaves now: batching only ever delays the second of two quick changes.
      this.#flushQueued = true;
      queueMicrotask(() => {
        this.#flushQueued = false;
        this.#flush();
      });
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
  }

  /** When the waiting batch leaves, with the trailing cadence. */
  #trailingDueAt(): number {
    if (this.#cadence.kind !== 'trailing') return -Infinity;
    const { interval, pause, bytes } = this.#cadence;
    if (this.#waitingBytes >= bytes) return -Infinity;
    return Math.min(this.#lastAdded + pause, this.#firstWaiting + interval);
  }

  #trailingDue(): void {
    this.#timer = undefined;
    const wait = this.#trailingDueAt() - performance.now();
    if (wait > 0 && this.#pending.length > 0) this.#timer = setTimeout(() => this.#trailingDue(), wait);
    else this.#flush();
  }

  #flush(): void {
    if (this.#paused || this.#pending.length === 0 || this.#inFlight.size >= this.options.maxInFlight) return;
    this.#lastFlush = performance.now();
    // Merge what fits in one batch; the rest waits for the next.
    const limit = this.options.maxBatchBytes ?? 48 * 1024;
    let bytes = 0;
    let end = 0;
    while (end < this.#pending.length && (end === 0 || bytes + this.#pending[end]!.update.length <= limit)) {
      bytes += this.#pending[end]!.update.length;
      end++;
    }
    const taken = this.#pending.slice(0, end);
    this.#pending = this.#pending.slice(end);
    this.#waitingBytes -= bytes;
    // What did not fit has waited as long as this batch: it leaves next.
    this.#firstWaiting = -Infinity;
    const batch: Batch = {
      update: merge(taken.map((b) => b.update)),
      changes: taken.flatMap((b) => b.changes),
      abandoned: false,
    };
    this.#inFlight.add(batch);
    this.options.send(batch.update).then(
      () => {
        if (batch.abandoned || this.#destroyed) return;
        this.#inFlight.delete(batch);
        this.#track(batch.changes, -1);
        this.#schedule();
      },
      (error: Error) => {
        if (batch.abandoned || this.#destroyed) return;
        this.#inFlight.delete(batch);
        if (error instanceof EventRejectedError || refusedForGood(error)) {
          // Too large for any event, or the room will not take this client's events (a
          // viewer's, [ACC2]): retrying can never succeed.
          this.#track(batch.changes, -1);
          this.options.onRefused?.(error);
        } else {
          this.#pending.unshift(batch);
          this.#waitingBytes += batch.update.length;
        }
        this.#schedule();
      },
    );
    this.#schedule();
  }

  /** Counts updates of each change in or out; the count is told when it moves. */
  #track(changes: readonly number[], delta: 1 | -1): void {
    const before = this.#changes.size;
    for (const change of changes) {
      const left = (this.#changes.get(change) ?? 0) + delta;
      if (left > 0) this.#changes.set(change, left);
      else this.#changes.delete(change);
    }
    if (this.#changes.size !== before) this.options.onCountChange(this.#changes.size);
  }
}

function merge(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  const merged: Uint8Array[] = [];
  for (let i = 0; i < updates.length; i += MERGE_CHUNK) merged.push(Y.mergeUpdates(updates.slice(i, i + MERGE_CHUNK)));
  return merge(merged);
}

/** The room refused the sender itself, not the moment: `forbidden` (a viewer) or `not-allowed`. */
function refusedForGood(error: Error): boolean {
  return error instanceof PublishError && (error.condition === 'forbidden' || error.condition === 'not-allowed');
}
