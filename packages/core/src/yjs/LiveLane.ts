import * as Y from 'yjs';
import type { Room } from '../room/Room.js';
import { yjsUpdate } from '../events/types/yjsUpdate.js';

/** Options of {@link LiveLane}. */
export interface LiveLaneOptions {
  room: Room;
  docName: string | undefined;
  /** The pending local awareness update, to ride along. */
  takeAwareness: () => Uint8Array | undefined;
  onError: (error: Error) => void;
}

/**
 * Sends local Yjs updates on the room's live lane the moment they happen ([YP13]): what one
 * turn of the event loop changed travels in one message, relayed at once and never archived.
 * The durable lane commits the same edits on its slower cadence, so a lost live message costs
 * only latency.
 */
export class LiveLane {
  readonly #options: LiveLaneOptions;
  #pending: Uint8Array[] = [];
  #open = false;

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
  }

  add(update: Uint8Array): void {
    if (!this.#open) return;
    if (this.#pending.push(update) === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const updates = this.#pending;
    this.#pending = [];
    if (!this.#open || updates.length === 0) return;
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
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
