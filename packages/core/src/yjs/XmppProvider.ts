import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type CaughtUp, requestCatchUp } from '../catchup/client.js';
import type { History, LiveEvent, RejectedEvent, Room, RoomEvent } from '../room/Room.js';
import type { ConnectionStatus } from '../connection/Connection.js';
import { EventRejectedError } from '../events/rejection.js';
import { checkYjsUpdate, yjsUpdate } from '../events/types/yjsUpdate.js';
import { ArchiveCursor } from '../room/ArchiveCursor.js';
import { ArchiveCoverage } from './ArchiveCoverage.js';
import { ANSWER_SAMPLE, countUnheld } from './answerCheck.js';
import { ChainTracker } from '../events/integrity.js';
import type { Participant } from '../room/participants.js';
import { newClientId, ownsClientId, shareablePart } from './clientIds.js';
import { AwarenessSync } from './AwarenessSync.js';
import { LiveLane } from './LiveLane.js';
import { UpdateQueue } from './UpdateQueue.js';

/** `{namespace}element` of the events this provider applies. */
const YJS_UPDATE_NAME = `{${yjsUpdate.namespace}}${yjsUpdate.element}`;

/**
 * Bytes of local updates after which a commit leaves without waiting for a pause ([YP13]):
 * under a heavy load every receiver decodes commits in small pieces rather than in long stalls.
 */
const COMMIT_BYTES = 4096;

/** Least wait, beyond two commit intervals, before committing another's live update whose commit never came. */
const RESCUE_MARGIN_MS = 1000;

/** Pause before a failed catch-up is tried again while the connection is online. */
const RETRY_MS = 1000;
/** Local edits closer together than this (ms) count as one change (Yjs's undo groups by the same). */
export const CHANGE_PAUSE = 500;

/** Where a provider stands, as y-websocket names it. */
export type ProviderStatus = 'disconnected' | 'connecting' | 'connected';

/** Events of an {@link XmppProvider}, following y-websocket's. */
export interface XmppProviderEvents {
  status: (event: { status: ProviderStatus }) => void;
  /** The document caught up with the channel (`true`), or fell behind (`false`). */
  sync: (synced: boolean) => void;
  synced: (synced: boolean) => void;
  /** The number of local updates not yet acknowledged by the channel changed. */
  unsynced: (count: number) => void;
  'connection-error': (error: Error) => void;
  /**
   * A remote update of this document was dropped: it failed validation (as the channel
   * reported it), or passed but could not apply to this document.
   */
  rejected: (rejection: RejectedEvent) => void;
  /** A catch-up finished, from a bot in one exchange or by paging the archive ([YP9]). */
  'catch-up': (result: CatchUpResult) => void;
  /**
   * The archive does not hold this document's events as their senders sent them ([INT3]):
   * some are missing, or one is there twice (it is not applied again). Changed events are
   * `rejected` with reason `tampered`. {@link XmppProvider.intact} turns false.
   */
  integrity: (report: IntegrityReport) => void;
}

/**
 * An archived event found missing or stored twice ([INT3]); a bot's catch-up answer that
 * lacks updates the archive holds before its cursor ([INT4]; the provider then reads the
 * whole archive); or local edits made before the first join, under a client id that is not
 * this participant's, which nobody accepts ([YJS4]: they stay in this document alone).
 */
export type IntegrityReport =
  | { kind: 'missing'; sender: Participant; chain: string; from: number; to: number }
  | { kind: 'duplicated'; sender: Participant; chain: string; seq: number; archiveId: string }
  | { kind: 'answer-lacks'; bot: string; unheld: number; sampled: number }
  | { kind: 'unshareable'; client: number; changes: number };

/** How a catch-up went. */
export interface CatchUpResult {
  source: 'bot' | 'archive';
  /** The bot that answered, or the last one asked before falling back to the archive. */
  bot: string | undefined;
  /** Requests sent: catch-up IQs to the bot, or archive pages. */
  requests: number;
  /** Why the bots were not used, when they were asked and the archive answered. */
  fallbackReason: string | undefined;
}

/** Options of {@link XmppProvider}. Every field is optional. */
export interface XmppProviderOptions {
  /** Document name within the channel ([ENV3]). Default: the channel's default document. */
  doc?: string;
  /** Awareness to share (cursors, names). Default: a new `Awareness` of the document. */
  awareness?: Awareness;
  /** Start syncing at once. Default: `true`. */
  connect?: boolean;
  /**
   * Milliseconds local updates gather before they are committed together to a room without a
   * live lane (a MIX channel). Default: 20.
   */
  batchInterval?: number;
  /**
   * Least milliseconds between two commits of local updates to the durable lane, in a room
   * whose live lane carries every update at once ([YP13]): one person drawing at 60 Hz writes
   * one archive row per second, not sixty. Default: 1,000.
   */
  commitInterval?: number;
  /**
   * With a live lane: milliseconds without a local change after which what waits is committed
   * (a pen lifted, a pause in typing), before `commitInterval` is up. Default: 300.
   */
  commitPause?: number;
  /**
   * With a live lane: least milliseconds between two live messages; a burst waits and merges.
   * Widened up to `maxLiveInterval` while the room's relay queues up ([YP15]). Default: 15.
   */
  liveInterval?: number;
  /** With a live lane: widest the live interval grows under congestion. Default: 250. */
  maxLiveInterval?: number;
  /** Update stanzas awaiting the channel's reflection before sending pauses. Default: 4. */
  maxInFlight?: number;
  /** Least milliseconds between two awareness-only stanzas. Default: 100. */
  awarenessInterval?: number;
  /** The same while quiet (hidden page, see {@link XmppProvider.setQuiet}). Default: 2,000. */
  quietAwarenessInterval?: number;
  /**
   * JIDs of bots trusted to serve catch-up ([YP9]): a bare JID is asked at the well-known
   * bot resource. Asked in order; when none answers, the provider pages the archive. A bot
   * can hand a client any state, so list only bots you run. Default: none.
   */
  bots?: readonly string[];
  /** Milliseconds to wait for a bot's answer before trying the next or the archive. Default: 5,000. */
  botTimeout?: number;
  /**
   * In browsers, go quiet while the page is hidden and back when it is visible.
   * Default: `true` where `document` exists.
   */
  followVisibility?: boolean;
}

/** Origin of transactions this provider applies, so it never sends them back. */
export type ProviderOrigin =
  { source: 'remote'; provider: XmppProvider } | { source: 'replay'; provider: XmppProvider };

/**
 * Syncs a `Y.Doc` and its awareness through an xsync channel, with y-websocket's interface
 * so existing bindings (y-codemirror.next, y-prosemirror) work unchanged.
 *
 * Local updates are merged per batch interval and sent with backpressure (at most
 * `maxInFlight` unacknowledged stanzas); awareness rides on update stanzas when it can.
 * Joining, and every new session after a failed stream resumption, catches up from the
 * channel archive after the last archive id known to be complete ([YP2]).
 */
export class XmppProvider extends ObservableV2<XmppProviderEvents> {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly room: Room;
  readonly #docName: string | undefined;
  readonly #bots: readonly string[];
  readonly #botTimeout: number;
  readonly #queue: UpdateQueue;
  readonly #live: LiveLane;
  #lastLocalUpdate = -Infinity;
  readonly #batchInterval: number;
  readonly #commitInterval: number;
  readonly #commitPause: number;
  readonly #cursor = new ArchiveCursor();
  readonly #awarenessSync: AwarenessSync;
  #quiet = false;
  /** The awareness was made here, so its 30 s check timer is ours to stop. */
  readonly #ownsAwareness: boolean;
  readonly #remoteOrigin: ProviderOrigin = { source: 'remote', provider: this };
  readonly #replayOrigin: ProviderOrigin = { source: 'replay', provider: this };
  #status: ProviderStatus = 'disconnected';
  #synced = false;
  #wanted = false;
  #catchingUp: Promise<void> | undefined;
  #buffered: RoomEvent[] = [];
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #coverage = new ArchiveCoverage();
  /** When each sender's last live update and last commit of this document arrived ([YP14]). */
  readonly #lastLive = new Map<string, number>();
  readonly #lastCommit = new Map<string, number>();
  #rescueTimer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;
  #destroyed = false;
  /** Senders' chains of this document as met ([INT3]). */
  #chains = new ChainTracker(false);
  /** Who sent each chain met, to say whose events went missing. */
  readonly #chainSenders = new Map<string, Participant>();
  #intact = true;
  /** The participant id the document's client id was last made for. */
  #participant: string | undefined;

  constructor(channel: Room, doc: Y.Doc, options: XmppProviderOptions = {}) {
    super();
    this.room = channel;
    this.doc = doc;
    this.#ownsAwareness = options.awareness === undefined;
    this.awareness = options.awareness ?? new Awareness(doc);
    this.#docName = options.doc;
    this.#bots = options.bots ?? [];
    this.#botTimeout = options.botTimeout ?? 5000;
    const batchInterval = options.batchInterval ?? 20;
    this.#batchInterval = batchInterval;
    this.#commitInterval = options.commitInterval ?? 1000;
    this.#commitPause = options.commitPause ?? 300;
    if ((options.followVisibility ?? true) && typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.#onVisibilityChange);
      this.#onVisibilityChange();
    }
    this.#queue = new UpdateQueue({
      batchInterval,
      maxInFlight: options.maxInFlight ?? 4,
      send: (update) => this.#send(update),
      onCountChange: (count) => this.emit('unsynced', [count]),
      // A single local change over the event size limit (YJS1) cannot travel; say so.
      onRefused: (error) => this.emit('connection-error', [error]),
    });
    this.#awarenessSync = new AwarenessSync({
      awareness: this.awareness,
      room: channel,
      docName: options.doc,
      batchInterval,
      interval: options.awarenessInterval ?? 100,
      quietInterval: options.quietAwarenessInterval ?? 2000,
      updateLeavingSoon: () => (this.#hasLiveLane ? this.#live.sendingSoon : this.#queue.sendingSoon),
      onError: (error) => this.emit('connection-error', [error]),
      onRejected: (rejection) => this.emit('rejected', [rejection]),
    });
    this.#live = new LiveLane({
      room: channel,
      docName: options.doc,
      takeAwareness: () => this.#awarenessSync.take(),
      interval: options.liveInterval ?? 15,
      maxInterval: Math.max(options.liveInterval ?? 15, options.maxLiveInterval ?? 250),
      onError: (error) => this.emit('connection-error', [error]),
    });
    doc.on('update', this.#onDocUpdate);
    doc.on('afterAllTransactions', this.#keepOwnClientId);
    this.#keepOwnClientId();
    if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      window.addEventListener('pagehide', this.#onPageHide);
    }
    if (options.connect ?? true) void this.connect();
  }

  /**
   * The page is closing or reloading: tell the others this client is gone now, rather than
   * leaving its cursor on their screens until the awareness timeout (30 s).
   */
  readonly #onPageHide = (): void => {
    if (!this.#wanted || this.room.connection.status !== 'online') return;
    // Edits that went live but wait for their commit must reach the archive before the page goes.
    this.#queue.flushNow();
    this.#awarenessSync.leave();
  };

  /** The room relays a live lane apart from its archive: a MUC room ([LANE1]); a MIX channel archives everything. */
  get #hasLiveLane(): boolean {
    return this.room.kind === 'muc';
  }

  /** Local updates go out on the live lane at once and are committed on the durable lane on its cadence. */
  #startSending(): void {
    this.#queue.setCadence(
      this.#hasLiveLane
        ? { kind: 'trailing', interval: this.#commitInterval, pause: this.#commitPause, bytes: COMMIT_BYTES }
        : { kind: 'leading', interval: this.#batchInterval },
    );
    this.#queue.resume();
    if (this.#hasLiveLane) this.#live.open();
    this.#awarenessSync.start();
  }

  #stopSending(): void {
    this.#queue.pause();
    this.#live.close();
    this.#awarenessSync.stop();
  }

  get status(): ProviderStatus {
    return this.#status;
  }

  /** The document holds everything the channel had when the last catch-up ended. */
  get synced(): boolean {
    return this.#synced;
  }

  /**
   * Local changes not yet acknowledged by the channel. A change is what a person did without
   * pausing for {@link CHANGE_PAUSE} ms (a stroke, a typed word), however many updates it took,
   * as Yjs's undo manager groups edits.
   */
  get unsyncedChanges(): number {
    return this.#queue.count;
  }

  /**
   * Every archived event of this document applied so far came as its sender sent it: none
   * changed (`tampered`), missing or stored twice ([INT2], [INT3]). A document that is synced
   * but not intact lacks what the archive lost.
   */
  get intact(): boolean {
    return this.#intact;
  }

  /**
   * Whether local edits go out under this participant's client id ([YJS4]): true from the
   * first join on, offline included. Edits made before it cannot be shared (they are
   * reported as `unshareable`): the elements stay read-only until then.
   */
  get identified(): boolean {
    return this.#participant !== undefined && ownsClientId(this.#participant, this.doc.clientID);
  }

  /** Archive id up to which every event is known to be applied. */
  get lastArchiveId(): string | undefined {
    return this.#cursor.complete;
  }

  /** Quiet while nobody looks: fewer awareness stanzas, and the connection marked inactive (XEP-0352). */
  get quiet(): boolean {
    return this.#quiet;
  }

  /** Enters or leaves quiet mode ([YP8]). Local edits are still sent at once. */
  setQuiet(quiet: boolean): void {
    if (quiet === this.#quiet) return;
    this.#quiet = quiet;
    this.#awarenessSync.setQuiet(quiet);
    this.room.connection.setActive(!quiet).catch((error: Error) => this.emit('connection-error', [error]));
  }

  readonly #onVisibilityChange = (): void => {
    this.setQuiet(document.visibilityState === 'hidden');
  };

  /** Starts syncing: joins the channel if needed, catches up from the archive, then follows live. */
  async connect(): Promise<void> {
    if (this.#destroyed || this.#wanted) return;
    this.#wanted = true;
    this.#listen('on');
    await this.#catchUp();
  }

  /** Stops syncing. Local edits keep accumulating and are sent after the next `connect()`. */
  disconnect(): void {
    if (!this.#wanted) return;
    this.#wanted = false;
    this.#listen('off');
    this.#stopSending();
    this.#cursor.interrupted();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    clearTimeout(this.#rescueTimer);
    this.#rescueTimer = undefined;
    this.#setSynced(false);
    this.#setStatus('disconnected');
  }

  /** Subscribes to (or unsubscribes from) the channel and connection events syncing needs. */
  #listen(method: 'on' | 'off'): void {
    const { room: channel } = this;
    channel[method]('event', this.#onEvent);
    channel[method]('live', this.#onLive);
    channel[method]('rejected', this.#onRejected);
    this.#awarenessSync.listen(method);
    channel.connection[method]('status', this.#onConnectionStatus);
    channel.connection[method]('restarted', this.#onRestarted);
  }

  /** Disconnects, tells others this client left, and releases every listener and timer. Idempotent. */
  override destroy(): void {
    if (this.#destroyed) return;
    if (this.#wanted && this.room.connection.status === 'online') {
      this.#queue.flushNow();
      this.#awarenessSync.leave();
    }
    this.disconnect();
    this.#destroyed = true;
    this.#queue.destroy();
    this.#live.close();
    this.doc.off('update', this.#onDocUpdate);
    this.doc.off('afterAllTransactions', this.#keepOwnClientId);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
      window.removeEventListener('pagehide', this.#onPageHide);
    }
    this.#awarenessSync.destroy();
    if (this.#ownsAwareness) this.awareness.destroy();
    super.destroy();
  }

  /**
   * Reads the archive after the cursor, then applies what arrived live meanwhile. A newer
   * catch-up (after a new session) supersedes a running one, whose requests may never be
   * answered.
   */
  #catchUp(): Promise<void> {
    const generation = ++this.#generation;
    const current = () => generation === this.#generation && this.#wanted;
    const run = (async () => {
      this.#setStatus('connecting');
      this.#setSynced(false);
      this.#buffered = [];
      try {
        // The join and the bot's catch-up leave in the same flight ([YP12]): a bot answers
        // only participants, so its answer comes after the join took effect, and whatever
        // the channel relays from then on is buffered below. Yjs updates are idempotent:
        // overlap is harmless ([YP2]).
        this.#keepOwnClientId();
        const joining =
          this.room.participantId === undefined ? this.room.join().then(() => this.#keepOwnClientId()) : undefined;
        // Awaited below, or watched once the bot has answered.
        void joining?.catch(() => undefined);
        const after = this.#cursor.complete;
        // A document with content before its first catch-up (restored from IndexedDB, or
        // edited before connecting) may hold edits the channel never saw ([YP4]).
        const hadState = after === undefined && this.doc.store.clients.size > 0;
        const fromBot = await this.#askBots(joining);
        if (!current()) return;
        const refusal = fromBot.caughtUp && this.#applyFromBot(fromBot.caughtUp, hadState);
        let last: string | undefined;
        if (fromBot.caughtUp && refusal === undefined) {
          // The bot's state covers chains up to places this client never saw.
          this.#chains = new ChainTracker(false);
          // The bot's answer proves the join took effect; its own answer, in the same flight,
          // tells the participant id that local edits need before they leave ([YJS4]).
          await joining;
          if (!current()) return;
          last = fromBot.caughtUp.last;
          this.#report('bot', fromBot.bot, fromBot.caughtUp.requests, undefined);
        } else {
          // The archive answers participants only.
          await joining;
          if (!current()) return;
          const history = await this.#readHistory(after);
          if (!current()) return;
          // Read from the archive's start, a chain met past its start lost its beginning.
          if (history.fromStart) this.#chains = new ChainTracker(true);
          this.#applyHistory(history, hadState);
          last = history.last;
          this.#report('archive', fromBot.bot, history.pages, refusal ?? fromBot.reason);
        }
        this.#cursor.caughtUp(last);
        const buffered = this.#buffered;
        this.#buffered = [];
        this.#catchingUp = undefined;
        for (const event of buffered) this.#applyLive(event);
        this.#reportGaps();
        this.#setSynced(true);
        this.#setStatus('connected');
        this.#startSending();
        if (fromBot.caughtUp && refusal === undefined && last !== undefined) {
          void this.#checkAnswer(fromBot.bot!, last, current);
        }
      } catch (error) {
        if (!current()) return;
        this.emit('connection-error', [error as Error]);
        this.#retryLater();
      }
    })();
    this.#catchingUp = run;
    void run.finally(() => {
      if (this.#catchingUp === run) this.#catchingUp = undefined;
    });
    return run;
  }

  /**
   * Asks each trusted bot in turn for what the document lacks, in one exchange whatever the
   * history's length ([CU2]). Errors and timeouts move on to the next bot.
   */
  async #askBots(joining?: Promise<unknown>): Promise<{ caughtUp?: CaughtUp; bot?: string; reason?: string }> {
    let reason: string | undefined;
    for (const bot of this.#bots) {
      try {
        return { caughtUp: await this.#askBot(bot, joining), bot };
      } catch (error) {
        reason = `${bot}: ${(error as { condition?: string }).condition ?? (error as Error).message}`;
      }
    }
    return { ...(this.#bots.length > 0 && { bot: this.#bots.at(-1) }), ...(reason !== undefined && { reason }) };
  }

  /** One bot's answer; asked again once the join is done if the bot did not see a participant yet. */
  async #askBot(bot: string, joining?: Promise<unknown>): Promise<CaughtUp> {
    const ask = () =>
      requestCatchUp(
        this.room.connection,
        bot,
        { channel: this.room.jid, doc: this.#docName, stateVector: Y.encodeStateVector(this.doc) },
        this.#botTimeout,
      );
    try {
      return await ask();
    } catch (error) {
      if (!joining || (error as { condition?: string }).condition !== 'forbidden') throw error;
      await joining;
      return ask();
    }
  }

  /**
   * Applies a bot's answer like any remote update: through the type's validation and the
   * reducer's guard. Returns why it was refused, if it was, so the archive is read instead.
   */
  #applyFromBot(caughtUp: CaughtUp, hadState: boolean): string | undefined {
    try {
      // Read through here; the reducer checks and applies only what the document lacks.
      const update = checkYjsUpdate(caughtUp.update);
      Y.transact(this.doc, () => yjsUpdate.reducer!.apply(this.doc, update), this.#replayOrigin);
    } catch (error) {
      if (error instanceof EventRejectedError) return `bot answer refused (${error.reason}): ${error.message}`;
      throw error;
    }
    this.#coverage.addStateVector(caughtUp.stateVector);
    // What the bot's state vector lacks is what the channel lacks ([YP4]).
    if (hadState) this.#publishOwnBeyond(Y.decodeStateVector(caughtUp.stateVector));
    return undefined;
  }

  /**
   * Reads back the archive's last events before the bot's cursor and checks that the bot's
   * answer held them ([INT4]). An answer that lacks some is reported, and the whole archive
   * is read and applied: Yjs updates are idempotent, so what the answer did hold is harmless.
   */
  async #checkAnswer(bot: string, last: string, current: () => boolean): Promise<void> {
    try {
      const sample = await this.room.history({ before: last, last: ANSWER_SAMPLE });
      if (!current()) return;
      const updates = sample.events
        .filter((event) => event.type === (yjsUpdate as unknown) && event.doc === this.#docName)
        .map((event) => event.payload as Uint8Array);
      const unheld = countUnheld(this.doc, updates);
      if (unheld === 0) return;
      this.#intact = false;
      this.emit('integrity', [{ kind: 'answer-lacks', bot, unheld, sampled: updates.length }]);
      const history = await this.#readHistory(undefined);
      if (!current()) return;
      this.#chains = new ChainTracker(true);
      this.#applyHistory(history, false);
      this.#reportGaps();
    } catch (error) {
      // The answer stands unchecked; the next catch-up checks again.
      if (current()) this.emit('connection-error', [error as Error]);
    }
  }

  #applyHistory(history: History, hadState: boolean): void {
    for (const rejection of history.rejected) this.#onRejected(rejection);
    if (hadState) this.#publishWhatTheChannelLacks(history.events);
    Y.transact(
      this.doc,
      () => {
        for (const event of history.events) this.#apply(event);
      },
      this.#replayOrigin,
    );
  }

  #report(source: CatchUpResult['source'], bot: string | undefined, requests: number, fallbackReason?: string): void {
    this.emit('catch-up', [{ source, bot, requests, fallbackReason }]);
  }

  /**
   * The archive after `after`; the whole archive if the server no longer knows that id
   * (XEP-0313 §5.1.2 item-not-found, after the archive was pruned). Yjs updates are
   * idempotent, so reading everything again is a full resync.
   */
  async #readHistory(after: string | undefined): Promise<History & { fromStart: boolean }> {
    if (after === undefined) return { ...(await this.room.history()), fromStart: true };
    try {
      return { ...(await this.room.history({ after })), fromStart: false };
    } catch (error) {
      if ((error as { condition?: string }).condition !== 'item-not-found') throw error;
      return { ...(await this.room.history()), fromStart: true };
    }
  }

  /**
   * Queues the part of the document the channel's full history does not hold: the state
   * vector of every archived update is what the channel has (YJS1 updates are contiguous
   * per client). Deletions travel in every such diff, so this runs only for documents that
   * had state before their first catch-up.
   */
  #publishWhatTheChannelLacks(events: RoomEvent[]): void {
    const known = new Map<number, number>();
    for (const event of events) {
      if (event.type !== (yjsUpdate as unknown) || event.doc !== this.#docName) continue;
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(event.payload as Uint8Array))) {
        if (clock > (known.get(client) ?? 0)) known.set(client, clock);
      }
    }
    this.#publishOwnBeyond(known);
  }

  /**
   * Queues what the document has beyond `known` under this participant's client ids, with
   * every deletion: structs of anyone else's would be refused ([YJS4]), and their authors
   * publish them.
   */
  #publishOwnBeyond(known: Map<number, number>): void {
    const participant = this.room.participantId;
    const target = new Map(known);
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      if (participant === undefined || !ownsClientId(participant, client)) target.set(client, clock);
    }
    this.#queue.add(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(target)));
  }

  /** A failed catch-up is retried when the connection is back online, or after a pause if it is. */
  #retryLater(): void {
    if (!this.#wanted) return;
    this.#setStatus('connecting');
    if (this.room.connection.status !== 'online' || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#wanted && !this.#synced) void this.#catchUp();
    }, RETRY_MS);
  }

  readonly #onEvent = (event: RoomEvent): void => {
    if (event.type !== (yjsUpdate as unknown) || event.doc !== this.#docName) return;
    if (this.#catchingUp) this.#buffered.push(event);
    else this.#applyLive(event);
  };

  // The live copy of an update: applied at once, whichever copy comes first ([YP13]).
  readonly #onLive = (event: LiveEvent): void => {
    if (event.type !== (yjsUpdate as unknown) || event.doc !== this.#docName) return;
    if (event.own) {
      if (event.sentAt !== undefined) this.#live.echoed(event.sentAt);
      return;
    }
    this.#integrate(event, this.#remoteOrigin);
    this.#lastLive.set(event.sender.id, performance.now());
    this.#scheduleRescue();
  };

  /**
   * Its sender commits a live update within its commit interval; if the commit never comes
   * (the sender crashed or went offline first), whoever saw it live commits it ([YP14]). A
   * sender counts as gone quiet once neither a live update nor a commit of its own has come
   * for two commit intervals and one to two seconds (at random, so that usually one client
   * commits): a sender still committing, however far behind a heavy load puts it, is left
   * to it. Only what the archive then still lacks is committed.
   */
  #scheduleRescue(): void {
    if (this.#rescueTimer !== undefined) return;
    const window = 2 * this.#commitInterval + RESCUE_MARGIN_MS * (1 + Math.random());
    const check = () => {
      this.#rescueTimer = undefined;
      if (!this.#synced || this.room.connection.status !== 'online') return;
      const now = performance.now();
      let quiet = false;
      let next = Infinity;
      for (const [sender, liveAt] of this.#lastLive) {
        if ((this.#lastCommit.get(sender) ?? -Infinity) > liveAt) {
          this.#lastLive.delete(sender);
        } else if (now - liveAt >= window) {
          quiet = true;
          this.#lastLive.delete(sender);
        } else next = Math.min(next, liveAt + window - now);
      }
      if (next !== Infinity) this.#rescueTimer = setTimeout(check, next);
      const participant = this.room.participantId;
      const lacking =
        quiet && participant !== undefined
          ? this.#coverage.lacking(
              this.doc,
              (client) => client !== this.doc.clientID && ownsClientId(participant, client),
            )
          : undefined;
      if (!lacking) return;
      this.room
        .publish(yjsUpdate, lacking, this.#docName === undefined ? {} : { doc: this.#docName })
        .catch((error: Error) => this.emit('connection-error', [error]));
    };
    this.#rescueTimer = setTimeout(check, window);
  }

  readonly #onRejected = (rejection: RejectedEvent): void => {
    if (rejection.payloadName !== YJS_UPDATE_NAME || rejection.doc !== this.#docName) return;
    if (rejection.reason === 'tampered') this.#intact = false;
    this.emit('rejected', [rejection]);
  };

  #applyLive(event: RoomEvent): void {
    this.#cursor.received(event.archiveId);
    if (!this.#checkChain(event)) return;
    this.#lastCommit.set(event.sender.id, performance.now());
    // What the archive holds matters only where live updates can miss it ([YP14]).
    if (this.#hasLiveLane) this.#coverage.addUpdate(event.payload as Uint8Array);
    // Our own reflection carries nothing new for this document.
    if (!event.own) this.#integrate(event, this.#remoteOrigin);
  }

  #apply(event: RoomEvent): void {
    if (event.type !== (yjsUpdate as unknown) || event.doc !== this.#docName) return;
    if (!this.#checkChain(event)) return;
    // What the archive holds matters only where live updates can miss it ([YP14]).
    if (this.#hasLiveLane) this.#coverage.addUpdate(event.payload as Uint8Array);
    this.#integrate(event, this.#replayOrigin);
  }

  /**
   * Follows the event's chain ([INT3]); `false` for an event the archive holds twice. Yjs
   * updates apply in any order, so a place met before whose archive id is forgotten is
   * applied again, harmlessly.
   */
  #checkChain(event: RoomEvent): boolean {
    if (!event.chain) return true;
    const chain = event.chain.id;
    this.#chainSenders.set(chain, event.sender);
    if (this.#chains.check(event.chain, event.archiveId) !== 'duplicated') return true;
    this.#intact = false;
    this.emit('integrity', [
      { kind: 'duplicated', sender: event.sender, chain, seq: event.chain.seq, archiveId: event.archiveId },
    ]);
    return false;
  }

  /** After a catch-up has read the archive up to now, the chain places still unmet are lost. */
  #reportGaps(): void {
    for (const { chain, from, to } of this.#chains.takeGaps()) {
      this.#intact = false;
      const sender = this.#chainSenders.get(chain) ?? { id: '' };
      this.emit('integrity', [{ kind: 'missing', sender, chain, from, to }]);
    }
  }

  /**
   * Applies a validated update through the type's reducer, which turns an update that still
   * fails inside this document into a `conflict`: reported, never thrown into the stream.
   * It runs inside this provider's transaction, so the document's `update` event carries
   * `origin` and the update is never sent back.
   */
  #integrate(event: RoomEvent | LiveEvent, origin: ProviderOrigin): void {
    try {
      Y.transact(this.doc, () => yjsUpdate.reducer!.apply(this.doc, event.payload as Uint8Array), origin);
    } catch (error) {
      if (!(error instanceof EventRejectedError)) throw error;
      const durable = 'archiveId' in event;
      this.emit('rejected', [
        {
          reason: error.reason,
          message: error.message,
          archiveId: durable ? event.archiveId : undefined,
          sender: event.sender,
          payloadName: YJS_UPDATE_NAME,
          doc: event.doc,
          source: durable ? event.source : 'live',
          lane: durable ? 'durable' : 'live',
        },
      ]);
    }
  }

  /**
   * Gives the document a client id of this participant ([YJS4]) once the room has said who
   * that is, and again whenever Yjs picks a random one (it does when a remote update carries
   * the current id). The awareness follows, as editors bindings find their own cursor by the
   * document's client id.
   */
  readonly #keepOwnClientId = (): void => {
    const participant = this.room.participantId;
    // A join that answers after destroy() must not touch a document handed back to its owner.
    if (this.#destroyed || participant === undefined) return;
    this.#participant = participant;
    if (ownsClientId(participant, this.doc.clientID)) return;
    const previous = this.doc.clientID;
    const client = newClientId(participant, this.doc.store.clients);
    this.doc.clientID = client;
    // Edits made before the participant was known carry an id nobody accepts from it.
    const unshareable = Y.getState(this.doc.store, previous);
    if (unshareable > 0) {
      this.#intact = false;
      this.emit('integrity', [{ kind: 'unshareable', client: previous, changes: unshareable }]);
    }
    const { awareness } = this;
    if (awareness.doc === this.doc && awareness.clientID !== client) {
      const state = awareness.getLocalState();
      awareness.setLocalState(null);
      awareness.clientID = client;
      // y-protocols drops a state at clock 0 from a client it has not met, as an Awareness
      // begins each client at 0: the state goes out at clock 1.
      if (state !== null) {
        awareness.setLocalState({});
        awareness.setLocalState(state);
      }
    }
  };

  readonly #onDocUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    if (origin === this.#remoteOrigin || origin === this.#replayOrigin) return;
    // Edits without a pause of CHANGE_PAUSE are one change to the person who made them.
    const now = performance.now();
    this.#queue.add(update, now - this.#lastLocalUpdate < CHANGE_PAUSE);
    this.#lastLocalUpdate = now;
    // Before the first join no edit can go out under this participant's id. A local edit
    // holds structs of the document's own client id alone, so only what was applied from
    // elsewhere (storage) needs reading through for others' structs.
    if (this.#participant === undefined) return;
    const live = transaction.local ? (this.identified ? update : undefined) : shareablePart(this.#participant, update);
    if (live) this.#live.add(live);
  };

  async #send(queued: Uint8Array): Promise<void> {
    const update = this.#participant === undefined ? queued : shareablePart(this.#participant, queued);
    if (!update) return;
    // With a live lane, awareness rides there; commits carry documents only.
    const awareness = this.#hasLiveLane ? undefined : this.#awarenessSync.take();
    await this.room.publish(yjsUpdate, update, {
      ...(this.#docName !== undefined && { doc: this.#docName }),
      ...(awareness && { awareness }),
    });
  }

  readonly #onConnectionStatus = (status: ConnectionStatus): void => {
    if (status === 'online') {
      if (this.#catchingUp) return;
      if (!this.#synced) {
        void this.#catchUp();
        return;
      }
      this.#setStatus('connected');
      this.#startSending();
    } else {
      this.#stopSending();
      this.#cursor.interrupted();
      this.#setStatus(status === 'connecting' ? 'connecting' : 'disconnected');
    }
  };

  // A new session after resumption failed: events may have been missed while away.
  readonly #onRestarted = (): void => {
    this.#queue.retryInFlight();
    void this.#catchUp();
  };

  #setStatus(status: ProviderStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.emit('status', [{ status }]);
  }

  #setSynced(synced: boolean): void {
    if (synced === this.#synced) return;
    this.#synced = synced;
    this.emit('sync', [synced]);
    this.emit('synced', [synced]);
  }
}
