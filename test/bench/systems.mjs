// The three systems the comparison runs, behind one interface, so every workload is written
// once: xsync (ejabberd MIX + xsync-bot, Node clients over TCP), y-websocket's reference
// server and Hocuspocus (Node clients over WebSocket). Servers and the bot run in processes
// of their own, so their CPU and memory can be read from /proc.
//
//   const system = await startSystem('xsync');
//   const client = await system.client('room-1');   // connected, joined and synced
//   client.doc; client.wire(); client.disconnect(); client.reconnect(); client.close();
//   system.pids;   // { server, bot? }
//   await system.stop();
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Channel, Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { startEjabberd } from '@xsync/ejabberd';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const SYSTEM_NAMES = ['xsync', 'y-websocket', 'hocuspocus'];

/** Version of an installed package (read from node_modules: some packages export no package.json). */
export function versionOf(name) {
  try {
    return JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function startSystem(name) {
  if (name === 'xsync') return startXsync();
  if (name === 'y-websocket') return startWebSocketSystem(name, 'servers/yWebsocketServer.mjs', yWebsocketClient);
  if (name === 'hocuspocus') return startWebSocketSystem(name, 'servers/hocuspocusServer.mjs', hocuspocusClient);
  throw new Error(`unknown system ${name}`);
}

/** A WebSocket (the `ws` package) that lists its instances, so a client can count its bytes. */
function countingWebSocket(sockets) {
  return class CountingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  };
}

/** Bytes on the wire (TCP payload: WebSocket frames or XMPP XML) of a client's sockets. */
function socketBytes(sockets) {
  let sent = 0;
  let received = 0;
  for (const socket of sockets) {
    sent += socket.bytesWritten ?? socket._socket?.bytesWritten ?? 0;
    received += socket.bytesRead ?? socket._socket?.bytesRead ?? 0;
  }
  return { sent, received };
}

/** Runs a server script in its own process and resolves with its port once it listens. */
async function spawnServer(script) {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
    child.stdout.once('data', (data) => resolve(JSON.parse(String(data)).port));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.stdin.end();
    });
  return { pid: child.pid, port, stop };
}

async function startWebSocketSystem(name, script, makeClient) {
  const server = await spawnServer(script);
  const url = `ws://127.0.0.1:${server.port}`;
  const clients = new Set();
  return {
    name,
    transport: 'WebSocket',
    pids: { server: server.pid },
    versions:
      name === 'y-websocket'
        ? { '@y/websocket-server': versionOf('@y/websocket-server'), 'y-websocket': versionOf('y-websocket') }
        : {
            '@hocuspocus/server': versionOf('@hocuspocus/server'),
            '@hocuspocus/provider': versionOf('@hocuspocus/provider'),
          },
    async client(room) {
      const client = await makeClient(url, room);
      clients.add(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await server.stop();
    },
  };
}

/** Resolves when `ready()` holds, checking on every update of `doc`. */
export function whenDoc(doc, ready, timeoutMs = 60_000) {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      doc.off('update', check);
      reject(new Error('document not ready in time'));
    }, timeoutMs);
    const check = () => {
      if (!ready()) return;
      clearTimeout(timer);
      doc.off('update', check);
      resolve();
    };
    doc.on('update', check);
  });
}

/** A synced client of a WebSocket system: both providers have the same few methods. */
function webSocketClient(doc, provider, sockets, started) {
  return {
    doc,
    connectMs: performance.now() - started,
    wire: () => socketBytes(sockets),
    disconnect: () => provider.disconnect(),
    reconnect: () => provider.connect(),
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

async function yWebsocketClient(url, room) {
  const sockets = [];
  const doc = new Y.Doc();
  const started = performance.now();
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: countingWebSocket(sockets),
    disableBc: true,
  });
  await new Promise((resolve) => provider.once('sync', resolve));
  return webSocketClient(doc, provider, sockets, started);
}

async function hocuspocusClient(url, room) {
  const sockets = [];
  const doc = new Y.Doc();
  const started = performance.now();
  let provider;
  await new Promise((resolve) => {
    provider = new HocuspocusProvider({
      url,
      name: room,
      document: doc,
      WebSocketPolyfill: countingWebSocket(sockets),
      onSynced: resolve,
    });
  });
  return webSocketClient(doc, provider, sockets, started);
}

async function startXsync() {
  const server = await startEjabberd();
  const dataDir = await mkdtemp(join(tmpdir(), 'xsync-bench-bot-'));
  const botAccount = await server.createAccount('bench-bot');
  const botJid = `${botAccount.username}@${server.domain}`;
  const bot = await spawnBot(server, botAccount, dataDir);
  const rooms = new Map();
  const clients = new Set();

  /** Creates the room's channel once, and waits until the bot follows it. */
  const prepare = (room) => {
    if (!rooms.has(room)) {
      rooms.set(
        room,
        (async () => {
          const connection = await open();
          const jid = await Channel.create(connection, server.mixDomain, room);
          const channel = new Channel(connection, { jid });
          await channel.join();
          await channel.invite(botJid);
          for (;;) {
            const health = await fetch(`${bot.url}/healthz`).then((response) => response.json());
            if (health.channels.some((channel) => channel.jid === jid && channel.ready)) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          channel.destroy();
          await connection.close();
          return jid;
        })(),
      );
    }
    return rooms.get(room);
  };
  const open = async (account) =>
    Connection.open({
      service: server.tcpUrl,
      domain: server.domain,
      ...(account ?? (await server.createAccount())),
      reconnect: false,
    });

  return {
    name: 'xsync',
    transport: 'XMPP over TCP',
    pids: { server: server.pid, bot: bot.pid },
    versions: {
      ejabberd: server.version,
      '@xmpp/client': versionOf('@xmpp/client'),
      '@xsync/core': versionOf('@xsync/core'),
    },
    /** A client: its own account and connection, with the bot trusted for catch-up. */
    async client(room) {
      const jid = await prepare(room);
      const account = await server.createAccount();
      const doc = new Y.Doc();
      let bytes = { sent: 0, received: 0 };
      let connection;
      let provider;
      const connect = async () => {
        connection = await open(account);
        provider = new XmppProvider(new Channel(connection, { jid }), doc, { bots: [botJid], connect: false });
        await provider.connect();
      };
      const drop = async () => {
        const { sent, received } = socketBytes([connection.xmpp.socket]);
        bytes = { sent: bytes.sent + sent, received: bytes.received + received };
        provider.destroy();
        provider.channel.destroy();
        await connection.close();
        connection = undefined;
      };
      const started = performance.now();
      await connect();
      const client = {
        doc,
        connectMs: performance.now() - started,
        wire: () => {
          const now = connection ? socketBytes([connection.xmpp.socket]) : { sent: 0, received: 0 };
          return { sent: bytes.sent + now.sent, received: bytes.received + now.received };
        },
        // A reconnect is a new session: login, join, catch-up from the bot.
        disconnect: () => drop(),
        reconnect: () => connect(),
        close: () => {
          clients.delete(client);
          return connection ? drop() : undefined;
        },
      };
      clients.add(client);
      return client;
    },
    async stop() {
      for (const client of [...clients]) await client.close();
      await bot.stop();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** xsync-bot as `npm start` runs it: its own process, ready when /healthz says so. */
async function spawnBot(server, account, dataDir) {
  const { freePort } = await import('@xsync/ejabberd');
  const port = await freePort();
  const child = spawn(process.execPath, [`${root}packages/bot/dist/cli.js`, 'run'], {
    env: {
      ...process.env,
      XSYNC_BOT_SERVICE: server.tcpUrl,
      XSYNC_BOT_DOMAIN: server.domain,
      XSYNC_BOT_USERNAME: account.username,
      XSYNC_BOT_PASSWORD: account.password,
      XSYNC_BOT_DATA_DIR: dataDir,
      XSYNC_BOT_HTTP_PORT: String(port),
      XSYNC_BOT_ACCEPT_INVITES_FROM: server.domain,
      XSYNC_BOT_LOG_LEVEL: 'warn',
      // The benchmarks' writers are loopback processes making thousands of requests.
      XSYNC_BOT_RATE_BURST: '1000',
      XSYNC_BOT_RATE_PER_SECOND: '1000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`xsync-bot exited (${child.exitCode})`);
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    pid: child.pid,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
