#!/usr/bin/env node
// `npm start`: runs the local XMPP server (ejabberd, or Prosody with XSYNC_SERVER=prosody) with
// a persistent data dir, provisions two accounts, runs the publish-and-replay example once in
// the demo room (a MUC room), starts the bot and the demo page, waits until each is ready, and
// keeps them up until Ctrl-C, which stops all three. Their data (ejabberd/ or prosody/, bot/)
// is kept in XSYNC_DATA_DIR, by default .xsync in the checkout.
//
// Stopping. Ctrl-C in a terminal signals the whole foreground process group: npm, sh, this
// script, the Erlang VM (which ignores it, +Bi: it stops when this script closes its stdin)
// and the bot (which starts writing its snapshots). This script then closes the demo, waits
// for the bot, stops the server and only then exits, so the shell's prompt comes back with
// nothing left running. It does the same on SIGTERM or SIGHUP, at any point of the start-up,
// and when its parent goes away (`kill <npm pid>` makes npm's sh exit without waiting).
// A second Ctrl-C kills the bot without waiting for its snapshots. Nothing outlives this
// script even if it is killed: the VM watches its stdin pipe, the bot runs under
// `setpriv --pdeathsig SIGTERM`, and the demo's Vite server runs in this process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEjabberd, startProsody, EjabberdStartError } from '../packages/servers/dist/index.js';
import { runExample } from '../examples/publish-and-replay.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = resolve(root, process.env.XSYNC_DATA_DIR ?? '.xsync');
const c2sPort = Number(process.env.XSYNC_C2S_PORT ?? 15222);
const httpPort = Number(process.env.XSYNC_HTTP_PORT ?? 15280);
const botHttpPort = Number(process.env.XSYNC_BOT_HTTP_PORT ?? 15281);
const demoPort = Number(process.env.XSYNC_DEMO_PORT ?? 15173);
const BOT = { username: 'xsync-bot', password: 'xsync-bot-password' };
const serverKind = process.env.XSYNC_SERVER ?? 'ejabberd';
if (serverKind !== 'ejabberd' && serverKind !== 'prosody') {
  console.error(`XSYNC_SERVER is ejabberd or prosody, not ${serverKind}.`);
  process.exit(2);
}
/** How long the bot may take to write its snapshots and leave before it is killed. */
const BOT_STOP_TIMEOUT_MS = 20_000;

/** @type {Promise<import('../packages/servers/dist/index.js').XmppServer> | undefined} */
let serverStarting;
/** @type {import('node:child_process').ChildProcess | undefined} */
let bot;
/** @type {Promise<unknown> | undefined} */
let botExited;
/** @type {Promise<import('vite').ViteDevServer> | undefined} */
let demoStarting;
/** @type {Promise<never> | undefined} set once stopping has begun; start-up steps check it. */
let stopping;

/** Stops whatever has been started, newest first, and exits. Idempotent. */
function stop(code) {
  stopping ??= (async () => {
    try {
      const demo = await demoStarting?.catch(() => undefined);
      await demo?.close().catch((error) => console.error(`Stopping the demo failed: ${error.message}`));
      await stopBot();
      const server = await serverStarting?.catch(() => undefined);
      await server?.stop();
    } catch (error) {
      console.error('Stopping failed:', error);
      code = 1;
    }
    // Exiting kills the VM too if stopping it failed (its exit hook, then its stdin watchdog).
    process.exit(code);
  })();
  return stopping;
}

async function stopBot() {
  if (!bot || bot.exitCode !== null || bot.signalCode !== null) return;
  bot.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`xsync-bot did not stop within ${BOT_STOP_TIMEOUT_MS / 1000} s; killing it.`);
    bot.kill('SIGKILL');
  }, BOT_STOP_TIMEOUT_MS);
  await botExited;
  clearTimeout(timer);
}

// `on`, not `once`: a second signal must not kill this script before the server has stopped.
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    signals += 1;
    if (signals === 1) {
      console.log('\nStopping the demo, the bot (it writes its snapshots) and the server…');
      void stop(0);
    } else if (signals === 2) {
      console.log('Stopping now, without waiting for the bot.');
      bot?.kill('SIGKILL');
    }
  });
}
// Clients of the example lose their connections when the server stops during the start-up:
// their errors are expected then; any other error stops everything cleanly.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    if (stopping) return;
    console.error(error);
    void stop(1);
  });
}
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 500).unref();

/** A data path as the user should read it: relative to the checkout when inside it. */
const shown = (path) => {
  const inside = relative(root, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
};

async function main() {
  const start = serverKind === 'prosody' ? startProsody : startEjabberd;
  serverStarting = start({ dataDir: `${dataDir}/${serverKind}`, c2sPort, httpPort });
  let server;
  try {
    server = await serverStarting;
  } catch (error) {
    if ((error instanceof EjabberdStartError || serverKind === 'prosody') && /in use/.test(error.message)) {
      console.error(
        `Port ${c2sPort} or ${httpPort} on 127.0.0.1 is taken. Choose others:\n` +
          `  XSYNC_C2S_PORT=25222 XSYNC_HTTP_PORT=25280 npm start`,
      );
      return stop(1);
    }
    throw error;
  }
  if (stopping) return;

  const accounts = [];
  for (const [username, password] of [
    ['alice', 'alice-password'],
    ['bob', 'bob-password'],
    [BOT.username, BOT.password],
  ]) {
    await server.createAccount(username, password).catch((error) => {
      if (!String(error).includes('already registered')) throw error;
    });
    if (username !== BOT.username) accounts.push({ username, password });
  }
  if (stopping) return;

  try {
    await runExample({ service: server.tcpUrl, domain: server.domain, roomService: server.mucDomain, accounts });
  } catch (error) {
    if (!stopping) console.error('The example failed:', error);
  }
  if (stopping) return;

  if (!(await startBot(server)) || stopping) return;

  demoStarting = startDemo(server);
  try {
    await demoStarting;
  } catch (error) {
    if (stopping) return;
    console.error(
      `The demo page could not start on 127.0.0.1:${demoPort} (${error.message}). Choose another port: XSYNC_DEMO_PORT=25173 npm start`,
    );
    return stop(1);
  }
  if (stopping) return;

  console.log(`
xsync is running on the local ${server.kind === 'prosody' ? 'Prosody' : 'ejabberd'} ${server.version} (data in ${shown(`${dataDir}/${serverKind}`)}).

  Open the demo:       http://127.0.0.1:${demoPort}/
                       Open it in a second window too, give each a name, and enter the same room.
                       Visitors get guest accounts (in-band registration, allowed from loopback only).

  XMPP over TCP        ${server.tcpUrl}
  XMPP over WebSocket  ${server.wsUrl}
  domain               ${server.domain}  (MUC rooms: ${server.mucDomain})
  accounts             alice / alice-password, bob / bob-password
  room                 demo@${server.mucDomain}
  bot                  ${BOT.username}@${server.domain}  health http://127.0.0.1:${botHttpPort}/healthz, metrics /metrics
Run the example again with:  node examples/publish-and-replay.mjs
Press Ctrl-C to stop.`);
}

/** Serves apps/demo with Vite, pointed at this server, the demo channel and the bot. */
async function startDemo(server) {
  const { createServer } = await import('vite');
  Object.assign(process.env, {
    VITE_XSYNC_SERVICE: server.wsUrl,
    VITE_XSYNC_DOMAIN: server.domain,
    VITE_XSYNC_ROOM_SERVICE: server.mucDomain,
    VITE_XSYNC_BOT: `${BOT.username}@${server.domain}`,
    VITE_XSYNC_GUESTS: 'register',
    VITE_XSYNC_ROOM: 'demo',
  });
  const vite = await createServer({
    root: `${root}/apps/demo`,
    configFile: `${root}/apps/demo/vite.config.ts`,
    cacheDir: `${root}/node_modules/.vite/demo`,
    logLevel: 'warn',
    server: { port: demoPort, host: '127.0.0.1', strictPort: true },
  });
  try {
    await vite.listen();
  } catch (error) {
    await vite.close();
    throw error;
  }
  return vite;
}

/**
 * Runs xsync-bot as its own process, as in production, and waits until /healthz says it is
 * ready. Resolves false if stopping began meanwhile. setpriv (util-linux) has the kernel send
 * the bot SIGTERM if this script dies without stopping it.
 */
async function startBot(server) {
  const demoChannel = `demo@${server.mucDomain}`;
  const args = [
    `${root}/packages/bot/dist/cli.js`,
    'run',
    '--channel',
    demoChannel,
    '--accept-invites-from',
    server.domain,
  ];
  const [command, commandArgs] = existsSync('/usr/bin/setpriv')
    ? ['/usr/bin/setpriv', ['--pdeathsig', 'SIGTERM', '--', process.execPath, ...args]]
    : [process.execPath, args];
  bot = spawn(command, commandArgs, {
    env: {
      ...process.env,
      XSYNC_BOT_SERVICE: server.tcpUrl,
      XSYNC_BOT_DOMAIN: server.domain,
      XSYNC_BOT_USERNAME: BOT.username,
      XSYNC_BOT_PASSWORD: BOT.password,
      XSYNC_BOT_DATA_DIR: `${dataDir}/bot`,
      XSYNC_BOT_HTTP_PORT: String(botHttpPort),
      XSYNC_BOT_LOG_LEVEL: process.env.XSYNC_BOT_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const child = bot;
  let ready = false;
  botExited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`xsync-bot exited (${signal ?? code}).`);
    if (!ready) console.error(`If port ${botHttpPort} is taken, choose another: XSYNC_BOT_HTTP_PORT=25281 npm start`);
    void stop(1);
  });
  while (!stopping && child.exitCode === null && child.signalCode === null) {
    ready = await fetch(`http://127.0.0.1:${botHttpPort}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return !stopping;
    await Promise.race([botExited, new Promise((resolveWait) => setTimeout(resolveWait, 200))]);
  }
  return false;
}

main().catch((error) => {
  if (stopping) return;
  console.error(error);
  void stop(1);
});
