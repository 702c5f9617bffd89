// Rooms live on the server's room service (MUC or MIX); a room's name is its JID's local part.
import { Connection, Room, type RoomCreation } from '@xsync/core';
import type { Account, ServerSettings } from './settings.js';

/** Room names: what a channel's local part allows and a link carries without escaping. */
export const ROOM_PATTERN = '[a-z0-9][a-z0-9_\\-]{0,62}';
const ROOM_NAME = new RegExp(`^${ROOM_PATTERN}$`);

/** A room name from what someone typed: lower case, spaces to dashes, other characters dropped. */
export function roomName(typed: string): string {
  return typed
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[-_]+/, '')
    .slice(0, 63);
}

export function isRoomName(name: string): boolean {
  return ROOM_NAME.test(name);
}

/** The link that opens a room in this demo. */
export function roomLink(room: string, base: string = location.href): string {
  const url = new URL(base);
  url.search = `?room=${encodeURIComponent(room)}`;
  url.hash = '';
  return url.href;
}

/**
 * A short connection for what happens outside a room: signing in (registering a guest
 * account on first use), listing rooms, and creating one.
 */
export class Lobby {
  readonly #connection: Connection;
  readonly #server: ServerSettings;

  private constructor(connection: Connection, server: ServerSettings) {
    this.#connection = connection;
    this.#server = server;
  }

  static async open(server: ServerSettings, account: Account): Promise<Lobby> {
    const at = account.jid.indexOf('@');
    const connection = await Connection.open({
      service: server.service,
      domain: account.jid.slice(at + 1),
      username: account.jid.slice(0, at),
      password: account.password,
      register: account.guest,
      reconnect: false,
    });
    return new Lobby(connection, server);
  }

  /** The rooms of the server, by name. */
  async rooms(): Promise<string[]> {
    const suffix = `@${this.#server.roomService}`;
    const rooms = await Room.list(this.#connection, this.#server.roomService);
    return rooms
      .filter((jid) => jid.endsWith(suffix))
      .map((jid) => jid.slice(0, -suffix.length))
      .sort();
  }

  /**
   * Makes sure the room exists, creating it as `creation` asks if it does not (listed in the
   * room list when anyone may enter), and invites the bot so it keeps the room's snapshot and
   * serves catch-up. A room for members, or edited by members, makes the bot a member first:
   * its creator is its owner, and nobody else could. Returns the room's JID.
   */
  async prepare(room: string, creation: RoomCreation = {}): Promise<string> {
    const jid = `${room}@${this.#server.roomService}`;
    const bot = this.#server.bot;
    const created = !(await Room.exists(this.#connection, jid));
    const access = creation.access ?? 'public';
    if (created) {
      await Room.create(this.#connection, this.#server.roomService, room, { ...creation, listed: access === 'public' });
    }
    if (!bot) return jid;
    const channel = new Room(this.#connection, { jid });
    try {
      // In a room for members, or edited by members, the bot is one: it enters and is no viewer.
      if (created && (access !== 'public' || creation.editors === 'members')) await channel.setRole(bot, 'editor');
      await channel.invite(bot);
    } finally {
      channel.destroy();
    }
    return jid;
  }

  close(): Promise<void> {
    return this.#connection.close();
  }
}
