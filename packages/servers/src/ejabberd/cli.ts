#!/usr/bin/env node
import { runServerCli } from '../common/cli.js';
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

await runServerCli({
  help: HELP,
  stringOptions: ['postgres'],
  notInstalledError: EjabberdNotInstalledError,
  start: (options, { postgres }) =>
    startEjabberd({ ...options, postgres: postgres ? parsePostgresUrl(postgres) : undefined }),
  banner: (server) => `ejabberd ${server.version} is running (pid ${server.pid})
  domain     ${server.domain} (MIX: ${server.mixDomain})
  TCP        ${server.tcpUrl}
  WebSocket  ${server.wsUrl}
  admin API  ${server.apiUrl}
  data       ${server.dataDir}
Press Ctrl-C to stop.`,
});

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
