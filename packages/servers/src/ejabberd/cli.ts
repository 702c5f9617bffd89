#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { PostgresDatabase } from './config.js';
import { EjabberdNotInstalledError, INSTALL_COMMAND, POSTGRES_DRIVER_PACKAGE } from './installation.js';
import { startEjabberd } from './server.js';

const HELP = `Usage: xsync-ejabberd [options]

Runs a project-local ejabberd on 127.0.0.1 until interrupted (Ctrl-C).

Options:
  --domain <name>       XMPP domain (default: localhost)
  --c2s-port <port>     client TCP port (default: a free port)
  --http-port <port>    WebSocket /ws and admin API /api port (default: a free port)
  --data-dir <dir>      config, database and logs, kept across runs (default: a temporary dir)
  --account <user:pass> register this account after start (repeatable)
  --postgres <url>      keep data in PostgreSQL, postgresql://user:password@host:port/database,
                        which must hold ejabberd's schema (default: SQLite in the data dir)
  --no-install          never install Debian packages, only say what is missing
  -h, --help            show this help

Needs the Debian packages ejabberd, erlang-p1-sqlite3 and sqlite3 (and ${POSTGRES_DRIVER_PACKAGE}
for --postgres):
  ${INSTALL_COMMAND}`;

const { values } = parseArgs({
  options: {
    domain: { type: 'string' },
    'c2s-port': { type: 'string' },
    'http-port': { type: 'string' },
    'data-dir': { type: 'string' },
    account: { type: 'string', multiple: true },
    postgres: { type: 'string' },
    'no-install': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

try {
  const server = await startEjabberd({
    domain: values.domain,
    c2sPort: values['c2s-port'] ? Number(values['c2s-port']) : undefined,
    httpPort: values['http-port'] ? Number(values['http-port']) : undefined,
    dataDir: values['data-dir'],
    install: !values['no-install'],
    postgres: values.postgres ? parsePostgresUrl(values.postgres) : undefined,
  });
  for (const account of values.account ?? []) {
    const [user, password] = account.split(':');
    if (!user || !password) throw new Error(`--account takes user:password, got ${account}`);
    await server.createAccount(user, password).catch((error: unknown) => {
      if (!String(error).includes('already registered')) throw error;
    });
  }
  console.log(`ejabberd ${server.version} is running (pid ${server.pid})
  domain     ${server.domain} (MIX: ${server.mixDomain})
  TCP        ${server.tcpUrl}
  WebSocket  ${server.wsUrl}
  admin API  ${server.apiUrl}
  data       ${server.dataDir}
Press Ctrl-C to stop.`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof EjabberdNotInstalledError ? error.message : error);
  process.exit(1);
}

/** `postgresql://user:password@host:port/database` as the server's `postgres` option. */
function parsePostgresUrl(text: string): PostgresDatabase {
  const url = new URL(text);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!/^postgres(ql)?:$/.test(url.protocol) || !url.hostname || !url.username || !database) {
    throw new Error(`--postgres takes postgresql://user:password@host:port/database, got ${text}`);
  }
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}
