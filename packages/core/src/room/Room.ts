import { ObservableV2 } from 'lib0/observable';
import type { Connection } from '../connection/Connection.js';
import type { EventType } from '../events/EventType.js';
import type { EventTypeRegistry } from '../events/registry.js';
import { EventRejectedError, type RejectionReason } from '../events/rejection.js';
import { createRegistry } from '../events/builtin.js';
import { type Element, xml } from '../xml/index.js';
import { type ArchivePage, type HistoryQuery, archivePages } from './archive.js';

export type { HistoryQuery } from './archive.js';
import { NS_AWARENESS, decodeAwareness, encodeAwareness } from './awareness.js';
import { PublishError, PublishTimeoutError } from './errors.js';
import { invitationMessage } from './invitation.js';
import { type RoomMessage, readChannelMessage } from './message.js';
import {
  type Participant,
  type ParticipantChange,
  clientJoinIq,
  clientLeaveIq,
  createChannelIq,
  parseJoinResult,
  parseParticipantEvent,
  parseParticipants,
  participantsIq,
} from './mix/protocol.js';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

/** Where an event came from: the live stream or the archive. */
export type EventSource = 'live' | 'history';

/** A decoded, validated event of a channel. */
export interface RoomEvent<Payload = unknown> {
  type: EventType<Payload>;
  payload: Payload;
  /** Document or stream within the channel, if the sender named one ([ENV3]). */
  doc: string | undefined;
  /** MAM archive id: the event's position in the channel's order ([ORD2]). */
  archiveId: string;
  sender: Participant;
  /** Published through this very Room object (its echo, [ECHO1]). */
  own: boolean;
  source: EventSource;
  /** Archive time, for events from history. */
  timestamp: Date | undefined;
}

/** An incoming event that was refused; the stream goes on without it ([REJ1]). */
export interface RejectedEvent {
  reason: RejectionReason;
  message: string;
  archiveId: string;
  sender: Participant;
  /** `{namespace}element` of the refused payload, when it had one. */
  payloadName: string | undefined;
  /** Document the event named ([ENV3]), when it named a valid one. */
  doc?: string | undefined;
  source: EventSource;
}

/** Presence data (cursors, names) that rode on a live message ([AW1]). */
export interface AwarenessMessage {
  /** A y-protocols awareness update. */
  update: Uint8Array;
  doc: string | undefined;
  sender: Participant;
  archiveId: string;
}

/** Events of a {@link Room}. */
export interface RoomEvents {
  /** A valid event, in channel order. */
  event: (event: RoomEvent) => void;
  /** An invalid event was dropped. */
  rejected: (rejection: RejectedEvent) => void;
  /** A live awareness update arrived (never from history). */
  awareness: (message: AwarenessMessage) => void;
  /** Someone joined or left. */
  participants: (change: ParticipantChange, participants: ReadonlyMap<string, Participant>) => void;
}

/** Options of {@link Room}. */
export interface RoomOptions {
  /** Bare JID of the MIX channel, e.g. `room@mix.example.org`. */
  jid: string;
  /** Event types understood here. Default: {@link createRegistry} (the built-in types). */
  registry?: EventTypeRegistry;
  /** Nick to join with. Default: none (the server may assign one). */
  nick?: string;
  /** Milliseconds to wait for a published event's reflection. Default: 10,000. */
  publishTimeout?: number;
  /**
   * Least milliseconds between two automatic fallback bodies ([ENV4]). A `<body/>` makes
   * ejabberd 23.01 process a message about three times slower, so bursts carry one only
   * at this interval. Default: 10,000; `0` puts one on every event.
   */
  fallbackBodyInterval?: number;
}

/** Options of {@link Room.publish}. */
export interface PublishOptions {
  /** Document or stream within the channel ([ENV3]). */
  doc?: string;
  /**
   * Fallback `<body/>` for ordinary clients ([ENV4]): a string is always sent, `false` never.
   * Default: the type's `describe()`, at most once per `fallbackBodyInterval`.
   */
  body?: string | false;
  /** A y-protocols awareness update to carry in the same stanza ([AW1]). */
  awareness?: Uint8Array;
}

/** Where a published event landed. */
export interface Published {
  /** MAM archive id the channel gave the event. */
  archiveId: string;
  /** The message id this client sent. */
  submissionId: string;
}

/** Events from the archive, oldest first. */
export interface History {
  events: RoomEvent[];
  rejected: RejectedEvent[];
  /** Archive id of the newest item read, valid or not: the cursor to continue from. */
  last: string | undefined;
  /** Archive requests made. */
  pages: number;
}

interface PendingPublish {
  resolve: (published: Published) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * A MIX channel (XEP-0369) joined through the user's server (XEP-0405), carrying typed
 * events in server order, with history from the channel's archive (XEP-0313).
 */
export class Room extends ObservableV2<RoomEvents> {
  readonly jid: string;
  readonly connection: Connection;
  readonly registry: EventTypeRegistry;
  readonly #nick: string | undefined;
  readonly #publishTimeout: number;
  readonly #fallbackBodyInterval: number;
  #lastFallbackBody = -Infinity;
  readonly #pending = new Map<string, PendingPublish>();
  readonly #participants = new Map<string, Participant>();
  #participantId: string | undefined;
  #destroyed = false;
  readonly #onStanza = (stanza: Element) => this.#receive(stanza);

  constructor(connection: Connection, options: RoomOptions) {
    super();
    this.connection = connection;
    this.jid = options.jid;
    this.registry = options.registry ?? createRegistry();
    this.#nick = options.nick;
    this.#publishTimeout = options.publishTimeout ?? 10_000;
    this.#fallbackBodyInterval = options.fallbackBodyInterval ?? 10_000;
    connection.on('stanza', this.#onStanza);
  }

  /** Creates a channel on a MIX service and returns its bare JID (XEP-0369 §7.3.2). */
  static async create(connection: Connection, mixDomain: string, name?: string): Promise<string> {
    const result = await connection.request(createChannelIq(mixDomain, name));
    const created = result.getChild('create')?.attrs.channel as string | undefined;
    return `${created ?? name}@${mixDomain}`;
  }

  /** Bare JIDs of the channels a MIX service lists (disco#items, XEP-0369 §6.1.3). */
  static async list(connection: Connection, mixDomain: string): Promise<string[]> {
    const result = await connection.request(
      xml('iq', { type: 'get', to: mixDomain }, xml('query', { xmlns: NS_DISCO_ITEMS })),
    );
    const query = result.getChild('query', NS_DISCO_ITEMS);
    return (query?.getChildren('item') ?? []).map((item) => String(item.attrs.jid)).filter((jid) => jid.includes('@'));
  }

  /** Whether a channel exists (disco#info answers; `item-not-found` means it does not). */
  static async exists(connection: Connection, jid: string): Promise<boolean> {
    try {
      await connection.request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: NS_DISCO_INFO })));
      return true;
    } catch (error) {
      if ((error as { condition?: string }).condition === 'item-not-found') return false;
      throw error;
    }
  }

  /** Invites a user (or a bot) into this channel (XEP-0407). */
  async invite(to: string): Promise<void> {
    await this.connection.send(invitationMessage(to, this.connection.bareJid, this.jid));
  }

  /** This client's participant id, once joined. */
  get participantId(): string | undefined {
    return this.#participantId;
  }

  /** Current participants by participant id. */
  get participants(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  /** Joins the channel and loads its participant list. Joining again is harmless. */
  async join(): Promise<{ participantId: string }> {
    const joining = this.connection.request(clientJoinIq(this.connection.bareJid, this.jid, this.#nick));
    // The participant list is asked for in the same flight. The channel answers only
    // participants, and the join reaches it through the user's server (MIX-PAM) while the
    // query goes straight there, so a refusal, or a list without this participant, just
    // means the join had not arrived: ask again.
    const listing = this.connection.request(participantsIq(this.jid)).then(
      (answer) => answer,
      () => undefined,
    );
    const { participantId } = parseJoinResult(await joining);
    this.#participantId = participantId;
    const listed = await listing;
    const participants = listed && parseParticipants(listed);
    // A list without this participant was read before the join took effect.
    if (participants?.some((participant) => participant.id === participantId)) this.#setParticipants(participants);
    else await this.refreshParticipants();
    return { participantId };
  }

  /** Leaves the channel (the subscription ends for every session of the account). */
  async leave(): Promise<void> {
    await this.connection.request(clientLeaveIq(this.connection.bareJid, this.jid));
    this.#participantId = undefined;
    this.#participants.clear();
  }

  /** Reloads the participant list from the channel. */
  async refreshParticipants(): Promise<ReadonlyMap<string, Participant>> {
    this.#setParticipants(parseParticipants(await this.connection.request(participantsIq(this.jid))));
    return this.#participants;
  }

  #setParticipants(participants: Participant[]): void {
    this.#participants.clear();
    for (const participant of participants) this.#participants.set(participant.id, participant);
  }

  /**
   * Publishes an event. Resolves when the channel reflects it, with the archive id it was
   * given; rejects with `EventRejectedError` if the payload breaks the type's limits,
   * `PublishError` if the channel refuses it, or `PublishTimeoutError`.
   */
  publish<Payload>(
    type: EventType<Payload, unknown>,
    payload: Payload,
    options: PublishOptions = {},
  ): Promise<Published> {
    if (this.#destroyed) return Promise.reject(new PublishError('closed', ''));
    let envelope: Element;
    try {
      envelope = this.registry.encode(type, payload, { doc: options.doc });
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const submissionId = randomId();
    const body = options.body === false ? undefined : (options.body ?? this.#fallbackBody(type, payload));
    const message = xml(
      'message',
      { type: 'groupchat', to: this.jid, id: submissionId },
      body === undefined ? undefined : xml('body', {}, body),
      envelope,
      options.awareness === undefined ? undefined : encodeAwareness(options.awareness, options.doc),
    );
    return new Promise<Published>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(submissionId);
        reject(new PublishTimeoutError(submissionId));
      }, this.#publishTimeout);
      this.#pending.set(submissionId, { resolve, reject, timer });
      this.connection.send(message).catch((error: Error) => {
        clearTimeout(timer);
        this.#pending.delete(submissionId);
        reject(error);
      });
    });
  }

  /**
   * Sends an awareness update on its own (no event). Every channel message is archived on
   * ejabberd 23.01, so callers should throttle these and piggyback on events where they can.
   */
  async sendAwareness(update: Uint8Array, options: { doc?: string } = {}): Promise<void> {
    if (this.#destroyed) throw new PublishError('closed', '');
    await this.connection.send(
      xml('message', { type: 'groupchat', to: this.jid, id: randomId() }, encodeAwareness(update, options.doc)),
    );
  }

  #fallbackBody<Payload>(type: EventType<Payload, unknown>, payload: Payload): string | undefined {
    const now = Date.now();
    if (!type.describe || now - this.#lastFallbackBody < this.#fallbackBodyInterval) return undefined;
    this.#lastFallbackBody = now;
    return type.describe(payload);
  }

  /** Reads events from the channel's archive, in order, paging as needed. */
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
  async *historyPages(query: HistoryQuery = {}): AsyncGenerator<History & { count: number | undefined }> {
    for await (const page of archivePages(this.connection, this.jid, query)) yield this.#decodePage(page);
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
      else decoded.events.push(event);
    }
    return decoded;
  }

  /** Stops listening and fails pending publishes. Idempotent; does not leave the channel. */
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
    if (stanza.name !== 'message') return;
    const from = stanza.attrs.from as string | undefined;
    if (from === undefined || (from !== this.jid && !from.startsWith(`${this.jid}/`))) return;
    if (from === this.jid) {
      for (const change of parseParticipantEvent(stanza)) this.#applyParticipantChange(change);
      return;
    }
    if (stanza.attrs.type === 'error') {
      this.#failPublish(stanza);
      return;
    }
    const message = readChannelMessage(stanza, this.jid);
    if (!message) return;
    const pending = message.submissionId === undefined ? undefined : this.#pending.get(message.submissionId);
    if (pending && message.submissionId !== undefined) {
      clearTimeout(pending.timer);
      this.#pending.delete(message.submissionId);
      pending.resolve({ archiveId: message.archiveId, submissionId: message.submissionId });
    }
    const awareness = stanza.getChild('awareness', NS_AWARENESS);
    if (awareness) this.#receiveAwareness(awareness, message);
    const decoded = this.#decode(message, 'live', pending !== undefined);
    if (!decoded) return;
    if ('reason' in decoded) this.emit('rejected', [decoded]);
    else this.emit('event', [decoded]);
  }

  #receiveAwareness(element: Element, message: RoomMessage): void {
    const sender = senderOf(message);
    try {
      const { update, doc } = decodeAwareness(element);
      this.emit('awareness', [{ update, doc, sender, archiveId: message.archiveId }]);
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
        },
      ]);
    }
  }

  #decode(message: RoomMessage, source: EventSource, own = false): RoomEvent | RejectedEvent | undefined {
    // Messages without an envelope are ordinary chat, not events ([ENV1]).
    if (!message.envelope) return undefined;
    const sender = senderOf(message);
    const decoded = this.registry.decode(message.envelope);
    if (!decoded.ok) {
      const { reason, payloadName, doc } = decoded;
      return { reason, message: decoded.message, archiveId: message.archiveId, sender, payloadName, doc, source };
    }
    return {
      type: decoded.type,
      payload: decoded.payload,
      doc: decoded.doc,
      archiveId: message.archiveId,
      sender,
      own,
      source,
      timestamp: message.timestamp,
    };
  }

  #failPublish(stanza: Element): void {
    const id = stanza.attrs.id as string | undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending || id === undefined) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    const condition = stanza.getChild('error')?.children.find((child) => typeof child !== 'string');
    pending.reject(new PublishError(typeof condition === 'object' ? condition.name : 'undefined-condition', id));
  }

  #applyParticipantChange(change: ParticipantChange): void {
    if (change.kind === 'joined') this.#participants.set(change.participant.id, change.participant);
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

function randomId(): string {
  return globalThis.crypto.randomUUID();
}
