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
