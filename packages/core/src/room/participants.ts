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
}

/** A participant joined or left. */
export type ParticipantChange = { kind: 'joined'; participant: Participant } | { kind: 'left'; id: string };
