import {
  type Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import { NS_AWARENESS } from '../room/awareness.js';
import { AwarenessHolders, clientsIn } from './awarenessHolders.js';
import type { AwarenessMessage, RejectedEvent, Room } from '../room/Room.js';
import type { ParticipantChange, SessionChange } from '../room/participants.js';

/** Options of {@link AwarenessSync}. */
export interface AwarenessSyncOptions {
  awareness: Awareness;
  room: Room;
  /** Document name the awareness belongs to ([AW1]). */
  docName: string | undefined;
  /** Least wait before sending alone, so an update stanza can take it first ([AW3]). */
  batchInterval: number;
  /** Least milliseconds between two awareness-only stanzas. */
  interval: number;
  /** The same while quiet ([YP8]). */
  quietInterval: number;
  /** An update stanza is about to leave and can carry the awareness. */
  updateLeavingSoon: () => boolean;
  onError: (error: Error) => void;
  /** A remote awareness update was refused ([AW5]). */
  onRejected: (rejection: RejectedEvent) => void;
}

export { MAX_AWARENESS_CLIENTS } from './awarenessHolders.js';

/**
 * Shares the local awareness state through a room and applies remote ones: local changes
 * ride on the next update stanza when one leaves within the batch interval, otherwise they go
 * alone on the live lane, throttled ([AW3], [YP8]); a newcomer gets everyone's state at once
 * ([AW4]); states of participants who leave are dropped ([YP5]).
 */
export class AwarenessSync {
  readonly #options: AwarenessSyncOptions;
  readonly #origin = { source: 'remote-awareness' } as const;
  readonly #holders = new AwarenessHolders();
  #active = false;
  #quiet = false;
  #dirty = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSent = -Infinity;

  constructor(options: AwarenessSyncOptions) {
    this.#options = options;
    options.awareness.on('update', this.#onLocalUpdate);
  }

  /** Starts sending (after a catch-up), announcing the local state. */
  start(): void {
    this.#active = true;
    this.#dirty = true;
    this.#schedule();
  }

  /** Stops sending until the next {@link start}. */
  stop(): void {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  setQuiet(quiet: boolean): void {
    this.#quiet = quiet;
  }

  /** The pending local awareness update, for an update stanza to carry. */
  take(): Uint8Array | undefined {
    if (!this.#dirty) return undefined;
    this.#dirty = false;
    this.#lastSent = Date.now();
    const { awareness } = this.#options;
    return encodeAwarenessUpdate(awareness, [awareness.clientID]);
  }

  /** Sends the local state soon, changed or not. */
  #announce(): void {
    if (!this.#active || this.#options.awareness.getLocalState() === null) return;
    this.#dirty = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#lastSent = -Infinity;
    this.#schedule();
  }

  /** Tells the others this client is gone (its state set to null). */
  leave(): void {
    const { awareness } = this.#options;
    removeAwarenessStates(awareness, [awareness.clientID], 'leave');
    this.#sendNow();
  }

  /** Subscribes to (or unsubscribes from) the room's awareness and participant events. */
  listen(method: 'on' | 'off'): void {
    this.#options.room[method]('awareness', this.#onRemote);
    this.#options.room[method]('participants', this.#onParticipants);
    this.#options.room[method]('session', this.#onSession);
  }

  destroy(): void {
    this.stop();
    this.listen('off');
    this.#options.awareness.off('update', this.#onLocalUpdate);
  }

  readonly #onLocalUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this.#origin) return;
    const own = this.#options.awareness.clientID;
    if (![...added, ...updated, ...removed].includes(own)) return;
    this.#dirty = true;
    this.#schedule();
  };

  #schedule(): void {
    if (!this.#dirty || this.#timer !== undefined || !this.#active) return;
    const { batchInterval, interval, quietInterval } = this.#options;
    const wait = Math.max(batchInterval, this.#lastSent + (this.#quiet ? quietInterval : interval) - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#dirty || !this.#active) return;
      if (this.#options.updateLeavingSoon()) this.#schedule();
      else this.#sendNow();
    }, wait);
  }

  #sendNow(): void {
    const update = this.take();
    if (!update) return;
    const { room, docName, onError } = this.#options;
    room.sendAwareness(update, docName === undefined ? {} : { doc: docName }).catch(onError);
  }

  readonly #onRemote = (message: AwarenessMessage): void => {
    if (message.doc !== this.#options.docName) return;
    const { awareness } = this.#options;
    const sender = message.sender.id;
    const updated = clientsIn(message.update);
    // The room's echo of this client's own update.
    if (sender === this.#options.room.participantId && updated.includes(awareness.clientID)) return;
    const states = awareness.getStates();
    const verdict = this.#holders.admit(sender, updated, awareness.clientID, (client) => states.has(client));
    if (!verdict.ok) {
      this.#refuse(message, verdict.reason, verdict.message);
      return;
    }
    applyAwarenessUpdate(awareness, message.update, this.#origin);
  };

  #refuse(message: AwarenessMessage, reason: 'impersonation' | 'oversized', text: string): void {
    this.#options.onRejected({
      reason,
      message: text,
      archiveId: undefined,
      sender: message.sender,
      payloadName: `{${NS_AWARENESS}}awareness`,
      doc: message.doc,
      source: 'live',
      lane: 'live',
    });
  }

  /** Another tab or device of someone already present knows nobody's state either ([AW4]). */
  readonly #onSession = (change: SessionChange): void => {
    if (change.present && change.jid !== this.#options.room.connection.jid) this.#announce();
  };

  readonly #onParticipants = (change: ParticipantChange): void => {
    if (change.kind === 'joined') {
      // A newcomer knows nobody's state yet: everyone announces theirs at once ([AW4]),
      // rather than when it next changes or is renewed (15 s).
      if (change.participant.id !== this.#options.room.participantId) this.#announce();
      return;
    }
    if (change.kind !== 'left') return;
    const clients = this.#holders.release(change.id);
    if (clients.length > 0) removeAwarenessStates(this.#options.awareness, clients, this.#origin);
  };
}
