import { Connection, type TokenStore, Room, memoryTokenStore, xml } from '@xsync/core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { Fixture, createAccount } from '../support/fixtures.js';

// [SES12] Stanzas sent before the first session is ready: behind a FAST login they leave with
// it, on ejabberd and on Prosody; a refused token costs them nothing but time.

const fixture = new Fixture('early');
const opened: Connection[] = [];
afterAll(async () => {
  for (const connection of opened) await connection.close();
  await fixture.close();
});

const ping = (to: string) => xml('iq', { type: 'get', to }, xml('ping', { xmlns: 'urn:xmpp:ping' }));

/** An account that has logged in once, so that `tokens` holds its FAST token. */
async function accountWithToken(tokens: TokenStore, transport: 'tcp' | 'websocket' = 'tcp') {
  const { tcpUrl, wsUrl, domain } = inject('server');
  const account = await createAccount('early');
  const service = transport === 'tcp' ? tcpUrl : wsUrl;
  const first = await Connection.open({ service, domain, ...account, tokens, WebSocket });
  await first.close();
  return account;
}

/** Starts a connection and, before it is ready, joins `jid` and pings the server. */
async function startAndJoin(
  account: { username: string; password: string },
  tokens: TokenStore,
  jid: string,
  transport: 'tcp' | 'websocket' = 'tcp',
) {
  const { tcpUrl, wsUrl, domain } = inject('server');
  const service = transport === 'tcp' ? tcpUrl : wsUrl;
  const connection = Connection.start({ service, domain, ...account, tokens, WebSocket });
  opened.push(connection);
  const room = new Room(connection, { jid });
  const joined = room.join();
  const answered = connection.request(ping(domain));
  await connection.ready;
  return { connection, room, joined: await joined, answer: await answered };
}

describe('stanzas sent before the session is ready', () => {
  it.each(['tcp', 'websocket'] as const)(
    '[SES12] leave right behind a FAST login, and are handled with it (%s)',
    async (transport) => {
      const { mucDomain } = inject('server');
      const jid = await Room.create(await fixture.connect(), mucDomain, `early-${Date.now().toString(36)}`);
      const tokens = memoryTokenStore();
      const account = await accountWithToken(tokens, transport);
      const { connection, room, joined, answer } = await startAndJoin(account, tokens, jid, transport);
      expect(connection.login).toMatchObject({ mechanism: 'HT-SHA-256-NONE', withLogin: 2, roundTrips: 1 });
      expect(joined.participantId).toBe(room.participantId);
      expect(answer.attrs.type).toBe('result');
      // The session goes on as any: its presence went first, and stream management counts them.
      await expect(connection.request(ping(inject('server').domain))).resolves.toBeDefined();
    },
  );

  it('[SES12] are sent again after the password login when the server refuses the token', async () => {
    const { mucDomain } = inject('server');
    const jid = await Room.create(await fixture.connect(), mucDomain, `early-${Date.now().toString(36)}`);
    const tokens = memoryTokenStore();
    const account = await accountWithToken(tokens);
    // The server no longer knows the kept token (as after its expiry).
    const inner = tokens.load.bind(tokens);
    tokens.load = async (key) => {
      const token = await inner(key);
      return token && { ...token, token: `${token.token.slice(0, -4)}AAA=` };
    };
    const { connection, room, joined, answer } = await startAndJoin(account, tokens, jid);
    // Sent again behind the password login's last message.
    expect(connection.login).toMatchObject({ mechanism: 'SCRAM-SHA-1', withLogin: 2 });
    expect(joined.participantId).toBe(room.participantId);
    expect(answer.attrs.type).toBe('result');
  });

  it('[SES12] leave behind the SCRAM response of a login with the password', async () => {
    const { mucDomain } = inject('server');
    const jid = await Room.create(await fixture.connect(), mucDomain, `early-${Date.now().toString(36)}`);
    const account = await createAccount('early');
    const { connection, room, joined, answer } = await startAndJoin(account, memoryTokenStore(), jid);
    expect(connection.login).toMatchObject({ mechanism: 'SCRAM-SHA-1', withLogin: 2, roundTrips: 2 });
    expect(joined.participantId).toBe(room.participantId);
    expect(answer.attrs.type).toBe('result');
  });

  it('fail with a wrong password, and so does what was sent before', async () => {
    const { tcpUrl, domain, mucDomain } = inject('server');
    const jid = await Room.create(await fixture.connect(), mucDomain, `early-${Date.now().toString(36)}`);
    const account = await createAccount('early');
    const connection = Connection.start({ service: tcpUrl, domain, ...account, password: 'wrong', reconnect: false });
    opened.push(connection);
    // Both settled as the login fails, however soon.
    const joined = new Room(connection, { jid }).join().catch((error: Error) => error);
    const answered = connection.request(ping(domain)).catch((error: Error) => error);
    await expect(connection.ready).rejects.toMatchObject({ condition: 'not-authorized' });
    expect(await joined).toBeInstanceOf(Error);
    expect(await answered).toBeInstanceOf(Error);
    expect(connection.status).toBe('offline');
  });
});
