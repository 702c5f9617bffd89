/**
 * Who may enter a room ([ACC1]):
 * - `public`: anyone with an account on the server;
 * - `members-only`: members only, and members may invite others in (an invitation makes the
 *   invitee a member);
 * - `private`: members only, and only owners change who is a member.
 */
export type RoomAccess = 'public' | 'members-only' | 'private';

/**
 * What someone may do in a room ([ACC2]): an `owner` manages it (its members, its roles, its
 * end), an `editor` publishes on both lanes, a `viewer` reads and publishes nothing: the
 * server refuses it.
 */
export type RoomRole = 'owner' | 'editor' | 'viewer';

/** Who edits a public room: everyone who enters, or its members (then everyone else views). */
export type RoomEditors = 'everyone' | 'members';

/** How a new room is set up; see {@link Room.create}. */
export interface RoomCreation {
  /** Default: `public`. */
  access?: RoomAccess;
  /** Public rooms: who edits. Default: `everyone`. Members-only and private rooms: members. */
  editors?: RoomEditors;
  /** Shown in the service's room list (disco#items). Default: `false`. */
  listed?: boolean;
}

/** A person the room knows by account: its owners and members. */
export interface RoomMember {
  /** Bare JID. */
  jid: string;
  role: Exclude<RoomRole, 'viewer'>;
}

/** A room refused a change of access or role; `condition` is the XMPP error condition. */
export class RoomAccessError extends Error {
  override name = 'RoomAccessError';
  constructor(
    readonly condition: string,
    message: string,
  ) {
    super(message);
  }
}

/** The room's kind has no way to do this (a MIX channel has no roles or access modes xsync can set). */
export class UnsupportedByRoomKindError extends Error {
  override name = 'UnsupportedByRoomKindError';
  constructor(operation: string, kind: string) {
    super(`${operation} is not available in a ${kind.toUpperCase()} room`);
  }
}
