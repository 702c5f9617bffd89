import { ObservableV2 } from 'lib0/observable';
import type { Connection } from '../connection/Connection.js';
import type { EventType } from '../events/EventType.js';
import type { EventTypeRegistry } from '../events/registry.js';
import { EventRejectedError, reject } from '../events/rejection.js';
import { createRegistry } from '../events/builtin.js';
import { lanesOf } from '../events/lanes.js';
import { type ChannelInfo, channelInfo } from '../events/types/channelInfo.js';
import type { ChainPosition } from '../events/integrity.js';
import { type Element, xml } from '../xml/index.js';
import { type ArchivePage, type HistoryQuery, archiveHolds, archivePages } from './archive.js';
import { readEvent } from './readEvent.js';
import { NS_AWARENESS, decodeAwareness, encodeAwareness } from './awareness.js';
import { discoverRoomKind, knownRoomKind, listRooms, rememberRoomKind, roomExists } from './discovery.js';
import { createChannelIq } from './mix/protocol.js';
import { type RoomSummary, type RoomSummaryOptions, roomSummary } from './summary.js';
import { PublishError, PublishTimeoutError } from './errors.js';
import { invitationMessage } from './invitation.js';
import type { Lane, RoomKindName, RoomMessage, RoomProtocol } from './kind.js';
import { MixProtocol } from './mix/MixProtocol.js';
import { MucProtocol } from './muc/MucProtocol.js';
import type { Participant, ParticipantChange } from './participants.js';
import { type RoomCreation, type RoomMember, type RoomRole, UnsupportedByRoomKindError } from './access.js';
import type {
  EventSource,
  RoomEvent,
  LiveEvent,
  RejectedEvent,
  RoomEvents,
  RoomOptions,
  PublishOptions,
  Published,
  History,
} from './types.js';

export type { HistoryQuery } from './archive.js';

/** Live messages remembered to recognise their echo; older ones count as others'. */
const LIVE_ECHOES = 256;

export type * from './types.js';

interface PendingPublish {
  resolve: (published: Published) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** The chain the event took its place in ([INT1]). */
  chain: string;
}

/**
 * A room carrying typed events: a MUC room (XEP-0045) or a MIX channel (XEP-0369), with a
 * durable lane in the room's order and archive (XEP-0313) and a live lane that is relayed and
 * never archived ([LANE1]). Everything above this class works the same on either kind.
 */
export class Room extends ObservableV2<RoomEvents> {
  readonly jid: string;
  readonly connection: Connection;
  readonly registry: EventTypeRegistry;
  readonly #nick: string | undefined;
  readonly #creation: RoomCreation;
  readonly #create: boolean;
  readonly #publishTimeout: number;
  readonly #fallbackBodyInterval: number;
  #lastFallbackBody = -Infinity;
  readonly #pending = new Map<string, PendingPublish>();
  /** This client's chain per type and document ([INT1]), with the session it began in. */
  readonly #chains = new Map<string, { id: string; seq: number; session: number }>();
  /** Submission ids of live messages sent and not yet echoed, with when they left (performance.now()). */
  readonly #liveSent = new Map<string, number>();
  readonly #participants = new Map<string, Participant>();
  #participantId: string | undefined;
  #joining: Promise<{ participantId: string }> | undefined;
  #joinedSession = 0;
  #kind: RoomKindName | undefined;
  #protocol: RoomProtocol | undefined;
  #resolving: Promise<RoomProtocol> | undefined;
  #destroyed = false;
  readonly #onStanza = (stanza: Element) => this.#receive(stanza);

  constructor(connection: Connection, options: RoomOptions) {
    super();
    this.connection = connection;
    this.jid = options.jid;
    this.registry = options.registry ?? createRegistry();
    this.#nick = options.nick;
    this.#creation = options.creation ?? {};
    this.#create = options.create ?? true;
    this.#kind = options.kind ?? knownRoomKind(options.jid);
    this.#publishTimeout = options.publishTimeout ?? 10_000;
    this.#fallbackBodyInterval = options.fallbackBodyInterval ?? 10_000;
    if (this.#kind) this.#protocol = this.#protocolOf(this.#kind);
    connection.on('stanza', this.#onStanza);
  }

  /**
   * Creates a room on a service and returns its bare JID: a MIX channel (XEP-0369 §7.3.2) or a
   * persistent, archived MUC room (XEP-0045 §10.1, [MUC1]) whose creator is its owner, with the
   * access asked for ([ACC1]: public by default; a MIX channel is always public), listed in the
   * service's directory if asked. The kind is the service's, found by service discovery when
   * not given. Creating a MUC room that exists already joins it and leaves again, and changes
   * nothing.
   */
  static async create(
    connection: Connection,
    service: string,
    name?: string,
    options: RoomCreation & { kind?: RoomKindName } = {},
  ): Promise<string> {
    const { kind } = options;
    if (kind) rememberRoomKind(service, kind);
    if ((kind ?? (await discoverRoomKind(connection, service))) === 'mix') {
      const result = await connection.request(createChannelIq(service, name));
      const created = result.getChild('create')?.attrs.channel as string | undefined;
      return `${created ?? name}@${service}`;
    }
    // A MUC room comes into being when someone enters it; the first to enter configures it.
    const jid = `${name ?? `room-${globalThis.crypto.randomUUID().slice(0, 12)}`}@${service}`;
    const { access, editors, listed } = options;
    const creation: RoomCreation = {
      ...(access !== undefined && { access }),
      ...(editors !== undefined && { editors }),
      ...(listed !== undefined && { listed }),
    };
    const room = new Room(connection, { jid, kind: 'muc', creation });
    try {
      await room.join();
      await room.leave();
    } finally {
      room.destroy();
    }
    return jid;
  }

  /** Bare JIDs of the rooms a service lists (disco#items). */
  static list(connection: Connection, service: string): Promise<string[]> {
    return listRooms(connection, service);
  }

  /** Whether a room exists (disco#info answers; `item-not-found` means it does not). */
  static exists(connection: Connection, jid: string): Promise<boolean> {
    return roomExists(connection, jid);
  }

  /**
   * Who is in a room and when it was last active, read without entering it: for a room list.
   * Parts the room does not tell this account are `undefined` (see {@link RoomSummary});
   * rejects when the room does not answer its disco#info (no such room) or an answer times out.
   *
   * ```ts
   * const { occupants, nicks, lastActivity } = await Room.summary(connection, 'design@conference.example.org');
   * ```
   */
  static summary(connection: Connection, jid: string, options?: RoomSummaryOptions): Promise<RoomSummary> {
    return roomSummary(connection, jid, options);
  }

  /** The room's kind, once known (given, or discovered by the first join or history read). */
  get kind(): RoomKindName | undefined {
    return this.#kind;
  }

  /**
   * Invites a user (or a bot) into this room: XEP-0407 in a MIX channel; in a MUC room a
   * mediated invitation while joined (in a members-only room it makes the invitee a member,
   * [ACC1]), a XEP-0249 direct one otherwise.
   */
  async invite(to: string): Promise<void> {
    const { kind } = await this.#resolve();
    const occupant = this.participantId !== undefined;
    await this.connection.send(invitationMessage(to, this.connection.bareJid, this.jid, kind, { occupant }));
  }

  /**
   * This client's participant id while joined. A MUC occupancy ends with the XMPP session
   * ([MUC4]): after a new session this is `undefined` until the room is joined again.
   */
  get participantId(): string | undefined {
    if (this.#protocol?.sessionBound && this.#joinedSession !== this.connection.session) return undefined;
    return this.#participantId;
  }

  /** Current participants by participant id. */
  get participants(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  /** This client's role while joined, where the room tells ([ACC2]: MUC rooms). */
  get role(): RoomRole | undefined {
    const id = this.participantId;
    return id === undefined ? undefined : this.#participants.get(id)?.role;
  }

  /**
   * Gives the account `jid` a role in the room, or takes its membership away (`none`): an
   * owner's act ([ACC2]). Editors become members; in a members-only or private room only
   * members enter. Viewers have no membership, so only a public room whose members alone
   * edit has them. Rejects with `RoomAccessError` when the room refuses (`forbidden`,
   * `not-allowed`), `UnsupportedByRoomKindError` in a MIX channel.
   */
  async setRole(jid: string, role: RoomRole | 'none'): Promise<void> {
    const protocol = await this.#resolve();
    if (!protocol.setRole) throw new UnsupportedByRoomKindError('Setting roles', protocol.kind);
    await protocol.setRole(jid, role);
  }

  /**
   * How the room is set up ([ACC1]): who enters, who edits, whether it is listed; an owner's
   * read (`RoomAccessError` `forbidden` for anyone else), `UnsupportedByRoomKindError` in a
   * MIX channel.
   */
  async settings(): Promise<Required<RoomCreation>> {
    const protocol = await this.#resolve();
    if (!protocol.settings) throw new UnsupportedByRoomKindError('Reading room settings', protocol.kind);
    return protocol.settings();
  }

  /** The room's owners and members, as an owner reads them ([ACC2]). */
  async members(): Promise<RoomMember[]> {
    const protocol = await this.#resolve();
    if (!protocol.members) throw new UnsupportedByRoomKindError('Listing members', protocol.kind);
    return protocol.members();
  }

  /**
   * Ends the room for everyone, with its archive: an owner's act ([ACC4]). Occupants are
   * told (`removed` with `destroyed`); a bot that follows the room drops its state.
   */
  async destroyRoom(reason?: string): Promise<void> {
    const protocol = await this.#resolve();
    if (!protocol.destroyRoom) throw new UnsupportedByRoomKindError('Destroying a room', protocol.kind);
    await protocol.destroyRoom(reason);
  }

  /**
   * The room's name and description ([INFO2]). A MUC room's are its configuration, which only
   * owners change and the server shows everyone; a MIX channel's are the latest
   * `channel-info` event in its archive ([INFO1]).
   */
  async info(): Promise<ChannelInfo> {
    const protocol = await this.#resolve();
    if (protocol.info) return protocol.info();
    const info: ChannelInfo = {};
    for await (const page of this.historyPages({ before: '' })) {
      for (const event of page.events.reverse()) {
        if (event.type !== (channelInfo as unknown)) continue;
        const payload = event.payload as ChannelInfo;
        info.name ??= payload.name;
        info.description ??= payload.description;
        if (info.name !== undefined && info.description !== undefined) return info;
      }
    }
    return info;
  }

  /**
   * Renames the room or changes its description ([INFO2]): in a MUC room an owner's act
   * (`RoomAccessError` `forbidden` for anyone else, enforced by the server); in a MIX channel
   * a `channel-info` event any participant may publish.
   */
  async setInfo(info: ChannelInfo): Promise<void> {
    const protocol = await this.#resolve();
    if (protocol.setInfo) await protocol.setInfo(info);
    else await this.publish(channelInfo, info);
  }

  /**
   * Whether the room delivers its messages to the session with this full JID, as far as this
   * client can tell: in a MUC room that session entered it (occupancy is per session, and the
   * room must disclose real JIDs); in a MIX channel its account is a participant (the channel
   * delivers to every session of an account). The `session` and `participants` events tell
   * of changes.
   */
  reaches(fullJid: string): boolean {
    const protocol = this.#protocol;
    if (!protocol || this.participantId === undefined) return false;
    if (protocol.sessionBound) return protocol.hasSession?.(fullJid) ?? false;
    const bare = fullJid.split('/')[0];
    for (const participant of this.#participants.values()) if (participant.jid === bare) return true;
    return false;
  }

  /** The room's wire protocol, discovering the kind first if needed. */
  #resolve(): Promise<RoomProtocol> {
    if (this.#protocol) return Promise.resolve(this.#protocol);
    this.#resolving ??= discoverRoomKind(this.connection, this.jid).then(
      (kind) => {
        this.#kind = kind;
        this.#protocol = this.#protocolOf(kind);
        return this.#protocol;
      },
      (error: Error) => {
        this.#resolving = undefined;
        throw error;
      },
    );
    return this.#resolving;
  }

  #protocolOf(kind: RoomKindName): RoomProtocol {
    return kind === 'mix'
      ? new MixProtocol(this.connection, this.jid, this.#nick)
      : new MucProtocol(this.connection, this.jid, this.#nick ?? this.connection.bareJid.split('@')[0]!, {
          ...this.#creation,
          create: this.#create,
        });
  }

  /** Joins the room and loads its participant list. Joining again is harmless. */
  join(): Promise<{ participantId: string }> {
    // Joins asked for while one is under way (several documents' providers on one room) share it.
    this.#joining ??= this.#join().finally(() => {
      this.#joining = undefined;
    });
    return this.#joining;
  }

  async #join(): Promise<{ participantId: string }> {
    // Sent at once when the kind is known, so a caller's next request follows it (YP12).
    const protocol = this.#protocol ?? (await this.#resolve());
    const { participantId, participants } = await protocol.join();
    this.#participantId = participantId;
    this.#joinedSession = this.connection.session;
    this.#setParticipants(participants);
    return { participantId };
  }

  /** Leaves the room (a MIX subscription ends for every session of the account). */
  async leave(): Promise<void> {
    await (await this.#resolve()).leave();
    this.#participantId = undefined;
    this.#participants.clear();
  }

  /** Reloads the participant list from the room. */
  async refreshParticipants(): Promise<ReadonlyMap<string, Participant>> {
    this.#setParticipants(await (await this.#resolve()).participants());
    return this.#participants;
  }

  #setParticipants(participants: Participant[]): void {
    this.#participants.clear();
    for (const participant of participants) this.#participants.set(participant.id, participant);
  }

  /**
   * Publishes an event on the durable lane. Resolves when the room reflects it, with the
   * archive id it was given; rejects with `EventRejectedError` if the payload breaks the
   * type's limits or the type does not ride this lane, `PublishError` if the room refuses it,
   * or `PublishTimeoutError`.
   */
  publish<Payload>(
    type: EventType<Payload, unknown>,
    payload: Payload,
    options: PublishOptions = {},
  ): Promise<Published> {
    let message: { stanza: Element; submissionId: string };
    const chainKey = `${type.name}\n${options.doc ?? ''}`;
    try {
      message = this.#message('durable', type, payload, options, this.#nextPosition(chainKey));
    } catch (error) {
      this.#breakChain(chainKey);
      return Promise.reject(error as Error);
    }
    const { stanza, submissionId } = message;
    return new Promise<Published>((resolve, reject) => {
      // An event that may not be archived leaves a gap: the next one starts a new chain.
      const timer = setTimeout(() => {
        this.#pending.delete(submissionId);
        this.#breakChain(chainKey);
        reject(new PublishTimeoutError(submissionId));
      }, this.#publishTimeout);
      this.#pending.set(submissionId, { resolve, reject, timer, chain: chainKey });
      this.connection.send(stanza).catch((error: Error) => {
        clearTimeout(timer);
        this.#pending.delete(submissionId);
        this.#breakChain(chainKey);
        reject(error);
      });
    });
  }

  /**
   * Sends an event on the live lane ([LANE2]): relayed to everyone in the room at once, never
   * archived, never acknowledged. Resolves once handed to the connection. A MIX channel
   * archives it all the same ([MIX2]).
   */
  async broadcast<Payload>(
    type: EventType<Payload, unknown>,
    payload: Payload,
    options: Omit<PublishOptions, 'body'> = {},
  ): Promise<void> {
    const { stanza, submissionId } = this.#message('live', type, payload, { ...options, body: false });
    this.#liveSent.set(submissionId, performance.now());
    if (this.#liveSent.size > LIVE_ECHOES) this.#liveSent.delete(this.#liveSent.keys().next().value!);
    await this.connection.send(stanza);
  }

  /**
   * Sends an awareness update on its own, on the live lane ([AW1]). Callers should throttle
   * these and piggyback on events where they can.
   */
  async sendAwareness(update: Uint8Array, options: { doc?: string } = {}): Promise<void> {
    if (this.#destroyed) throw new PublishError('closed', '');
    const protocol = await this.#resolve();
    await this.connection.send(protocol.message(randomId(), 'live', [encodeAwareness(update, options.doc)]));
  }

  /**
   * The next place in this client's chain for a type and document ([INT1]). A new session
   * starts a new chain: what the old one sent last may never have reached the archive.
   */
  #nextPosition(key: string): ChainPosition {
    let chain = this.#chains.get(key);
    if (!chain || chain.session !== this.connection.session) {
      chain = { id: randomId(), seq: 0, session: this.connection.session };
      this.#chains.set(key, chain);
    }
    chain.seq++;
    return { id: chain.id, seq: chain.seq };
  }

  /** A refused or lost event leaves a gap in its chain; the next event starts another. */
  #breakChain(key: string): void {
    this.#chains.delete(key);
  }

  #message<Payload>(
    lane: Lane,
    type: EventType<Payload, unknown>,
    payload: Payload,
    options: PublishOptions,
    chain?: ChainPosition,
  ): { stanza: Element; submissionId: string } {
    if (this.#destroyed) throw new PublishError('closed', '');
    if (!this.#protocol) throw new PublishError('not-joined', '');
    if (!lanesOf(type).includes(lane)) throw reject('wrong-lane', `${type.name} does not ride the ${lane} lane`);
    const envelope = this.registry.encode(type, payload, { doc: options.doc, ...(chain && { chain }) });
    const submissionId = randomId();
    const body = options.body === false ? undefined : (options.body ?? this.#fallbackBody(type, payload));
    const children = [
      ...(body === undefined ? [] : [xml('body', {}, body)]),
      envelope,
      ...(options.awareness === undefined ? [] : [encodeAwareness(options.awareness, options.doc)]),
    ];
    return { stanza: this.#protocol.message(submissionId, lane, children), submissionId };
  }

  #fallbackBody<Payload>(type: EventType<Payload, unknown>, payload: Payload): string | undefined {
    const now = Date.now();
    if (!type.describe || now - this.#lastFallbackBody < this.#fallbackBodyInterval) return undefined;
    this.#lastFallbackBody = now;
    return type.describe(payload);
  }

  /** Reads events from the room's archive, in order, paging as needed. */
  async history(query: HistoryQuery = {}): Promise<History> {
    const history: History = { events: [], rejected: [], last: undefined, pages: 0 };
    const pages: History[] = [];
    for await (const page of this.historyPages(query)) pages.push(page);
    if (query.last !== undefined || query.before !== undefined) pages.reverse();
    for (const page of pages) {
      history.events.push(...page.events);
      history.rejected.push(...page.rejected);
      history.last = page.last ?? history.last;
      history.pages++;
    }
    return history;
  }

  /**
   * The archive a page at a time as it arrives, for long histories: forwards oldest first,
   * or, with `last` or `before`, newest page first. Each page's `count` is the server's total
   * for the query, when it tells.
   */
  /**
   * Whether the room's archive holds the event with this archive id ([HIST7]): a room
   * destroyed and created again under its name, or an archive pruned, does not.
   */
  async archiveHolds(archiveId: string): Promise<boolean> {
    const protocol = await this.#resolve();
    return archiveHolds(this.connection, this.jid, archiveId, protocol.readArchived.bind(protocol));
  }

  async *historyPages(query: HistoryQuery = {}): AsyncGenerator<History & { count: number | undefined }> {
    const protocol = await this.#resolve();
    const read = protocol.readArchived.bind(protocol);
    for await (const page of archivePages(this.connection, this.jid, query, read)) yield this.#decodePage(page);
  }

  #decodePage(page: ArchivePage): History & { count: number | undefined } {
    const decoded: History & { count: number | undefined } = {
      events: [],
      rejected: [],
      last: undefined,
      pages: 1,
      count: page.count,
    };
    for (const message of page.messages) {
      decoded.last = message.archiveId;
      const event = this.#decode(message, 'history');
      if (!event) continue;
      if ('reason' in event) decoded.rejected.push(event);
      else if ('archiveId' in event) decoded.events.push(event);
    }
    return decoded;
  }

  /** Stops listening and fails pending publishes. Idempotent; does not leave the room. */
  override destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.connection.off('stanza', this.#onStanza);
    for (const [submissionId, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new PublishError('closed', submissionId));
    }
    this.#pending.clear();
    super.destroy();
  }

  #receive(stanza: Element): void {
    const from = stanza.attrs.from as string | undefined;
    if (!this.#protocol || from === undefined || (from !== this.jid && !from.startsWith(`${this.jid}/`))) return;
    const signal = this.#protocol.receive(stanza);
    if (!signal) return;
    switch (signal.kind) {
      case 'participants':
        for (const change of signal.changes) this.#applyParticipantChange(change);
        if (signal.session) this.emit('session', [signal.session]);
        return;
      case 'error':
        this.#failPublish(signal.id, signal.condition);
        return;
      case 'removed':
        this.#participantId = undefined;
        this.#participants.clear();
        this.emit('removed', [signal.condition]);
        return;
      case 'message':
        this.#receiveMessage(signal.message, signal.stanza);
    }
  }

  #receiveMessage(message: RoomMessage, stanza: Element): void {
    const pending = message.submissionId === undefined ? undefined : this.#pending.get(message.submissionId);
    if (pending && message.submissionId !== undefined && message.archiveId !== undefined) {
      clearTimeout(pending.timer);
      this.#pending.delete(message.submissionId);
      pending.resolve({ archiveId: message.archiveId, submissionId: message.submissionId });
    }
    const awareness = stanza.getChild('awareness', NS_AWARENESS);
    if (awareness) this.#receiveAwareness(awareness, message);
    const sentAt = message.submissionId === undefined ? undefined : this.#liveSent.get(message.submissionId);
    if (sentAt !== undefined) this.#liveSent.delete(message.submissionId!);
    const decoded = this.#decode(message, 'live', pending !== undefined || sentAt !== undefined, sentAt);
    if (!decoded) return;
    if ('reason' in decoded) this.emit('rejected', [decoded]);
    else if ('archiveId' in decoded) this.emit('event', [decoded]);
    else this.emit('live', [decoded]);
  }

  #receiveAwareness(element: Element, message: RoomMessage): void {
    const sender = senderOf(message);
    try {
      const { update, doc } = decodeAwareness(element);
      this.emit('awareness', [{ update, doc, sender }]);
    } catch (error) {
      if (!(error instanceof EventRejectedError)) throw error;
      this.emit('rejected', [
        {
          reason: error.reason,
          message: error.message,
          archiveId: message.archiveId,
          sender,
          payloadName: `{${NS_AWARENESS}}awareness`,
          source: 'live',
          lane: message.lane,
        },
      ]);
    }
  }

  #decode(
    message: RoomMessage,
    source: EventSource,
    own = false,
    sentAt?: number,
  ): RoomEvent | LiveEvent | RejectedEvent | undefined {
    const read = readEvent(this.registry, message, this.#kind);
    if (read.verdict === 'chat') return undefined;
    const sender = senderOf(message);
    const { archiveId, lane } = message;
    if (read.verdict === 'refused') {
      const { reason, message: text, payloadName, doc } = read;
      return { reason, message: text, archiveId, sender, payloadName, doc, source, lane };
    }
    const { type, payload, doc, chain } = read;
    if (read.lane === 'live' || archiveId === undefined) {
      return { type, payload, doc, sender, own, ...(sentAt !== undefined && { sentAt }) };
    }
    return {
      type,
      payload,
      doc,
      archiveId,
      sender,
      own,
      source,
      timestamp: message.timestamp,
      ...(chain && { chain }),
    };
  }

  #failPublish(id: string | undefined, condition: string): void {
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending || id === undefined) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    this.#breakChain(pending.chain);
    pending.reject(new PublishError(condition, id));
  }

  #applyParticipantChange(change: ParticipantChange): void {
    if (change.kind !== 'left') this.#participants.set(change.participant.id, change.participant);
    else if (!this.#participants.delete(change.id)) return;
    this.emit('participants', [change, this.#participants]);
  }
}

function senderOf(message: RoomMessage): Participant {
  return {
    id: message.participantId,
    ...(message.senderJid !== undefined && { jid: message.senderJid }),
    ...(message.senderNick !== undefined && { nick: message.senderNick }),
  };
}

/**
 * A submission id (ENV5): 72 random bits in 12 base64url characters, a third of a UUID's
 * length, as every occupant receives it with every message.
 */
function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(9));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_');
}
