import {
  ArchiveCursor,
  Room,
  type RoomEvent,
  type RejectedEvent,
  type Connection,
  type EventTypeRegistry,
  yjsUpdate,
} from '@xsync/core';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { RoomState } from './RoomState.js';
import type { BotMetrics } from './metrics.js';
import { SnapshotCorruptError, type SnapshotStore } from './SnapshotStore.js';

/** Progress of a channel's initial replay from the archive. */
export interface ReplayProgress {
  channel: string;
  /** Archive items read so far. */
  done: number;
  /** Items the server says the replay covers, when it says. */
  total: number | undefined;
  finished: boolean;
}

/** Options of {@link RoomFollower}. */
export interface RoomFollowerOptions {
  connection: Connection;
  jid: string;
  registry: EventTypeRegistry;
  store: SnapshotStore | undefined;
  logger: Logger;
  metrics: BotMetrics;
  /** Documents (per type) a channel may hold. */
  maxDocuments: number;
  nick?: string;
  onProgress?: (progress: ReplayProgress) => void;
}

/** The state a catch-up answer is made of ([CU3]). */
export interface CatchUpState {
  update: Uint8Array;
  stateVector: Uint8Array;
  last: string | undefined;
}

/**
 * One channel the bot follows: its state rebuilt from a snapshot and the archive, then kept
 * current from the live stream, with catch-up answers and snapshots made from it.
 */
export class RoomFollower {
  readonly jid: string;
  readonly room: Room;
  state: RoomState;
  readonly #options: RoomFollowerOptions;
  readonly #log: Logger;
  #cursor = new ArchiveCursor();
  #replaying = true;
  #buffered: RoomEvent[] = [];
  #running: Promise<void> = Promise.resolve();
  #nextRefresh: Promise<void> | undefined;
  #eventsSinceSnapshot = 0;
  #snapshotting: Promise<void> | undefined;
  #startedFrom: { snapshot: string | undefined; replayed: number } | undefined;
  /** The XMPP session in which the archive was last read up to the live stream. */
  #readInSession: number | undefined;

  constructor(options: RoomFollowerOptions) {
    this.#options = options;
    this.jid = options.jid;
    this.#log = options.logger.child({ channel: options.jid });
    this.room = new Room(options.connection, {
      jid: options.jid,
      registry: options.registry,
      ...(options.nick !== undefined && { nick: options.nick }),
      // A room that is gone stays gone: the bot never creates one.
      create: false,
    });
    this.state = new RoomState(options.registry, options.maxDocuments);
    this.room.on('event', this.#onEvent);
    this.room.on('rejected', (rejection) => this.#reportRejection(rejection));
  }

  /** Archive id up to which every event is in the state. */
  get complete(): string | undefined {
    return this.#cursor.complete;
  }

  /** Where the last start began: the snapshot's archive id, and the archive items replayed after it. */
  get startedFrom(): { snapshot: string | undefined; replayed: number } | undefined {
    return this.#startedFrom;
  }

  /** Following the live stream, the initial replay done. */
  get ready(): boolean {
    return !this.#replaying;
  }

  /**
   * Restores the snapshot (if usable), joins, replays the archive after it, then follows
   * live. Live events that arrive meanwhile wait and are applied after the replay.
   */
  async start(): Promise<void> {
    let after = await this.#restoreSnapshot();
    await this.room.join();
    if (after !== undefined && !(await this.room.archiveHolds(after))) {
      // A room created again under the name (ejabberd), or an archive pruned: the snapshot is
      // of something else, and ejabberd would answer its position with the archive's start.
      this.#log.warn(
        { archiveId: after },
        'the archive does not hold the snapshot position; rebuilding from the start',
      );
      this.state = new RoomState(this.#options.registry, this.#options.maxDocuments);
      this.#cursor = new ArchiveCursor();
      after = undefined;
    }
    let replayed: { last: string | undefined; items: number };
    let snapshot = after;
    try {
      replayed = await this.#replay(after);
    } catch (error) {
      if ((error as { condition?: string }).condition !== 'item-not-found' || after === undefined) throw error;
      // The archive no longer knows the snapshot's id (pruned, or a different server): start over.
      this.#log.warn({ archiveId: after }, 'archive does not know the snapshot position; rebuilding from the start');
      this.state = new RoomState(this.#options.registry, this.#options.maxDocuments);
      this.#cursor = new ArchiveCursor();
      snapshot = undefined;
      replayed = await this.#replay(undefined);
    }
    this.#startedFrom = { snapshot, replayed: replayed.items };
    this.#reportGaps();
    this.#cursor.caughtUp(replayed.last);
    const buffered = this.#buffered;
    this.#buffered = [];
    this.#replaying = false;
    for (const event of buffered) this.#applyLive(event);
    this.#readInSession = this.#options.connection.session;
    // The replayed ids are settled: drop them from duplicate tracking and fold logs now.
    this.compact();
    this.#log.info({ items: replayed.items, documents: this.state.size, last: replayed.last }, 'following live');
  }

  async #restoreSnapshot(): Promise<string | undefined> {
    const { store, registry, maxDocuments } = this.#options;
    if (!store) return undefined;
    try {
      const snapshot = await store.load(this.jid);
      if (!snapshot) return undefined;
      this.state = RoomState.restore(
        registry,
        maxDocuments,
        snapshot.archiveId,
        snapshot.entries,
        snapshot.refusedDocuments,
      );
      this.#cursor.caughtUp(snapshot.archiveId);
      this.#log.info({ archiveId: snapshot.archiveId, documents: this.state.size }, 'snapshot restored');
      return snapshot.archiveId;
    } catch (error) {
      const reason = error instanceof SnapshotCorruptError ? error.message : `snapshot unusable: ${String(error)}`;
      const aside = await store.quarantine(this.jid);
      this.#log.warn({ reason, movedTo: aside }, 'snapshot rejected; rebuilding from the archive');
      this.#options.metrics.snapshotsRejected.inc();
      this.state = new RoomState(registry, maxDocuments);
      return undefined;
    }
  }

  async #replay(after: string | undefined): Promise<{ last: string | undefined; items: number }> {
    const { metrics, onProgress } = this.#options;
    let last = after;
    let items = 0;
    let total: number | undefined;
    for await (const page of this.room.historyPages(after === undefined ? {} : { after })) {
      total ??= page.count;
      for (const event of page.events) this.#apply(event);
      items += page.events.length + page.rejected.length;
      for (const rejection of page.rejected) this.#reportRejection(rejection);
      last = page.last ?? last;
      const newest = page.events.at(-1)?.timestamp;
      if (newest) metrics.replayLag.set({ channel: this.jid }, Math.max(0, (Date.now() - newest.getTime()) / 1000));
      onProgress?.({ channel: this.jid, done: items, total, finished: false });
    }
    metrics.replayLag.set({ channel: this.jid }, 0);
    onProgress?.({ channel: this.jid, done: items, total: total ?? items, finished: true });
    return { last, items };
  }

  #reportRejection(rejection: RejectedEvent): void {
    this.#options.metrics.rejected.inc({ reason: rejection.reason });
    const details = { reason: rejection.reason, sender: rejection.sender, id: rejection.archiveId };
    // A changed archive is the operator's business, not a participant's noise ([INT2]).
    if (rejection.reason === 'tampered') this.#log.warn(details, 'archived event was changed');
    else this.#log.debug(details, 'event rejected');
  }

  readonly #onEvent = (event: RoomEvent): void => {
    if (this.#replaying) this.#buffered.push(event);
    else this.#applyLive(event);
  };

  #applyLive(event: RoomEvent): void {
    this.#apply(event);
    this.#cursor.received(event.archiveId);
  }

  #apply(event: RoomEvent): void {
    const result = this.state.apply(event);
    if (result.applied) {
      this.#options.metrics.events.inc({ channel: this.jid });
      this.#eventsSinceSnapshot++;
    } else if (result.reason === 'duplicated') {
      this.#options.metrics.rejected.inc({ reason: result.reason });
      this.#log.warn({ id: event.archiveId, chain: event.chain?.id }, 'the archive holds this event twice');
    } else if (result.reason !== 'duplicate' && result.reason !== 'other-doc') {
      this.#options.metrics.rejected.inc({ reason: result.reason });
      this.#log.debug({ reason: result.reason, id: event.archiveId, type: event.type.name }, 'event not applied');
    }
  }

  /**
   * Reads the archive after the complete cursor, so the state holds every event archived
   * before this call. Calls while a read is running share the next one, which starts after
   * it: a read that began before the call could miss an event archived just before it ([CU3]).
   */
  refresh(): Promise<void> {
    this.#nextRefresh ??= (async () => {
      await this.#running.catch(() => undefined);
      this.#nextRefresh = undefined;
      this.#running = this.#readTail();
      await this.#running;
    })();
    return this.#nextRefresh;
  }

  async #readTail(): Promise<void> {
    const after = this.#cursor.complete;
    for await (const page of this.room.historyPages(after === undefined ? {} : { after })) {
      for (const event of page.events) this.#apply(event);
      this.#cursor.caughtUp(page.last);
    }
    this.#reportGaps();
  }

  /** Once the archive is read up to now, chain places still unmet are what it lacks ([INT3]). */
  #reportGaps(): void {
    for (const { doc, chain, from, to } of this.state.takeGaps()) {
      this.#options.metrics.missingEvents.inc({ channel: this.jid }, to - from + 1);
      this.#log.warn({ doc, chain, from, to }, 'the archive lacks events of this chain');
    }
  }

  /**
   * What a document with state vector `stateVector` lacks ([CU3]). A MUC room archives and
   * relays in one order, so once the entry of the requesting session (`sessionInRoom`) has
   * reached the bot, so has every event archived before it: the archive is read only in a MIX
   * channel, for a session the room has not shown, or when the bot's own stream broke and has
   * not been read after since. `undefined` when the state does not hold the document (more
   * documents than it keeps): the requester reads the archive instead.
   */
  async catchUp(
    doc: string | undefined,
    stateVector: Uint8Array,
    sessionInRoom = false,
  ): Promise<CatchUpState | undefined> {
    if (!(sessionInRoom && this.#liveStreamCovers())) await this.refresh();
    if (this.state.knows(yjsUpdate.name, doc) === 'unknown') return undefined;
    const document = this.state.yjsDoc(doc) ?? new Y.Doc();
    return {
      update: Y.encodeStateAsUpdate(document, stateVector),
      stateVector: Y.encodeStateVector(document),
      last: this.#cursor.complete,
    };
  }

  /**
   * The session was replaced: events may have been missed, so the tail is read again, after
   * joining again where membership ended with the session (MUC).
   */
  async resync(): Promise<void> {
    const session = this.#options.connection.session;
    if (this.room.participantId === undefined) await this.room.join();
    else await this.room.refreshParticipants();
    await this.refresh();
    this.#readInSession = session;
  }

  #liveStreamCovers(): boolean {
    return (
      this.room.kind === 'muc' &&
      this.room.participantId !== undefined &&
      this.#readInSession === this.#options.connection.session
    );
  }

  /** Events applied since the last snapshot. */
  get eventsSinceSnapshot(): number {
    return this.#eventsSinceSnapshot;
  }

  /** Folds settled events into checkpoints, bounding the rebuild logs. */
  compact(): void {
    const settled = this.#cursor.complete;
    if (settled !== undefined) this.state.compact(settled);
    this.#options.metrics.loggedEvents.set({ channel: this.jid }, this.state.loggedEvents);
  }

  /** Compacts and writes a snapshot covering the complete cursor. One write at a time. */
  snapshot(): Promise<void> {
    this.#snapshotting ??= (async () => {
      const { store, metrics } = this.#options;
      try {
        if (!store || this.#replaying) return;
        this.compact();
        const archiveId = this.#cursor.complete;
        const pending = this.#eventsSinceSnapshot;
        const entries = this.state.snapshot();
        if (!entries) {
          this.#log.debug('no snapshot: a document type has no state codec');
          return;
        }
        const bytes = await store.save({
          channel: this.jid,
          archiveId,
          savedAt: new Date(),
          entries,
          refusedDocuments: this.state.refusedDocuments,
        });
        this.#eventsSinceSnapshot -= pending;
        metrics.snapshotBytes.set({ channel: this.jid }, bytes);
        metrics.snapshots.inc();
        this.#log.debug({ archiveId, bytes }, 'snapshot saved');
      } finally {
        this.#snapshotting = undefined;
      }
    })();
    return this.#snapshotting;
  }

  /** Stops following; does not leave the channel. */
  stop(): void {
    this.room.destroy();
  }
}
