// The systems the comparison runs, behind one interface, so every workload is written once:
// xsync with xsync-bot in each room kind (`xsync`: ejabberd MUC rooms, `xsync-mix`: ejabberd MIX
// channels, `xsync-prosody`: Prosody MUC rooms; ejabberd's MAM in SQLite WAL, or in PostgreSQL
// as `xsync-postgresql`), y-websocket's reference server and Hocuspocus. Servers, the bot and the database run in
// processes of their own, so their CPU and memory can be read from /proc.
//
//   const system = await startSystem('xsync');
//   await system.prepare('room-1');                 // the room exists (xsync: channel + bot)
//   const client = await system.client('room-1');   // a client in this process, synced
//   system.endpoint;   // plain data: clients.mjs connects from any process with it
//   system.pids;       // { server, bot?, database? }
//   await system.stop();
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Room } from '@xsync/core';
import { freePort, startEjabberd, startPostgres, startProsody } from '@xsync/servers';
import { connectClient, createAccount, openConnection } from './clients.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every system, in the order the table shows them. */
export const SYSTEM_NAMES = ['xsync', 'xsync-mix', 'xsync-prosody', 'xsync-postgresql', 'y-websocket', 'hocuspocus'];

/** Server settings measured beside the defaults (`--systems=` only): the archive's commit durability. */
export const VARIANT_NAMES = ['xsync-postgresql-async'];

/** Version of an installed package (read from node_modules: some packages export no package.json). */
export function versionOf(name) {
  try {
    return JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export async function startSystem(name) {
  let system;
  if (name === 'xsync') system = await startXsync(name);
  else if (name === 'xsync-mix') system = await startXsync(name, { kind: 'mix' });
  else if (name === 'xsync-prosody') system = await startXsync(name, { server: 'prosody' });
  else if (name === 'xsync-postgresql') system = await startXsync(name, { postgres: {} });
  else if (name === 'xsync-postgresql-async') {
    // Commits return before the WAL reaches the disk: a crash may lose the last ~0.6 s.
    system = await startXsync(name, { postgres: { settings: { synchronous_commit: 'off' } } });
  } else if (name === 'y-websocket') system = await startWebSocketSystem(name, 'servers/yWebsocketServer.mjs');
  else if (name === 'hocuspocus') system = await startWebSocketSystem(name, 'servers/hocuspocusServer.mjs');
  else throw new Error(`unknown system ${name}`);
  const clients = new Set();
  return {
    ...system,
    /** A client in this process, in a prepared room. */
    async client(room) {
      await system.prepare(room);
      const client = await connectClient(system.endpoint, room);
      clients.add(client);
      const close = client.close;
      client.close = () => {
        clients.delete(client);
        return close();
      };
      return client;
    },
    async stop() {
      for (const client of [...clients]) await client.close();
      await system.stop();
    },
  };
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

async function startWebSocketSystem(name, script) {
  const server = await spawnServer(script);
  return {
    name,
    transport: 'WebSocket',
    endpoint: { system: name, url: `ws://127.0.0.1:${server.port}` },
    pids: { server: server.pid },
    versions:
      name === 'y-websocket'
        ? { '@y/websocket-server': versionOf('@y/websocket-server'), 'y-websocket': versionOf('y-websocket') }
        : {
            '@hocuspocus/server': versionOf('@hocuspocus/server'),
            '@hocuspocus/provider': versionOf('@hocuspocus/provider'),
          },
    // A room comes into being with its first client.
    prepare: async () => {},
    stop: () => server.stop(),
  };
}

async function startXsync(name, { postgres, kind = 'muc', server: software = 'ejabberd' } = {}) {
  const database = postgres ? await startPostgres(postgres) : undefined;
  const server = software === 'prosody' ? await startProsody() : await startEjabberd({ postgres: database });
  const dataDir = await mkdtemp(join(tmpdir(), 'xsync-bench-bot-'));
  const endpoint = {
    system: name,
    tcpUrl: server.tcpUrl,
    domain: server.domain,
    roomService: kind === 'mix' ? server.mixDomain : server.mucDomain,
    apiUrl: server.apiUrl,
    adminSocket: server.adminSocket,
    botJid: `bench-bot@${server.domain}`,
  };
  const bot = await spawnBot(endpoint, await createAccount(endpoint, 'bench-bot'), dataDir);
  const rooms = new Map();

  /** Creates the room's channel once, and waits until the bot follows it. */
  const prepare = async (room) => {
    if (!rooms.has(room)) {
      rooms.set(
        room,
        (async () => {
          const connection = await openConnection(endpoint);
          const jid = await Room.create(connection, endpoint.roomService, room);
          const channel = new Room(connection, { jid });
          await channel.join();
          await channel.invite(endpoint.botJid);
          for (;;) {
            const health = await fetch(`${bot.url}/healthz`).then((response) => response.json());
            if (health.channels.some((channel) => channel.jid === jid && channel.ready)) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          channel.destroy();
          await connection.close();
        })(),
      );
    }
    await rooms.get(room);
  };

  return {
    name,
    transport: 'XMPP over TCP',
    endpoint,
    /** Archived events of a room, read as a late reader would (the archive-rows workload). */
    async archiveRows(room) {
      const connection = await openConnection(endpoint);
      const reader = new Room(connection, { jid: `${room}@${endpoint.roomService}` });
      try {
        await reader.join();
        return (await reader.history()).events.length;
      } finally {
        reader.destroy();
        await connection.close();
      }
    },
    pids: { server: server.pid, bot: bot.pid, ...(database ? { database: database.pid } : {}) },
    versions: {
      [software === 'prosody' ? 'Prosody' : 'ejabberd']: server.version,
      ...(database ? { PostgreSQL: database.version } : {}),
      '@xmpp/client': versionOf('@xmpp/client'),
      '@xsync/core': versionOf('@xsync/core'),
    },
    prepare,
    async stop() {
      await bot.stop();
      await server.stop();
      await database?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** xsync-bot as `npm start` runs it: its own process, ready when /healthz says so. */
async function spawnBot(endpoint, account, dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [`${root}packages/bot/dist/cli.js`, 'run'], {
    env: {
      ...process.env,
      XSYNC_BOT_SERVICE: endpoint.tcpUrl,
      XSYNC_BOT_DOMAIN: endpoint.domain,
      XSYNC_BOT_USERNAME: account.username,
      XSYNC_BOT_PASSWORD: account.password,
      XSYNC_BOT_DATA_DIR: dataDir,
      XSYNC_BOT_HTTP_PORT: String(port),
      XSYNC_BOT_ACCEPT_INVITES_FROM: endpoint.domain,
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
