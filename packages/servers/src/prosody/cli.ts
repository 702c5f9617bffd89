#!/usr/bin/env node
import { runServerCli } from '../common/cli.js';
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

await runServerCli({
  help: HELP,
  notInstalledError: ProsodyNotInstalledError,
  start: (options) => startProsody(options),
  banner: (server) => `Prosody ${server.version} is running (pid ${server.pid})
  domain     ${server.domain} (MUC: ${server.mucDomain}, upload: ${server.uploadDomain})
  TCP        ${server.tcpUrl}
  WebSocket  ${server.wsUrl}
  admin      prosodyctl --config ${server.dataDir}/prosody.cfg.lua shell
  data       ${server.dataDir}
Press Ctrl-C to stop.`,
});
