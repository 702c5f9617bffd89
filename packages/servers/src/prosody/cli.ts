#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { PROSODY_INSTALL_COMMAND, ProsodyNotInstalledError } from './installation.js';
import { startProsody } from './server.js';

const HELP = `Usage: xsync-prosody [options]

Runs a project-local Prosody on 127.0.0.1 until interrupted (Ctrl-C).

Options:
  --domain <name>       XMPP domain (default: localhost)
  --c2s-port <port>     client TCP port (default: a free port)
  --http-port <port>    WebSocket /ws and file upload /upload port (default: a free port)
  --data-dir <dir>      config, database and logs, kept across runs (default: a temporary dir)
  --account <user:pass> register this account after start (repeatable)
  --no-install          never install Debian packages, only say what is missing
  -h, --help            show this help

Needs the Debian packages prosody (13 or later), prosody-modules, lua-dbi-sqlite3 and sqlite3:
  ${PROSODY_INSTALL_COMMAND}`;

const { values } = parseArgs({
  options: {
    domain: { type: 'string' },
    'c2s-port': { type: 'string' },
    'http-port': { type: 'string' },
    'data-dir': { type: 'string' },
    account: { type: 'string', multiple: true },
    'no-install': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

try {
  const server = await startProsody({
    domain: values.domain,
    c2sPort: values['c2s-port'] ? Number(values['c2s-port']) : undefined,
    httpPort: values['http-port'] ? Number(values['http-port']) : undefined,
    dataDir: values['data-dir'],
    install: !values['no-install'],
  });
  for (const account of values.account ?? []) {
    const [user, password] = account.split(':');
    if (!user || !password) throw new Error(`--account takes user:password, got ${account}`);
    await server.createAccount(user, password).catch((error: unknown) => {
      if (!String(error).includes('already registered')) throw error;
    });
  }
  console.log(`Prosody ${server.version} is running (pid ${server.pid})
  domain     ${server.domain} (MUC: ${server.mucDomain}, upload: ${server.uploadDomain})
  TCP        ${server.tcpUrl}
  WebSocket  ${server.wsUrl}
  admin      prosodyctl --config ${server.dataDir}/prosody.cfg.lua shell
  data       ${server.dataDir}
Press Ctrl-C to stop.`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ProsodyNotInstalledError ? error.message : error);
  process.exit(1);
}
