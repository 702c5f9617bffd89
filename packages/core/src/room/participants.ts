import type { RoomRole } from './access.js';

/** A member of a room, as the server identifies it. */
export interface Participant {
  /**
   * Stable id the server stamps on everything the member sends: the MIX participant id
   * (XEP-0369 §5.1.1) or the MUC occupant id (XEP-0421). Never taken from message content.
   */
  id: string;
  /** Real bare JID, when the room discloses it. */
  jid?: string;
  nick?: string;
  /** What the participant may do, where the room tells (MUC rooms, [ACC2]). */
  role?: RoomRole;
}

/** A participant joined or left. */
export type ParticipantChange =
  | { kind: 'joined'; participant: Participant }
  /** Someone already present was given another role. */
  | { kind: 'changed'; participant: Participant }
  | { kind: 'left'; id: string };

/**
 * A session entered a room or left it. MUC occupancy is per session, and rooms that disclose
 * real JIDs tell of each one, including further sessions of a participant already present.
 */
export interface SessionChange {
  /** Full JID of the session. */
  jid: string;
  present: boolean;
}

/** The longest nick, in UTF-8 bytes: a MUC nick is a JID resource, which RFC 7622 holds to this ([LIM2]). */
export const MAX_NICK_BYTES = 1023;

/**
 * A nick read from the network, or `undefined` when it is longer than {@link MAX_NICK_BYTES}:
 * a MIX channel stamps whatever nick a participant set on everything it sends, so receivers
 * show such a participant by id alone rather than carry the nick along ([LIM2]).
 */
export function nickOrNone(nick: string | undefined): string | undefined {
  if (nick === undefined || nick.length * 3 <= MAX_NICK_BYTES) return nick;
  return new TextEncoder().encode(nick).length <= MAX_NICK_BYTES ? nick : undefined;
}
