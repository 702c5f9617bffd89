import type { Connection } from '../../connection/Connection.js';
import type { Element } from '../../xml/index.js';
import { errorCondition } from '../errors.js';
import type { Joined, Lane, RoomMessage, RoomProtocol, RoomSignal } from '../kind.js';
import type { Participant, ParticipantChange } from '../participants.js';
import { RoomAccessError, type RoomCreation, type RoomMember, type RoomRole } from '../access.js';
import {
  type Affiliation,
  accessConfig,
  affiliationFor,
  affiliationListIq,
  destroyIq,
  membersOf,
  readAccessConfig,
  readAffiliationList,
  roleOf,
  setAffiliationIq,
} from './access.js';
import {
  type OccupantPresence,
  ROOM_CONFIG,
  STATUS,
  configFormIq,
  joinPresence,
  leavePresence,
  mucMessage,
  readMucMessage,
  readOccupantPresence,
  submitConfigIq,
  NS_DATA_FORMS,
  NS_MUC_OWNER,
} from './protocol.js';
import { infoConfig, readRoomInfo, roomInfoIq } from './info.js';
import type { ChannelInfo } from '../../events/types/channelInfo.js';

/** Milliseconds to wait for the room's answer to a join or a leave. */
const PRESENCE_TIMEOUT = 10_000;
/** How often, and how long each time, to ask whether a destroyed room is gone. */
const GONE_PROBES = 10;
const GONE_PROBE_TIMEOUT = 250;

/** Joins tried with a changed nick when another account holds the nick ([MUC4]). */
const NICK_ATTEMPTS = 4;

/** A MUC join the room refused, with its error condition (`conflict`, `forbidden`, …). */
export class MucJoinError extends Error {
  override name = 'MucJoinError';
  constructor(
    readonly condition: string,
    readonly room: string,
  ) {
    super(`Cannot join ${room}: ${condition}`);
  }
}

interface Waiting {
  nick: string;
  resolve: (presence: OccupantPresence) => void;
  reject: (error: Error) => void;
}

/**
 * A MUC room (XEP-0045) with MAM on the room (XEP-0313), archive ids from `<stanza-id/>`
 * (XEP-0359) and identities from `<occupant-id/>` (XEP-0421). Occupancy belongs to the XMPP
 * session: a new session joins again ([MUC4]).
 */
export class MucProtocol implements RoomProtocol {
  readonly kind = 'muc';
  readonly sessionBound = true;
  /** Occupants by nick; one account may sit under several nicks, with one occupant id. */
  readonly #occupants = new Map<string, Participant>();
  /** Full JIDs of the sessions in the room, when the room discloses them. */
  readonly #sessions = new Set<string>();
  #nick: string;
  #ownId: string | undefined;
  #joined = false;
  #entering: Waiting | undefined;
  #leaving: Waiting | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly jid: string,
    nick: string,
    private readonly creation: RoomCreation & { create?: boolean } = {},
  ) {
    this.#nick = nick;
  }

  async join(): Promise<Joined> {
    const base = this.#nick;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#enter(this.#nick);
      } catch (error) {
        // Another account holds the nick: the same person in another tab keeps it, others get a suffix.
        if (!(error instanceof MucJoinError) || error.condition !== 'conflict' || attempt >= NICK_ATTEMPTS) throw error;
        this.#nick = `${base}~${Math.random().toString(36).slice(2, 6)}`;
      }
    }
  }

  async #enter(nick: string): Promise<Joined> {
    this.#occupants.clear();
    this.#sessions.clear();
    this.#joined = false;
    const self = await this.#await('entering', nick, joinPresence(this.jid, nick));
    // A room this join created: Prosody keeps it locked, and temporary, until configured.
    if (self.status.has(STATUS.created)) {
      if (this.creation.create === false) {
        await this.connection.request(destroyIq(this.jid)).catch(() => undefined);
        throw new MucJoinError('item-not-found', this.jid);
      }
      await this.#configure();
    }
    this.#joined = true;
    this.#ownId = self.occupantId ?? nick;
    return { participantId: this.#ownId, participants: this.#participants() };
  }

  async #configure(): Promise<void> {
    const answer = await this.connection.request(configFormIq(this.jid));
    const form = answer.getChild('query', NS_MUC_OWNER)?.getChild('x', NS_DATA_FORMS);
    await this.connection.request(submitConfigIq(this.jid, form, { ...ROOM_CONFIG, ...accessConfig(this.creation) }));
  }

  async leave(): Promise<void> {
    if (!this.#joined) return;
    this.#joined = false;
    await this.#await('leaving', this.#nick, leavePresence(this.jid, this.#nick));
    this.#occupants.clear();
    this.#sessions.clear();
  }

  /** Sends a presence and waits for the room's presence about this client under `nick`. */
  #await(slot: 'entering' | 'leaving', nick: string, presence: Element): Promise<OccupantPresence> {
    return new Promise<OccupantPresence>((resolve, reject) => {
      const timer = setTimeout(
        () => done(undefined, new MucJoinError('remote-server-timeout', this.jid)),
        PRESENCE_TIMEOUT,
      );
      const done = (answer: OccupantPresence | undefined, error?: Error) => {
        clearTimeout(timer);
        if (slot === 'entering') this.#entering = undefined;
        else this.#leaving = undefined;
        if (error) reject(error);
        else resolve(answer!);
      };
      const waiting = {
        nick,
        resolve: (answer: OccupantPresence) => done(answer),
        reject: (error: Error) => done(undefined, error),
      };
      if (slot === 'entering') this.#entering = waiting;
      else this.#leaving = waiting;
      this.connection.send(presence).catch((error: Error) => done(undefined, error));
    });
  }

  async participants(): Promise<Participant[]> {
    return this.#participants();
  }

  hasSession(fullJid: string): boolean {
    return this.#joined && this.#sessions.has(fullJid);
  }

  /** One participant per occupant id. */
  #participants(): Participant[] {
    const byId = new Map<string, Participant>();
    for (const occupant of this.#occupants.values()) if (!byId.has(occupant.id)) byId.set(occupant.id, occupant);
    return [...byId.values()];
  }

  message(id: string, lane: Lane, children: Element[]): Element {
    return mucMessage(this.jid, id, lane, children);
  }

  receive(stanza: Element): RoomSignal | undefined {
    if (stanza.name === 'presence') return this.#receivePresence(stanza);
    if (stanza.name !== 'message') return undefined;
    if (stanza.attrs.type === 'error') return { kind: 'error', id: stanza.attrs.id, condition: errorCondition(stanza) };
    const message = readMucMessage(stanza, this.jid);
    if (!message) return undefined;
    return { kind: 'message', message: this.#attribute(message), stanza };
  }

  /** Adds what the occupant list knows of the sender; a message id counts as this client's only from this account. */
  #attribute(message: RoomMessage): RoomMessage {
    const occupant = message.senderNick === undefined ? undefined : this.#occupants.get(message.senderNick);
    return {
      ...message,
      senderJid: occupant?.id === message.participantId ? occupant.jid : undefined,
      submissionId: message.participantId === this.#ownId ? message.submissionId : undefined,
    };
  }

  readArchived(message: Element, resultId: string | undefined, delay: Element | undefined): RoomMessage | undefined {
    const read = readMucMessage(message, this.jid, { resultId, delay });
    return read && { ...read, submissionId: undefined };
  }

  #receivePresence(presence: Element): RoomSignal | undefined {
    const from = presence.attrs.from as string | undefined;
    if (presence.attrs.type === 'error') {
      const waiting = this.#entering;
      if (waiting && from === `${this.jid}/${waiting.nick}`)
        waiting.reject(new MucJoinError(errorCondition(presence), this.jid));
      return undefined;
    }
    const occupant = readOccupantPresence(presence, this.jid);
    if (!occupant) return undefined;
    if (occupant.session !== undefined) {
      if (occupant.available) this.#sessions.add(occupant.session);
      else this.#sessions.delete(occupant.session);
    }
    // The room is gone for everyone; ejabberd tells each occupant without status 110.
    if (occupant.destroyed && !occupant.available && this.#joined) {
      this.#joined = false;
      this.#occupants.clear();
      this.#sessions.clear();
      return { kind: 'removed', condition: 'destroyed' };
    }
    const self = occupant.status.has(STATUS.self);
    if (self && occupant.available && this.#entering?.nick === occupant.nick) {
      this.#remember(occupant);
      this.#entering.resolve(occupant);
      return undefined;
    }
    if (self && !occupant.available) {
      if (this.#leaving?.nick === occupant.nick) {
        this.#leaving.resolve(occupant);
        return undefined;
      }
      if (occupant.nick !== this.#nick || !this.#joined || occupant.status.has(STATUS.nickChanged)) return undefined;
      // Kicked, banned, no longer a member, or the room is gone.
      this.#joined = false;
      this.#occupants.clear();
      this.#sessions.clear();
      return { kind: 'removed', condition: [...occupant.status].join(' ') || 'unavailable' };
    }
    const changes = occupant.available ? this.#remember(occupant) : this.#forget(occupant);
    if (!this.#joined) return undefined;
    const session = occupant.session && { jid: occupant.session, present: occupant.available };
    if (session) return { kind: 'participants', changes, session };
    return changes.length > 0 ? { kind: 'participants', changes } : undefined;
  }

  #remember(occupant: OccupantPresence): ParticipantChange[] {
    const id = occupant.occupantId ?? occupant.nick;
    const known = this.#holds(id);
    const before = this.#occupants.get(occupant.nick);
    const participant: Participant = {
      id,
      nick: occupant.nick,
      ...(occupant.jid && { jid: occupant.jid }),
      role: roleOf(occupant.affiliation, occupant.role),
    };
    this.#occupants.set(occupant.nick, participant);
    if (!known) return [{ kind: 'joined', participant }];
    return before && before.role !== participant.role ? [{ kind: 'changed', participant }] : [];
  }

  async setRole(jid: string, role: RoomRole | 'none'): Promise<void> {
    if (role === 'viewer') {
      // A viewer has no affiliation, and a members-only room admits nobody without one ([ACC2]).
      const form = (await this.#admin(configFormIq(this.jid)))
        .getChild('query', NS_MUC_OWNER)
        ?.getChild('x', NS_DATA_FORMS);
      const membersOnly = form?.getChildren('field').find((field) => field.attrs.var === 'muc#roomconfig_membersonly');
      if (['1', 'true'].includes(membersOnly?.getChildText('value') ?? '')) {
        throw new RoomAccessError(
          'not-acceptable',
          `${this.jid} admits members only, and members edit: it has no viewers`,
        );
      }
    }
    await this.#admin(setAffiliationIq(this.jid, jid.split('/')[0]!, affiliationFor(role)));
  }

  async settings(): Promise<Required<RoomCreation>> {
    return readAccessConfig(
      (await this.#admin(configFormIq(this.jid))).getChild('query', NS_MUC_OWNER)?.getChild('x', NS_DATA_FORMS),
    );
  }

  async members(): Promise<RoomMember[]> {
    const list = async (affiliation: Affiliation) =>
      readAffiliationList(await this.#admin(affiliationListIq(this.jid, affiliation)));
    const [owner, admin, member] = await Promise.all([list('owner'), list('admin'), list('member')]);
    return membersOf({ owner, admin, member });
  }

  async destroyRoom(reason?: string): Promise<void> {
    await this.#admin(destroyIq(this.jid, reason));
    await this.#untilGone();
  }

  /**
   * ejabberd answers a destroy before the room's process has ended, and drops what reaches
   * the room meanwhile without an error: a room made again under the name at once would never
   * answer its creator's presence. Waits until the service answers for the name itself
   * (`item-not-found`; Prosody's tombstone: `gone`), asking again when the room or nobody
   * answers.
   */
  async #untilGone(): Promise<void> {
    for (let attempt = 0; attempt < GONE_PROBES; attempt++) {
      try {
        await this.connection.request(roomInfoIq(this.jid), GONE_PROBE_TIMEOUT);
      } catch (error) {
        if ((error as { condition?: string }).condition !== undefined) return;
      }
    }
  }

  async info(): Promise<ChannelInfo> {
    return readRoomInfo(await this.connection.request(roomInfoIq(this.jid)));
  }

  async setInfo(info: ChannelInfo): Promise<void> {
    const form = (await this.#admin(configFormIq(this.jid)))
      .getChild('query', NS_MUC_OWNER)
      ?.getChild('x', NS_DATA_FORMS);
    await this.#admin(submitConfigIq(this.jid, form, infoConfig(info)));
  }

  /** An owner's request to the room; a refusal becomes a RoomAccessError. */
  async #admin(iq: Element): Promise<Element> {
    try {
      return await this.connection.request(iq);
    } catch (error) {
      const { condition, text } = error as { condition?: string; text?: string };
      if (condition === undefined) throw error;
      throw new RoomAccessError(condition, `${this.jid} refused: ${condition}${text ? ` (${text})` : ''}`);
    }
  }

  #forget(occupant: OccupantPresence): ParticipantChange[] {
    const participant = this.#occupants.get(occupant.nick);
    if (!participant) return [];
    this.#occupants.delete(occupant.nick);
    return this.#holds(participant.id) ? [] : [{ kind: 'left', id: participant.id }];
  }

  #holds(id: string): boolean {
    for (const occupant of this.#occupants.values()) if (occupant.id === id) return true;
    return false;
  }
}
