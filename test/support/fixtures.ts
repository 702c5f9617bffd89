import { randomBytes } from 'node:crypto';
import { Room, type RoomEvent, type RoomEvents, Connection, type ConnectionOptions } from '@xsync/core';
import { registerAccount, registerProsodyAccount } from '@xsync/servers';
import { inject } from 'vitest';

/** Registers an account, named after `prefix`, on the shared test server. */
export async function createAccount(prefix: string): Promise<{ username: string; password: string }> {
  const { apiUrl, adminSocket, domain } = inject('server');
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  const { username, password } = apiUrl
    ? await registerAccount(apiUrl, domain, name)
    : await registerProsodyAccount(adminSocket!, domain, name);
  return { username, password };
}

/** Opens connections and channels for one test file and closes all of them in {@link close}. */
export class Fixture {
  readonly #connections: Connection[] = [];
  readonly #channels: Room[] = [];

  constructor(readonly prefix: string) {}

  async connect(options: Partial<ConnectionOptions> = {}): Promise<Connection> {
    const { tcpUrl, domain } = inject('server');
    const account = await createAccount(this.prefix);
    const connection = await Connection.open({ service: tcpUrl, domain, ...account, ...options });
    this.#connections.push(connection);
    return connection;
  }

  /** Creates a room of the server's default kind (MIX on ejabberd, MUC on Prosody), named uniquely to this file. */
  async createChannel(connection: Connection): Promise<string> {
    const name = `${this.prefix}-${randomBytes(5).toString('hex')}`;
    return Room.create(connection, inject('server').roomService, name, { listed: true });
  }

  /** A Room object joined on a new connection. */
  async join(jid: string, nick?: string): Promise<Room> {
    const connection = await this.connect();
    const channel = new Room(connection, { jid, ...(nick !== undefined && { nick }) });
    this.#channels.push(channel);
    await channel.join();
    return channel;
  }

  async close(): Promise<void> {
    for (const channel of this.#channels.splice(0)) channel.destroy();
    await Promise.all(this.#connections.splice(0).map((connection) => connection.close()));
  }
}

/** Collects a channel's events and resolves when `count` have arrived, or rejects at the deadline. */
export function collectEvents(channel: Room, count: number, timeoutMs = 20_000): Promise<RoomEvent[]> {
  return waitFor(channel, 'event', count, timeoutMs);
}

/** Waits for `count` emissions of a channel event, with a deadline. */
export function waitFor<K extends keyof RoomEvents>(
  channel: Room,
  name: K,
  count: number,
  timeoutMs = 20_000,
): Promise<Array<Parameters<RoomEvents[K]>[0]>> {
  type Item = Parameters<RoomEvents[K]>[0];
  const items: Item[] = [];
  return new Promise((resolve, reject) => {
    const listener = ((item: Item) => {
      items.push(item);
      if (items.length === count) finish();
    }) as RoomEvents[K];
    const timer = setTimeout(() => {
      channel.off(name, listener);
      reject(new Error(`${name}: got ${items.length} of ${count} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      channel.off(name, listener);
      resolve(items);
    };
    channel.on(name, listener);
  });
}

/**
 * Drops the TCP connection under a client; xmpp.js reconnects after a second. Without
 * `allowResume` the stream id is forgotten first, so the stream cannot be resumed (XEP-0198)
 * and a new session starts: the client misses what was sent meanwhile.
 */
export function dropSocket(connection: Connection, { allowResume }: { allowResume: boolean }): void {
  const xmpp = connection.xmpp;
  if (!allowResume) (xmpp.streamManagement as unknown as { id: string }).id = '';
  (xmpp.socket as unknown as { destroy(): void }).destroy();
}
