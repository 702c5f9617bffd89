#!/usr/bin/env node
// `npm start`: runs the local ejabberd with a persistent data dir, provisions a demo channel
// and two accounts, runs the publish-and-replay example once, starts the bot and the demo
// page, waits until each is ready, and keeps them up until Ctrl-C, which stops all three.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEjabberd, EjabberdStartError } from '../packages/servers/dist/index.js';
import { runExample } from '../examples/publish-and-replay.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const c2sPort = Number(process.env.XSYNC_C2S_PORT ?? 15222);
const httpPort = Number(process.env.XSYNC_HTTP_PORT ?? 15280);
const botHttpPort = Number(process.env.XSYNC_BOT_HTTP_PORT ?? 15281);
const demoPort = Number(process.env.XSYNC_DEMO_PORT ?? 15173);
const BOT = { username: 'xsync-bot', password: 'xsync-bot-password' };

let server;
try {
  server = await startEjabberd({ dataDir: `${root}/.xsync/ejabberd`, c2sPort, httpPort });
} catch (error) {
  if (error instanceof EjabberdStartError && /in use/.test(error.message)) {
    console.error(
      `Port ${c2sPort} or ${httpPort} on 127.0.0.1 is taken. Choose others:\n` +
        `  XSYNC_C2S_PORT=25222 XSYNC_HTTP_PORT=25280 npm start`,
    );
    process.exit(1);
  }
  throw error;
}

let bot;
let demo;
const stop = async () => {
  await demo?.close();
  if (bot && bot.exitCode === null) {
    const exited = new Promise((resolve) => bot.once('exit', resolve));
    bot.kill('SIGTERM');
    await exited;
  }
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

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

try {
  await runExample({ service: server.tcpUrl, domain: server.domain, mixDomain: server.mixDomain, accounts });
} catch (error) {
  console.error('The example failed:', error);
}

bot = await startBot();
demo = await startDemo().catch(async (error) => {
  console.error(
    `The demo page could not start on 127.0.0.1:${demoPort} (${error.message}). Choose another port: XSYNC_DEMO_PORT=25173 npm start`,
  );
  await stop();
});

/** Serves apps/demo with Vite, pointed at this server, the demo channel and the bot. */
async function startDemo() {
  const { createServer } = await import('vite');
  Object.assign(process.env, {
    VITE_XSYNC_SERVICE: server.wsUrl,
    VITE_XSYNC_DOMAIN: server.domain,
    VITE_XSYNC_MIX_DOMAIN: server.mixDomain,
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
  await vite.listen();
  return vite;
}

/** Runs xsync-bot as its own process, as in production, and waits until /healthz says it is ready. */
async function startBot() {
  const demoChannel = `demo@${server.mixDomain}`;
  const child = spawn(
    process.execPath,
    [`${root}/packages/bot/dist/cli.js`, 'run', '--channel', demoChannel, '--accept-invites-from', server.domain],
    {
      env: {
        ...process.env,
        XSYNC_BOT_SERVICE: server.tcpUrl,
        XSYNC_BOT_DOMAIN: server.domain,
        XSYNC_BOT_USERNAME: BOT.username,
        XSYNC_BOT_PASSWORD: BOT.password,
        XSYNC_BOT_DATA_DIR: `${root}/.xsync/bot`,
        XSYNC_BOT_HTTP_PORT: String(botHttpPort),
        XSYNC_BOT_LOG_LEVEL: process.env.XSYNC_BOT_LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (;;) {
    const healthy = await fetch(`http://127.0.0.1:${botHttpPort}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return child;
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('wait'), 200))]);
    if (code !== 'wait') {
      console.error(
        `xsync-bot exited (${code}). If port ${botHttpPort} is taken, choose another: XSYNC_BOT_HTTP_PORT=25281 npm start`,
      );
      await server.stop();
      process.exit(1);
    }
  }
}

console.log(`
xsync is running on the local ejabberd ${server.version} (data in .xsync/ejabberd).

  Open the demo:       http://127.0.0.1:${demoPort}/
                       Open it in a second window too, give each a name, and enter the same room.
                       Visitors get guest accounts (in-band registration, allowed from loopback only).

  XMPP over TCP        ${server.tcpUrl}
  XMPP over WebSocket  ${server.wsUrl}
  domain               ${server.domain}  (MIX channels: ${server.mixDomain})
  accounts             alice / alice-password, bob / bob-password
  room                 demo@${server.mixDomain}
  bot                  ${BOT.username}@${server.domain}  health http://127.0.0.1:${botHttpPort}/healthz, metrics /metrics
Run the example again with:  node examples/publish-and-replay.mjs
Press Ctrl-C to stop.`);
