import * as Y from 'yjs';
import type { Room } from '../room/Room.js';
import { yjsUpdate } from '../events/types/yjsUpdate.js';

/** Options of {@link LiveLane}. */
export interface LiveLaneOptions {
  room: Room;
  docName: string | undefined;
  /** The pending local awareness update, to ride along. */
  takeAwareness: () => Uint8Array | undefined;
  /**
   * Least milliseconds between two live messages: a change leaves at once unless one left
   * less than this ago; changes made meanwhile are merged into the next. The lane widens it
   * while the room's relay queues up (see {@link LiveLane.echoed}).
   */
  interval: number;
  /** Widest the interval grows under congestion. */
  maxInterval: number;
  onError: (error: Error) => void;
}

/** Queueing delay of the own echo (above the least echo seen) that counts as congestion. */
const CONGESTED_MS = 40;
/** Echoes remembered for the least echo delay: about a minute of drawing. */
const BASELINE_ECHOES = 4096;

/**
 * Sends local Yjs updates on the room's live lane the moment they happen ([YP13]): what one
 * turn of the event loop changed travels in one message, relayed at once and never archived,
 * and a burst is merged into at most one message per interval (a stroke at 60 Hz is never
 * held back by the default of 15 ms). The durable lane commits the same edits on its slower
 * cadence, so a lost live message costs only latency.
 */
export class LiveLane {
  readonly #options: LiveLaneOptions;
  #pending: Uint8Array[] = [];
  #open = false;
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Current least milliseconds between two live messages. */
  #interval: number;
  #baseline = new MinimumWindow(BASELINE_ECHOES);
  #smoothedDelay: number | undefined;
  /** Smoothed time between two live messages. */
  #smoothedGap: number | undefined;
  #lastWidened = -Infinity;

  constructor(options: LiveLaneOptions) {
    this.#options = options;
    this.#interval = options.interval;
  }

  /** Least milliseconds between two live messages now: the configured interval, or wider under congestion. */
  get interval(): number {
    return this.#interval;
  }

  /**
   * The room relayed back one of this lane's messages, sent at `sentAt` ([YP15]). Its delay
   * above the least seen is time spent queued (in the server's room, or in a busy client):
   * while that exceeds CONGESTED_MS and this lane sends as often as its interval lets it (a
   * stroke, not typing), the interval doubles, at most once per smoothed delay and up to
   * maxInterval, so fewer, larger messages drain the queue; once it clears, the interval
   * shrinks back by a tenth per echo. Changes made meanwhile are merged, never dropped, and a
   * lane whose changes come slower than its interval is never held back.
   */
  echoed(sentAt: number): void {
    const now = performance.now();
    const delay = now - sentAt;
    this.#baseline.add(delay);
    this.#smoothedDelay = this.#smoothedDelay === undefined ? delay : 0.8 * this.#smoothedDelay + 0.2 * delay;
    const queued = this.#smoothedDelay - this.#baseline.min;
    const { interval, maxInterval } = this.#options;
    const paced = (this.#smoothedGap ?? Infinity) <= 2 * this.#interval;
    if (queued > CONGESTED_MS && paced) {
      if (now - this.#lastWidened >= this.#smoothedDelay) {
        this.#interval = Math.min(maxInterval, this.#interval * 2);
        this.#lastWidened = now;
      }
    } else if (queued <= CONGESTED_MS) {
      this.#interval = Math.max(interval, this.#interval * 0.9);
    }
  }

  /** Updates are waiting for the end of this turn. */
  get sendingSoon(): boolean {
    return this.#open && this.#pending.length > 0;
  }

  /** Sends from now on (while online); updates made while closed wait for the durable lane alone. */
  open(): void {
    this.#open = true;
  }

  close(): void {
    this.#open = false;
    this.#pending = [];
    this.#smoothedDelay = undefined;
    this.#smoothedGap = undefined;
    this.#lastSent = -Infinity;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  add(update: Uint8Array): void {
    if (!this.#open) return;
    if (this.#pending.push(update) > 1 || this.#timer !== undefined) return;
    const wait = this.#lastSent + this.#interval - performance.now();
    if (wait <= 0) queueMicrotask(() => this.#flush());
    else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, wait);
    }
  }

  #flush(): void {
    const updates = this.#pending;
    this.#pending = [];
    if (!this.#open || updates.length === 0) return;
    const now = performance.now();
    const gap = now - this.#lastSent;
    if (Number.isFinite(gap))
      this.#smoothedGap = this.#smoothedGap === undefined ? gap : 0.8 * this.#smoothedGap + 0.2 * gap;
    this.#lastSent = now;
    const update = updates.length === 1 ? updates[0]! : mergeUpdates(updates);
    const { room, docName, takeAwareness, onError } = this.#options;
    const awareness = takeAwareness();
    room
      .broadcast(yjsUpdate, update, {
        ...(docName !== undefined && { doc: docName }),
        ...(awareness && { awareness }),
      })
      .catch(onError);
  }
}

/** Updates merged per call: merging many tiny updates at once is quadratic (yjs#710). */
const MERGE_CHUNK = 64;

function mergeUpdates(updates: Uint8Array[]): Uint8Array {
  if (updates.length <= MERGE_CHUNK) return Y.mergeUpdates(updates);
  const merged: Uint8Array[] = [];
  for (let i = 0; i < updates.length; i += MERGE_CHUNK) merged.push(Y.mergeUpdates(updates.slice(i, i + MERGE_CHUNK)));
  return mergeUpdates(merged);
}

/** The least of the last `size` values, in amortised constant time (a monotonic deque). */
class MinimumWindow {
  #values: Array<{ value: number; index: number }> = [];
  #head = 0;
  #count = 0;

  constructor(private readonly size: number) {}

  add(value: number): void {
    const index = this.#count++;
    while (this.#values.length > this.#head && this.#values.at(-1)!.value >= value) this.#values.pop();
    this.#values.push({ value, index });
    while (this.#values[this.#head]!.index <= index - this.size) this.#head++;
    if (this.#head > 1024) {
      this.#values = this.#values.slice(this.#head);
      this.#head = 0;
    }
  }

  get min(): number {
    return this.#values[this.#head]?.value ?? 0;
  }
}
