// Rooms live on the server's room service (MUC or MIX); a room's name is its JID's local part.
import { BOT_RESOURCE, Connection, Room, type RoomCreation, type RoomSummary } from '@xsync/core';
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

/** A room as the join screen lists it. */
export interface ListedRoom {
  name: string;
  /** Who is in it (the bot left out where the room names it) and its last activity; `undefined` when it did not answer. */
  summary: RoomSummary | undefined;
}

/** Rooms asked about at once, so a long list does not flood the server. */
const SUMMARY_CONCURRENCY = 4;
/** How long a room may take to answer before it is listed without figures. */
const SUMMARY_TIMEOUT = 5_000;

/** Most recently active first; rooms without a time after them, each group by name. */
function byActivity(a: ListedRoom, b: ListedRoom): number {
  const timeA = a.summary?.lastActivity?.getTime();
  const timeB = b.summary?.lastActivity?.getTime();
  if (timeA !== timeB) {
    if (timeA === undefined) return 1;
    if (timeB === undefined) return -1;
    return timeB - timeA;
  }
  return a.name.localeCompare(b.name);
}

/** Who is in a room, in words: "3 people here: Ada, Grace and Linus", or `undefined` when unknown. */
export function peopleInWords(summary: RoomSummary | undefined, shown = 3): string | undefined {
  const count = summary?.occupants;
  if (count === undefined) return undefined;
  // A MIX channel's participants are its members, online or not.
  const mix = summary!.kind === 'mix';
  if (count === 0) return mix ? 'No members' : 'Nobody here';
  const counted = mix
    ? `${count} ${count === 1 ? 'member' : 'members'}`
    : `${count} ${count === 1 ? 'person' : 'people'} here`;
  const nicks = [...(summary!.nicks ?? [])].sort((a, b) => a.localeCompare(b)).slice(0, Math.min(shown, count));
  if (nicks.length === 0) return counted;
  const more = count - nicks.length;
  return `${counted}: ${more > 0 ? `${nicks.join(', ')} and ${more} more` : listed(nicks)}`;
}

/** When a room was last active, in words, as of `now`; `undefined` when unknown. */
export function activityInWords(lastActivity: Date | null | undefined, now = Date.now()): string | undefined {
  if (lastActivity === undefined) return undefined;
  if (lastActivity === null) return 'No activity yet';
  const minutes = Math.floor((now - lastActivity.getTime()) / 60_000);
  // A server clock a little ahead of this one reads as now.
  if (minutes < 1) return 'Active just now';
  if (minutes < 60) return `Active ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `Active ${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `Active ${days} ${days === 1 ? 'day' : 'days'} ago`;
  return `Active on ${lastActivity.toLocaleDateString('en', { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** `task` for each item, at most `limit` at a time; results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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

  /**
   * The rooms of the server with who is in each and when it was last active, most recently
   * active first. A room that does not answer is listed without figures.
   */
  async rooms(): Promise<ListedRoom[]> {
    const suffix = `@${this.#server.roomService}`;
    const jids = (await Room.list(this.#connection, this.#server.roomService)).filter((jid) => jid.endsWith(suffix));
    const rooms = await mapBounded(jids, SUMMARY_CONCURRENCY, async (jid) => ({
      name: jid.slice(0, -suffix.length),
      summary: await Room.summary(this.#connection, jid, { timeout: SUMMARY_TIMEOUT }).then(
        (summary) => this.#withoutBot(summary),
        () => undefined,
      ),
    }));
    return rooms.sort(byActivity);
  }

  /**
   * The bot sits in every room the demo opens: it is no one to meet there. It is left out
   * where the room names its occupants (ejabberd); where the room gives a count alone (Prosody)
   * it counts.
   */
  #withoutBot(summary: RoomSummary): RoomSummary {
    if (!this.#server.bot || !summary.nicks?.includes(BOT_RESOURCE)) return summary;
    const nicks = summary.nicks.filter((nick) => nick !== BOT_RESOURCE);
    const bots = summary.nicks.length - nicks.length;
    return { ...summary, nicks, occupants: summary.occupants === undefined ? undefined : summary.occupants - bots };
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
