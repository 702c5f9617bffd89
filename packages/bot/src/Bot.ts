import {
  BOT_RESOURCE,
  Connection,
  type ConnectionStatus,
  type Element,
  type EventTypeRegistry,
  createRegistry,
  readInvitation,
} from '@xsync/core';
import { ObservableV2 } from 'lib0/observable';
import { pino, type Logger } from 'pino';
import { RoomFollower, type ReplayProgress } from './RoomFollower.js';
import { CatchUpService, type CatchUpServiceOptions } from './CatchUpService.js';
import { type HealthServer, startHealthServer } from './HealthServer.js';
import { type BotMetrics, createMetrics } from './metrics.js';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inviterAllowed } from './invitations.js';
import { SnapshotStore } from './SnapshotStore.js';
import { fileTokenStore } from '@xsync/core/node';

/** Options of {@link Bot.start}. */
export interface BotOptions {
  /** `xmpp://host:port` (TCP). */
  service: string;
  domain?: string;
  username: string;
  password: string;
  /** Resource to bind. Default: `xsync-bot`, where clients look for a bot ([CU1]). */
  resource?: string;
  /** Bare JIDs of the channels to follow. */
  channels: readonly string[];
  /**
   * Follow channels on invitation (XEP-0407) from these bare JIDs or domains, `*` for
   * anyone. Followed invitations are remembered in `dataDir`. Default: none.
   */
  acceptInvitesFrom?: readonly string[];
  /** Rooms the bot follows on invitation at most; further invitations are ignored. Default: 100. */
  maxInvitedRooms?: number;
  /** Nick to join channels with. Default: `xsync-bot`. */
  nick?: string;
  /**
   * Directory for snapshots, followed invitations and the bot's FAST login token (a restart
   * logs in without the password exchange). Default: none (no snapshots; every start replays
   * the archive and logs in with the password).
   */
  dataDir?: string;
  /** Milliseconds between snapshot checks. Default: 30,000. */
  snapshotInterval?: number;
  /** Events after which a channel's snapshot is written at the next check. Default: 1. */
  snapshotAfterEvents?: number;
  /** Documents one channel may hold. Default: 100. */
  maxDocuments?: number;
  /** Event types to rebuild. Default: the built-in ones. */
  registry?: EventTypeRegistry;
  /** `/healthz` and `/metrics` on this loopback port; `0` picks a free one. Default: none. */
  httpPort?: number;
  /** Address the HTTP endpoints listen on. Default: `127.0.0.1`. */
  httpHost?: string;
  /** Catch-up service tuning. */
  catchUp?: Pick<CatchUpServiceOptions, 'partSize' | 'burst' | 'perSecond'>;
  logger?: Logger;
  /** Called as each channel's initial replay advances. */
  onProgress?: (progress: ReplayProgress) => void;
  /** Milliseconds between attempts while the server cannot be reached at start. Default: 1,000. */
  retryInterval?: number;
  /** Give up starting after this many milliseconds without a session. Default: never. */
  startTimeout?: number;
}

/** The bot's health, as `/healthz` reports it. */
export interface BotHealth {
  healthy: boolean;
  connection: ConnectionStatus;
  channels: Array<{ jid: string; ready: boolean; complete: string | undefined; documents: number }>;
}

/** Events of a {@link Bot}. */
export interface BotEvents {
  /** A channel's initial replay finished; the bot follows it live and answers for it. */
  following: (jid: string) => void;
  /** The bot stopped following a room that was destroyed, or that put it out, and dropped its state. */
  unfollowed: (jid: string, condition: string) => void;
}

/**
 * MUC reasons for leaving that end the bot's part in a room ([ACC4]): the room was destroyed,
 * the bot banned (301) or no longer a member of a members-only room (321). A kick (307) or a
 * server shutdown (332) are not final.
 */
const FINAL_REMOVALS = /^destroyed$|\b(301|321)\b/;

/**
 * A channel participant on Node that keeps each followed channel's state, answers catch-up
 * requests, writes snapshots and serves health and metrics. Its connection recovers on its
 * own: a resumed stream loses nothing, and a new session reads each channel's archive tail.
 */
export class Bot extends ObservableV2<BotEvents> {
  readonly connection: Connection;
  readonly metrics: BotMetrics;
  readonly logger: Logger;
  readonly #followers = new Map<string, RoomFollower>();
  readonly #options: BotOptions;
  readonly #store: SnapshotStore | undefined;
  readonly #catchUp: CatchUpService;
  #http: HealthServer | undefined;
  #snapshotTimer: ReturnType<typeof setInterval> | undefined;
  #compactTimer: ReturnType<typeof setInterval> | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(connection: Connection, options: BotOptions, logger: Logger, metrics: BotMetrics) {
    super();
    this.connection = connection;
    this.#options = options;
    this.logger = logger;
    this.metrics = metrics;
    this.#store = options.dataDir === undefined ? undefined : new SnapshotStore(`${options.dataDir}/snapshots`);
    this.#catchUp = new CatchUpService({
      connection,
      followers: this.#followers,
      logger: logger.child({ component: 'catch-up' }),
      metrics,
      ...options.catchUp,
    });
    connection.on('status', (status) => logger.info({ status }, 'connection'));
    connection.on('resumed', () => logger.info('stream resumed; nothing missed'));
    connection.on('restarted', () => {
      logger.warn('new session; reading the archive tail of every channel');
      for (const follower of this.#followers.values()) {
        follower.resync().catch((error: Error) => logger.error({ err: error, channel: follower.jid }, 'resync failed'));
      }
    });
    connection.on('error', (error) => logger.warn({ err: error }, 'connection error'));
    if ((options.acceptInvitesFrom ?? []).length > 0) connection.on('stanza', (stanza) => this.#onInvitation(stanza));
  }

  #onInvitation(stanza: Element): void {
    const invitation = readInvitation(stanza);
    if (!invitation || this.#followers.has(invitation.room) || this.#stopping) return;
    if (!inviterAllowed(invitation.inviter, this.#options.acceptInvitesFrom ?? [])) {
      this.logger.info(invitation, 'invitation ignored: inviter not allowed');
      return;
    }
    const invited = [...this.#followers.keys()].filter((jid) => !this.#options.channels.includes(jid)).length;
    if (invited >= (this.#options.maxInvitedRooms ?? 100)) {
      this.logger.warn(
        { ...invitation, invited },
        'invitation ignored: the bot follows as many invited rooms as it may',
      );
      return;
    }
    this.logger.info(invitation, 'invited');
    this.#follow(invitation.room, true).catch((error: Error) =>
      this.logger.error({ err: error, channel: invitation.room }, 'cannot follow'),
    );
  }

  /** Channels joined on invitation, listed in the data dir so a restart follows them again. */
  async #rememberInvitedChannels(): Promise<void> {
    if (this.#options.dataDir === undefined) return;
    const invited = [...this.#followers.keys()].filter((jid) => !this.#options.channels.includes(jid));
    await mkdir(this.#options.dataDir, { recursive: true });
    await writeFile(join(this.#options.dataDir, INVITED_FILE), `${JSON.stringify(invited, null, 2)}\n`);
  }

  /** Connects (retrying while the server is unreachable), then follows every configured channel. */
  static async start(options: BotOptions): Promise<Bot> {
    const logger = options.logger ?? pino({ name: 'xsync-bot' });
    const metrics = createMetrics();
    const connection = await connectWithRetry(options, logger);
    const bot = new Bot(connection, options, logger, metrics);
    try {
      if (options.httpPort !== undefined) {
        bot.#http = await startHealthServer({
          host: options.httpHost ?? '127.0.0.1',
          port: options.httpPort,
          health: () => bot.health(),
          metrics: metrics.registry,
        });
        logger.info({ url: bot.#http.url }, 'health and metrics');
      }
      for (const jid of new Set([...options.channels, ...(await invitedChannels(options))])) {
        try {
          await bot.follow(jid);
        } catch (error) {
          // Destroyed while the bot was away: its state goes, the other rooms are served.
          const { condition } = error as { condition?: string };
          if (condition !== 'item-not-found' && condition !== 'gone') throw error;
          await bot.#forgetGone(jid);
        }
      }
      bot.#snapshotTimer = setInterval(() => void bot.#maintain(), options.snapshotInterval ?? 30_000);
      bot.#snapshotTimer.unref?.();
      // Bounds what order-dependent documents keep for rebuilding to a few seconds of events.
      bot.#compactTimer = setInterval(() => {
        for (const follower of bot.#followers.values()) follower.compact();
      }, COMPACT_INTERVAL);
      bot.#compactTimer.unref?.();
    } catch (error) {
      await bot.stop();
      throw error;
    }
    return bot;
  }

  /** Channels followed, by JID. */
  get followers(): ReadonlyMap<string, RoomFollower> {
    return this.#followers;
  }

  /** URL of the health and metrics endpoints, when enabled. */
  get httpUrl(): string | undefined {
    return this.#http?.url;
  }

  /** Starts following a channel: restores its snapshot, replays its archive, then follows live. */
  follow(jid: string): Promise<RoomFollower> {
    return this.#follow(jid, false);
  }

  async #follow(jid: string, invited: boolean): Promise<RoomFollower> {
    const existing = this.#followers.get(jid);
    if (existing) return existing;
    const follower = new RoomFollower({
      connection: this.connection,
      jid,
      registry: this.#options.registry ?? createRegistry(),
      store: this.#store,
      logger: this.logger,
      metrics: this.metrics,
      maxDocuments: this.#options.maxDocuments ?? 100,
      nick: this.#options.nick ?? BOT_RESOURCE,
      ...(this.#options.onProgress && { onProgress: this.#options.onProgress }),
    });
    this.#followers.set(jid, follower);
    this.metrics.channels.set(this.#followers.size);
    follower.room.on('removed', (condition) => {
      if (FINAL_REMOVALS.test(condition)) void this.#unfollow(jid, condition);
    });
    try {
      await follower.start();
    } catch (error) {
      follower.stop();
      this.#followers.delete(jid);
      this.metrics.channels.set(this.#followers.size);
      throw error;
    }
    this.#updateGauges();
    if (invited) await this.#rememberInvitedChannels();
    this.emit('following', [jid]);
    return follower;
  }

  /** Stops following a room and deletes its snapshot, so nothing of it comes back ([ACC4]). */
  async #unfollow(jid: string, condition: string): Promise<void> {
    const follower = this.#followers.get(jid);
    if (!follower) return;
    follower.stop();
    this.#followers.delete(jid);
    this.metrics.channels.set(this.#followers.size);
    this.#updateGauges();
    await this.#dropState(jid, condition);
  }

  /** A room found gone when the bot came to follow it. */
  #forgetGone(jid: string): Promise<void> {
    return this.#dropState(jid, 'item-not-found');
  }

  async #dropState(jid: string, condition: string): Promise<void> {
    try {
      await this.#store?.remove(jid);
      await this.#rememberInvitedChannels();
    } catch (error) {
      this.logger.error({ err: error, channel: jid }, 'cannot drop the state of a room left for good');
    }
    this.logger.info({ channel: jid, condition }, 'room left for good; its state dropped');
    this.emit('unfollowed', [jid, condition]);
  }

  health(): BotHealth {
    const channels = [...this.#followers.values()].map((follower) => ({
      jid: follower.jid,
      ready: follower.ready,
      complete: follower.complete,
      documents: follower.state.size,
    }));
    const healthy = this.connection.status === 'online' && channels.every((channel) => channel.ready);
    return { healthy, connection: this.connection.status, channels };
  }

  /** Compacts every channel and writes the snapshots that are due. */
  async #maintain(force = false): Promise<void> {
    const due = this.#options.snapshotAfterEvents ?? 1;
    for (const follower of this.#followers.values()) {
      follower.compact();
      if (!follower.ready || (!force && follower.eventsSinceSnapshot < due)) continue;
      try {
        await follower.snapshot();
      } catch (error) {
        this.logger.error({ err: error, channel: follower.jid }, 'snapshot failed');
      }
    }
    this.#updateGauges();
  }

  /** Writes every channel's snapshot now. */
  flush(): Promise<void> {
    return this.#maintain(true);
  }

  #updateGauges(): void {
    let documents = 0;
    for (const follower of this.#followers.values()) documents += follower.state.size;
    this.metrics.documents.set(documents);
  }

  /** Flushes snapshots, stops answering, and closes the connection and HTTP server. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#snapshotTimer);
      clearInterval(this.#compactTimer);
      this.#catchUp.stop();
      if (this.#store) await this.flush();
      for (const follower of this.#followers.values()) follower.stop();
      await this.#http?.close();
      await this.connection.close();
      this.logger.info('stopped');
      super.destroy();
    })();
    return this.#stopping;
  }
}

const INVITED_FILE = 'invited-channels.json';
const COMPACT_INTERVAL = 5000;

async function invitedChannels(options: BotOptions): Promise<string[]> {
  if (options.dataDir === undefined || (options.acceptInvitesFrom ?? []).length === 0) return [];
  try {
    const list: unknown = JSON.parse(await readFile(join(options.dataDir, INVITED_FILE), 'utf8'));
    return Array.isArray(list) ? list.filter((jid): jid is string => typeof jid === 'string') : [];
  } catch {
    return [];
  }
}

async function connectWithRetry(options: BotOptions, logger: Logger): Promise<Connection> {
  const deadline = options.startTimeout === undefined ? Infinity : Date.now() + options.startTimeout;
  for (;;) {
    try {
      return await Connection.open({
        service: options.service,
        ...(options.domain !== undefined && { domain: options.domain }),
        username: options.username,
        password: options.password,
        resource: options.resource ?? BOT_RESOURCE,
        ...(options.dataDir !== undefined && { tokens: fileTokenStore(options.dataDir) }),
      });
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      logger.warn({ err: error, service: options.service }, 'cannot connect yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, options.retryInterval ?? 1000));
    }
  }
}
