import type { Lane } from '../events/lanes.js';
import type { Element } from '../xml/index.js';
import type { RoomCreation, RoomMember, RoomRole } from './access.js';
import type { Participant, ParticipantChange, SessionChange } from './participants.js';
import type { ChannelInfo } from '../events/types/channelInfo.js';

export type { Lane } from '../events/lanes.js';

/** The two kinds of XMPP group chat a room can be. */
export type RoomKindName = 'mix' | 'muc';

/** What a room message carries besides its payload, whichever kind of room relayed it. */
export interface RoomMessage {
  /** Archive id the room stamped ([ID1]); `undefined` for live-lane messages, which are not archived. */
  archiveId: string | undefined;
  lane: Lane;
  /** Server-stamped id of the sender ({@link Participant.id}). */
  participantId: string;
  /** Sender's bare JID, when the room discloses it. */
  senderJid: string | undefined;
  senderNick: string | undefined;
  /** The id the sender gave the message, when it can be told apart as this client's own ([ECHO1]). */
  submissionId: string | undefined;
  /**
   * The message's `<event xmlns='urn:xsync:1'/>` envelopes: an event has exactly one, chat
   * has none ([ENV1]); a message with several is `malformed`.
   */
  envelopes: Element[];
  /** When the archive stored it, for messages from history. */
  timestamp: Date | undefined;
}

/** What one stanza from the room means. */
export type RoomSignal =
  | { kind: 'message'; message: RoomMessage; stanza: Element }
  /** Participants came or went; `session` when the room told of one session (MUC occupants are sessions). */
  | { kind: 'participants'; changes: ParticipantChange[]; session?: SessionChange }
  /** The room bounced a message this client sent. */
  | { kind: 'error'; id: string | undefined; condition: string }
  /** This client is no longer in the room (kicked, banned, room destroyed, or left). */
  | { kind: 'removed'; condition: string };

/** Result of {@link RoomProtocol.join}. */
export interface Joined {
  /** This client's participant id. */
  participantId: string;
  /** Everyone in the room, this client included, when the join tells; else read separately. */
  participants: Participant[];
}

/**
 * The wire protocol of one kind of room, for one room and one connection. {@link Room} is the
 * same above it whatever the kind.
 */
export interface RoomProtocol {
  readonly kind: RoomKindName;
  /** Membership ends with the XMPP session (MUC occupancy), so a new session joins again. */
  readonly sessionBound: boolean;
  /** Joins (or rejoins) the room. */
  join(): Promise<Joined>;
  /** Leaves the room. */
  leave(): Promise<void>;
  /** Reads the participant list from the room. */
  participants(): Promise<Participant[]>;
  /** Session-bound kinds: whether the session with this full JID is in the room. */
  hasSession?(fullJid: string): boolean;
  /** Kinds with roles ([ACC2]): gives the account `jid` a role, or takes its membership (`none`). */
  setRole?(jid: string, role: RoomRole | 'none'): Promise<void>;
  /** Kinds with access modes ([ACC1]): how the room is set up, an owner's read. */
  settings?(): Promise<Required<RoomCreation>>;
  /** Kinds with roles: the room's owners and members. */
  members?(): Promise<RoomMember[]>;
  /** Kinds with owners: ends the room, with its archive ([ACC4]). */
  destroyRoom?(reason?: string): Promise<void>;
  /** Kinds whose server keeps the room's name and description ([INFO2]): reads them. */
  info?(): Promise<ChannelInfo>;
  /** Kinds whose server keeps the room's name and description: sets them, an owner's act. */
  setInfo?(info: ChannelInfo): Promise<void>;
  /** A message to the room on a lane, carrying `children`. */
  message(id: string, lane: Lane, children: Element[]): Element;
  /** Reads a stanza from the room (already known to come from the room's JID or an occupant). */
  receive(stanza: Element): RoomSignal | undefined;
  /** Reads an archived message forwarded in a MAM result whose id is `resultId` ([HIST1]). */
  readArchived(message: Element, resultId: string | undefined, delay: Element | undefined): RoomMessage | undefined;
}
