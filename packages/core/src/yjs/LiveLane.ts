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
   * less than this ago; changes made meanwhile are merged into the next.
   */
  interval: number;
  onError: (error: Error) => void;
}

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

  constructor(options: LiveLaneOptions) {
    this.#options = options;
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
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  add(update: Uint8Array): void {
    if (!this.#open) return;
    if (this.#pending.push(update) > 1 || this.#timer !== undefined) return;
    const wait = this.#lastSent + this.#options.interval - performance.now();
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
    this.#lastSent = performance.now();
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
