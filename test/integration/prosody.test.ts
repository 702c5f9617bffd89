import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { type Client, client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { type Account, type ProsodyServer, ProsodyStartError, freePort, startProsody } from '@xsync/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { isRunning } from '../support/processes.js';

const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_BIND2 = 'urn:xmpp:bind:0';
const NS_SM = 'urn:xmpp:sm:3';
const NS_FAST = 'urn:xmpp:fast:0';
const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';

/** Resolves once `pid` is gone (or a zombie), rejects at the deadline. */
async function exited(pid: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (isRunning(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} still running after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `ss -ltnp` lines of the sockets `pid` listens on. */
function listeningSockets(pid: number): string[] {
  return execFileSync('ss', ['-ltnp'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`));
}

/** An @xmpp/client over TCP that does not reconnect, so a closed stream stays closed. */
function tcpClient(server: ProsodyServer, account: Account, resource: string): Client {
  const xmpp = client({
    service: server.tcpUrl,
    domain: server.domain,
    username: account.username,
    password: account.password,
    resource,
  });
  xmpp.reconnect.stop();
  return xmpp;
}

/** A raw RFC 7395 stream: frames are read as text, so what the server offers is visible as is. */
async function openWebSocket(url: string) {
  const socket = new WebSocket(url, ['xmpp']);
  const frames: string[] = [];
  const waiting = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(String(data));
    for (const wake of waiting) wake();
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let read = 0;
  return {
    send: (text: string) => socket.send(text),
    /** The next frame matching `pattern`, skipping the others. */
    next(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
      return new Promise((resolve, reject) => {
        const check = () => {
          while (read < frames.length) {
            const frame = frames[read++]!;
            if (pattern.test(frame)) {
              done();
              resolve(frame);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no frame matching ${pattern} within ${timeoutMs} ms; got ${frames.join('\n')}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
}

/** Opens a stream that names its user, as a client on a secure (or loopback) connection does. */
async function openStream(server: ProsodyServer, account: Account) {
  const stream = await openWebSocket(server.wsUrl);
  stream.send(`<open xmlns='${NS_FRAMING}' to='${server.domain}' from='${account.jid}' version='1.0'/>`);
  return { stream, features: await stream.next(/features/) };
}

/** Text of the `<mechanism/>` children inside the first `<name xmlns='ns'>` of `xmlText`. */
function mechanismsIn(xmlText: string, name: string, ns: string): string[] {
  const element = new RegExp(`<${name} xmlns='${ns}'>(.*?)</${name}>`).exec(xmlText)?.[1] ?? '';
  return [...element.matchAll(/<mechanism>([^<]+)<\/mechanism>/g)].map((match) => match[1]!);
}

describe('@xsync/servers Prosody', () => {
  it('starts on loopback only, logs in its data dir, and stops without leftovers', async () => {
    const server = await startProsody();
    try {
      expect(server.kind).toBe('prosody');
      expect(server.version).toMatch(/^13\./);
      const listening = listeningSockets(server.pid);
      expect(listening).toHaveLength(2);
      for (const line of listening) expect(line).toMatch(/ 127\.0\.0\.1:\d+ /);
      const ports = listening.map((line) => Number(/127\.0\.0\.1:(\d+)/.exec(line)![1])).sort();
      expect(ports).toEqual([server.c2sPort, server.httpPort].sort());
      expect(readFileSync(`${server.dataDir}/prosody.pid`, 'utf8').trim()).toBe(String(server.pid));
      expect(server.logFile.startsWith(server.dataDir)).toBe(true);
      expect(readFileSync(server.logFile, 'utf8')).toContain(`Prosody version ${server.version}`);
      const config = readFileSync(`${server.dataDir}/prosody.cfg.lua`, 'utf8');
      expect(config).toContain('c2s_stanza_size_limit = 1048576');
      expect(config).not.toMatch(/^\s*"limits";/m);
      const journal = execFileSync('sqlite3', [`${server.dataDir}/data/prosody.sqlite`, 'PRAGMA journal_mode;'], {
        encoding: 'utf8',
      });
      expect(journal.trim()).toBe('wal');
      const account = await server.createAccount();
      expect(account.jid).toBe(`${account.username}@${server.domain}`);
      await expect(server.createAccount(account.username)).rejects.toThrow(/already registered/);
    } finally {
      await server.stop();
    }
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('ignores Ctrl-C aimed at its owner, and dies with its owner even on SIGKILL', async () => {
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { startProsody } from '@xsync/servers'; const s = await startProsody(); process.on('SIGINT', () => console.log('SIGINT')); console.log(JSON.stringify({ pid: s.pid, dataDir: s.dataDir })); setInterval(() => {}, 1000);",
      ],
      // A process group of its own, like a shell job, so Ctrl-C can be sent to it alone.
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    const lines = createInterface({ input: owner.stdout! });
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        owner.once('exit', (code) => reject(new Error(`owner exited early (${code})`)));
      });
    const { pid, dataDir } = JSON.parse(await nextLine()) as { pid: number; dataDir: string };
    try {
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('prosody');
      // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
      const interrupted = nextLine();
      process.kill(-owner.pid!, 'SIGINT');
      expect(await interrupted).toBe('SIGINT');
      expect(isRunning(pid)).toBe(true);
      owner.kill('SIGKILL');
      await exited(pid, 15_000);
    } finally {
      owner.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports a taken port with the server output, and leaves nothing behind', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const error = await startProsody({ c2sPort: port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProsodyStartError);
      expect((error as ProsodyStartError).message).toMatch(new RegExp(`in use: \\[127\\.0\\.0\\.1\\]:${port}`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  describe('with a running server', () => {
    let server: ProsodyServer;
    const clients: Client[] = [];
    const sockets: { close(): void }[] = [];

    beforeAll(async () => {
      server = await startProsody();
    });

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await Promise.allSettled(clients.map((xmpp) => xmpp.stop()));
      await server?.stop();
    });

    /** A logged-in TCP client; its errors are kept, not thrown. */
    async function online(account: Account, resource: string): Promise<{ xmpp: Client; errors: Error[] }> {
      const xmpp = tcpClient(server, account, resource);
      const errors: Error[] = [];
      xmpp.on('error', (error) => errors.push(error));
      clients.push(xmpp);
      await xmpp.start();
      return { xmpp, errors };
    }

    it('logs in over TCP with SASL2 and Bind2, and offers stream management inline', async () => {
      const account = await server.createAccount();
      const xmpp = tcpClient(server, account, 'tcp');
      clients.push(xmpp);
      const nonzas: Element[] = [];
      xmpp.on('nonza', (element) => nonzas.push(element));
      await xmpp.start();
      const authentication = nonzas[0]?.getChild('authentication', NS_SASL2);
      expect(authentication).toBeDefined();
      const mechanisms = authentication!.getChildren('mechanism').map((mechanism) => mechanism.text());
      expect(mechanisms).toEqual(expect.arrayContaining(['SCRAM-SHA-1', 'PLAIN']));
      const inline = authentication!.getChild('inline');
      expect(inline?.getChild('bind', NS_BIND2)).toBeDefined();
      expect(inline?.getChild('sm', NS_SM)).toBeDefined();
      // FAST is only offered to a stream whose header names the user (see the WebSocket test).
      expect(inline?.getChild('fast', NS_FAST)).toBeUndefined();
      const success = nonzas.find((element) => element.is('success', NS_SASL2));
      expect(success?.getChild('bound', NS_BIND2)).toBeDefined();
      expect(xmpp.jid?.toString()).toMatch(new RegExp(`^${account.jid}/tcp`));
    });

    it('logs in over WebSocket with SASL2, gets a FAST token, and logs in again with it', async () => {
      const account = await server.createAccount();
      const userAgent = randomUUID();
      const first = await openStream(server, account);
      sockets.push(first.stream);
      expect(mechanismsIn(first.features, 'authentication', NS_SASL2)).toContain('PLAIN');
      expect(first.features).toContain(`<bind xmlns='${NS_BIND2}'>`);
      expect(first.features).toContain(`<sm xmlns='${NS_SM}'/>`);
      expect(mechanismsIn(first.features, 'fast', NS_FAST)).toContain('HT-SHA-256-NONE');
      const plain = Buffer.from(`\0${account.username}\0${account.password}`).toString('base64');
      first.stream.send(
        `<authenticate xmlns='${NS_SASL2}' mechanism='PLAIN'><initial-response>${plain}</initial-response>` +
          `<user-agent id='${userAgent}'/><bind xmlns='${NS_BIND2}'/>` +
          `<request-token xmlns='${NS_FAST}' mechanism='HT-SHA-256-NONE'/></authenticate>`,
      );
      const success = await first.stream.next(/<success/);
      expect(success).toMatch(new RegExp(`<authorization-identifier>${account.jid}/`));
      const token = /<token [^>]*token='([^']+)'/.exec(success)?.[1];
      expect(token).toBeDefined();
      first.stream.close();

      // XEP-0484: HT-SHA-256-NONE sends HMAC-SHA-256(token, "Initiator") instead of a password.
      const second = await openStream(server, account);
      sockets.push(second.stream);
      const hash = createHmac('sha256', token!).update('Initiator').digest();
      const response = Buffer.concat([Buffer.from(`${account.username}\0`), hash]).toString('base64');
      second.stream.send(
        `<authenticate xmlns='${NS_SASL2}' mechanism='HT-SHA-256-NONE'><initial-response>${response}</initial-response>` +
          `<user-agent id='${userAgent}'/><fast xmlns='${NS_FAST}'/><bind xmlns='${NS_BIND2}'/></authenticate>`,
      );
      expect(await second.stream.next(/<success|<failure/)).toMatch(/^<success/);
      second.stream.close();
    });

    it('relays a message nested 10,000 elements deep and stays up', async () => {
      const [alice, bob, carol] = await Promise.all([
        server.createAccount(),
        server.createAccount(),
        server.createAccount(),
      ]);
      const sender = await online(alice, 'deep');
      const receiver = await online(bob, 'deep');
      const depth = 10_000;
      const received = new Promise<number>((resolve) => {
        receiver.xmpp.on('stanza', (stanza) => {
          if (stanza.attrs.id !== 'deep') return;
          // Counted iteratively: serializing it with toString() overflows Node's stack.
          let levels = 0;
          for (let element = stanza.getChild('a'); element; element = element.getChild('a')) levels++;
          resolve(levels);
        });
      });
      // Written raw: @xmpp/xml builds and serializes elements recursively too.
      sender.xmpp.write(
        `<message to='${receiver.xmpp.jid}' type='chat' id='deep'>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</message>`,
      );
      expect(await received).toBe(depth);
      expect(sender.xmpp.status).toBe('online');
      expect(isRunning(server.pid)).toBe(true);

      const prober = await online(carol, 'probe');
      const pong = await prober.xmpp.iqCaller.request(
        xml('iq', { type: 'get', to: receiver.xmpp.jid!.toString() }, xml('ping', { xmlns: 'urn:xmpp:ping' })),
      );
      expect(pong.attrs.type).toBe('result');
    });
  });
});
