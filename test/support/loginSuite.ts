import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Connection,
  type ConnectionOptions,
  type FastToken,
  type TokenStore,
  memoryTokenStore,
  xml,
} from '@xsync/core';
import { fileTokenStore } from '@xsync/core/node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';

/** The server a login suite runs against. */
export interface LoginTarget {
  tcpUrl: string;
  wsUrl: string;
  domain: string;
  createAccount(prefix: string): Promise<{ username: string; password: string }>;
}

/** A token store that also tells which keys it holds. */
export function inspectableStore(): TokenStore & { keys: Set<string> } {
  const inner = memoryTokenStore();
  const keys = new Set<string>();
  return {
    keys,
    load: (key) => inner.load(key),
    save: (key, token) => {
      keys.add(key);
      return inner.save(key, token);
    },
    delete: (key) => {
      keys.delete(key);
      return inner.delete(key);
    },
  };
}

async function storedToken(store: TokenStore & { keys: Set<string> }): Promise<FastToken> {
  expect(store.keys.size).toBe(1);
  const token = await store.load([...store.keys][0]!);
  expect(token).toBeDefined();
  return token!;
}

/**
 * The login and transport tests every server xsync runs on must pass: SASL2 with Bind2 and
 * stream management inline, FAST tokens, inline resumption, exact resources, WebSocket.
 */
export function loginSuite(name: string, target: () => LoginTarget): void {
  const opened: Connection[] = [];
  afterAll(() => Promise.all(opened.map((connection) => connection.close())));

  async function open(options: Partial<ConnectionOptions> & { username: string; password: string }) {
    const { tcpUrl, domain } = target();
    // Without pipelining unless asked for: whether this process has seen the server's
    // features before would otherwise decide the exchanges.
    const connection = await Connection.open({ service: tcpUrl, domain, pipelining: false, ...options });
    opened.push(connection);
    return connection;
  }
  const createAccount = (prefix: string) => target().createAccount(prefix);

  describe(`login on ${name}`, () => {
    it('[SES8] a first login authenticates, binds and enables stream management in three round trips', async () => {
      const account = await createAccount('login-first');
      const connection = await open({ ...account, tokens: inspectableStore() });
      expect(connection.login).toMatchObject({ profile: 'sasl2', mechanism: 'SCRAM-SHA-1', resumed: false });
      expect(connection.login!.exchanges).toEqual(['stream', 'authenticate', 'response']);
      expect(connection.login!.roundTrips).toBe(3);
      expect((connection.xmpp.streamManagement as unknown as { enabled: boolean }).enabled).toBe(true);
      expect(connection.bareJid).toBe(`${account.username}@${target().domain}`);
    });

    it('[SES9] the next login of the device uses its FAST token: two round trips, no password exchange', async () => {
      const account = await createAccount('login-fast');
      const tokens = inspectableStore();
      await (await open({ ...account, tokens })).close();
      const token = await storedToken(tokens);
      expect(token.mechanism).toBe('HT-SHA-256-NONE');
      expect(new Date(token.expiry).getTime()).toBeGreaterThan(Date.now());
      // Tokens expire within a month (ejabberd's and Prosody's defaults), not in decades.
      expect(new Date(token.expiry).getTime()).toBeLessThan(Date.now() + 31 * 24 * 3600 * 1000);
      const again = await open({ ...account, tokens });
      expect(again.login).toMatchObject({ profile: 'sasl2', mechanism: 'HT-SHA-256-NONE', resumed: false });
      expect(again.login!.exchanges).toEqual(['stream', 'authenticate']);
      expect((again.xmpp.streamManagement as unknown as { enabled: boolean }).enabled).toBe(true);
    });

    it('[SES9] a token is used only with the password it was obtained with', async () => {
      const account = await createAccount('login-bound');
      const tokens = inspectableStore();
      await (await open({ ...account, tokens })).close();
      await expect(open({ ...account, password: 'not-the-password', tokens, reconnect: false })).rejects.toMatchObject({
        condition: 'not-authorized',
      });
      expect((await open({ ...account, tokens })).login!.mechanism).toBe('HT-SHA-256-NONE');
    });

    it('[SES9] a refused token is replaced by a new one from a password login', async () => {
      const account = await createAccount('login-refused');
      const tokens = inspectableStore();
      await (await open({ ...account, tokens })).close();
      const key = [...tokens.keys][0]!;
      const issued = await storedToken(tokens);
      await tokens.save(key, { ...issued, token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      const fallback = await open({ ...account, tokens });
      expect(fallback.login!.mechanism).toBe('SCRAM-SHA-1');
      // The refused token, then the password asking for a new one.
      expect(fallback.login!.exchanges).toEqual(['stream', 'authenticate', 'authenticate', 'response']);
      // The new token is kept as the server's <success/> is read, after the session is up.
      await vi.waitFor(async () => expect((await tokens.load(key))?.token).not.toMatch(/^A+=$/));
      const replacement = await storedToken(tokens);
      expect(replacement.token).not.toBe(issued.token);
      expect(replacement.token).not.toMatch(/^A+=$/);
      await fallback.close();
      expect((await open({ ...account, tokens })).login!.mechanism).toBe('HT-SHA-256-NONE');
    });

    it('[SES1] a dropped stream is resumed inside the FAST authentication: two round trips', async () => {
      const account = await createAccount('login-resume');
      const connection = await open({ ...account, tokens: inspectableStore() });
      const boundJid = connection.jid;
      const resumed = new Promise<void>((resolve) => connection.once('resumed', resolve));
      (connection.xmpp.socket as unknown as { destroy(): void }).destroy();
      await resumed;
      expect(connection.login).toMatchObject({ profile: 'sasl2', mechanism: 'HT-SHA-256-NONE', resumed: true });
      expect(connection.login!.exchanges).toEqual(['stream', 'authenticate']);
      expect(connection.jid).toBe(boundJid);
    });

    it('[SES11] with the server’s features known, the login leaves with the stream header', async () => {
      const account = await createAccount('login-pipelined');
      const tokens = inspectableStore();
      // The first stream of this connection learns the features; its resumption is pipelined.
      const connection = await open({ ...account, tokens, pipelining: true });
      const resumed = new Promise<void>((resolve) => connection.once('resumed', resolve));
      (connection.xmpp.socket as unknown as { destroy(): void }).destroy();
      await resumed;
      expect(connection.login).toMatchObject({ mechanism: 'HT-SHA-256-NONE', resumed: true });
      expect(connection.login!.exchanges).toEqual(['stream+authenticate']);
      expect(connection.login!.roundTrips).toBe(1);
      await connection.close();
      // A new connection of the same process: FAST and Bind2 in one round trip.
      const again = await open({ ...account, tokens, pipelining: true });
      expect(again.login).toMatchObject({ mechanism: 'HT-SHA-256-NONE', resumed: false });
      expect(again.login!.exchanges).toEqual(['stream+authenticate']);
      expect((again.xmpp.streamManagement as unknown as { enabled: boolean }).enabled).toBe(true);
      // A new account: SCRAM's first message leaves with the header, its proof one round trip later.
      const newcomer = await open({ ...(await createAccount('login-pipelined-new')), tokens, pipelining: true });
      expect(newcomer.login!.exchanges).toEqual(['stream+authenticate', 'response']);
    });

    it('[SES10] an asked-for resource is bound exactly, after SASL2', async () => {
      const account = await createAccount('login-resource');
      const connection = await open({ ...account, resource: 'fixed', tokens: inspectableStore() });
      expect(connection.jid).toBe(`${connection.bareJid}/fixed`);
      expect(connection.login!.exchanges).toEqual(['stream', 'authenticate', 'response', 'bind', 'enable']);
    });

    it('[SES9] fileTokenStore keeps tokens in a data dir, readable by its owner only', async () => {
      const account = await createAccount('login-file');
      const dir = mkdtempSync(join(tmpdir(), 'xsync-tokens-'));
      try {
        await (await open({ ...account, tokens: fileTokenStore(dir) })).close();
        expect(statSync(join(dir, 'fast-tokens.json')).mode & 0o777).toBe(0o600);
        // Another store on the same dir, as after a restart.
        expect((await open({ ...account, tokens: fileTokenStore(dir) })).login!.mechanism).toBe('HT-SHA-256-NONE');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('never asks for a token with tokens: false', async () => {
      const account = await createAccount('login-notokens');
      const sent: string[] = [];
      const first = await open({ ...account, tokens: false });
      expect(first.login!.mechanism).toBe('SCRAM-SHA-1');
      first.xmpp.on('send', (element: { name: string }) => sent.push(element.name));
      await first.close();
      expect((await open({ ...account, tokens: false })).login!.mechanism).toBe('SCRAM-SHA-1');
      expect(sent).not.toContain('request-token');
    });
    it('[TRN1] logs in over WebSocket the same way, and carries multi-byte text between WebSocket and TCP', async () => {
      const [sender, receiver] = await Promise.all([createAccount('login-ws'), createAccount('login-tcp')]);
      const { wsUrl, domain } = target();
      const overWebSocket = await Connection.open({ service: wsUrl, domain, ...sender, WebSocket, tokens: false });
      opened.push(overWebSocket);
      expect(overWebSocket.login).toMatchObject({ profile: 'sasl2', mechanism: 'SCRAM-SHA-1' });
      expect(overWebSocket.login!.exchanges).toEqual(['stream', 'authenticate', 'response']);
      const overTcp = await open({ ...receiver, tokens: false });
      // ~180 KB of 2-, 3- and 4-byte characters: far more than one TCP read (SES6).
      const text = 'ü€😀'.repeat(20_000);
      const received = new Promise<string>((resolve) => {
        overTcp.on('stanza', (stanza) => {
          if (stanza.is('message')) resolve(stanza.getChildText('body') ?? '');
        });
      });
      await overWebSocket.send(xml('message', { to: overTcp.jid, type: 'chat' }, xml('body', {}, text)));
      expect((await received) === text).toBe(true);
    });
  });
}
