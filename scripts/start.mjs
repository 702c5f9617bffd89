#!/usr/bin/env node
// `npm start`: runs the local ejabberd with a persistent data dir, provisions a demo channel
// and two accounts, runs the publish-and-replay example once, and keeps the server up.
import { fileURLToPath } from 'node:url';
import { startEjabberd, EjabberdStartError } from '../packages/ejabberd/dist/index.js';
import { runExample } from '../examples/publish-and-replay.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const c2sPort = Number(process.env.XSYNC_C2S_PORT ?? 15222);
const httpPort = Number(process.env.XSYNC_HTTP_PORT ?? 15280);

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

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

const accounts = [];
for (const [username, password] of [
  ['alice', 'alice-password'],
  ['bob', 'bob-password'],
]) {
  await server.createAccount(username, password).catch((error) => {
    if (!String(error).includes('already registered')) throw error;
  });
  accounts.push({ username, password });
}

try {
  await runExample({ service: server.tcpUrl, domain: server.domain, mixDomain: server.mixDomain, accounts });
} catch (error) {
  console.error('The example failed:', error);
}

console.log(`
xsync is running on the local ejabberd ${server.version} (data in .xsync/ejabberd).
  XMPP over TCP        ${server.tcpUrl}
  XMPP over WebSocket  ${server.wsUrl}
  domain               ${server.domain}  (MIX channels: ${server.mixDomain})
  accounts             alice / alice-password, bob / bob-password
  channel              demo@${server.mixDomain}
Run the example again with:  node examples/publish-and-replay.mjs
Press Ctrl-C to stop.`);
