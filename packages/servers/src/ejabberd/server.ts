import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_ROOM_MESSAGE_RATE,
  type RoomMessageRate,
  type XmppServer,
  checkRoomMessageRate,
} from '../common/server.js';
import { registerAccount } from './admin.js';
import { type LogLevel, type PostgresDatabase, type SqlDatabase, renderConfig } from './config.js';
import { type EjabberdInstallation, ensureInstalled } from './installation.js';
import { freePort } from '../common/ports.js';
import { onProcessExit } from '../common/processExit.js';
import { waitForListening } from '../common/readiness.js';
import { Provisioner } from './provisioner.js';

/** Options of {@link startEjabberd}. */
export interface EjabberdOptions {
  /** XMPP domain served. Default: `localhost`. */
  domain?: string;
  /** Client-to-server TCP port on 127.0.0.1. Default: a free port. */
  c2sPort?: number;
  /** HTTP port on 127.0.0.1 for WebSocket (`/ws`) and the admin API (`/api`). Default: a free port. */
  httpPort?: number;
  /**
   * Directory for config, database and logs, kept across restarts. Default: a new temporary
   * directory that {@link EjabberdServer.stop} removes.
   */
  dataDir?: string;
  /** ejabberd log level. Default: `info` (readiness is read from the log). */
  logLevel?: LogLevel;
  /** Largest stanza a client may send, in bytes; at most {@link MAX_STANZA_SIZE}. Default: 1 MiB. */
  maxStanzaSize?: number;
  /** How long to wait for the server to accept connections, in ms. Default: 30,000. */
  startTimeout?: number;
  /** Install missing Debian packages when running as root. Default: `true`. */
  install?: boolean;
  /**
   * Offer SASL2 (XEP-0388) with Bind2 and FAST logins; `false` leaves only RFC 6120 SASL,
   * resource binding and stream management, as servers without SASL2 do. Default: `true`.
   */
  sasl2?: boolean;
  /**
   * Keep accounts, channels and the archive in this PostgreSQL database, which must already
   * hold ejabberd's schema (`/usr/share/ejabberd/sql/pg.sql`); needs the Debian package
   * `erlang-p1-pgsql`. Default: SQLite in WAL mode inside the data directory.
   */
  postgres?: PostgresDatabase;
  /** Each account's message rate in each MUC room. Default: {@link DEFAULT_ROOM_MESSAGE_RATE}. */
  roomMessageRate?: RoomMessageRate;
}

/** A running project-local ejabberd. */
export interface EjabberdServer extends XmppServer {
  kind: 'ejabberd';
  /** The MIX service's domain, `mix.<domain>`. */
  mixDomain: string;
  /** Base URL of the loopback-only admin API. */
  apiUrl: string;
  /** Creates a MIX channel and returns its bare JID; a random name is chosen when omitted. */
  createChannel(name?: string): Promise<string>;
}

/** Thrown when the server does not come up; `log` holds its last output lines. */
export class EjabberdStartError extends Error {
  override name = 'EjabberdStartError';
  constructor(
    message: string,
    readonly log: readonly string[],
  ) {
    super(`${message}\n--- ejabberd output ---\n${log.join('\n')}`);
  }
}

/**
 * The largest `maxStanzaSize` the VM's stack is sized for. ejabberd's XML code recurses in C
 * once per level of nesting on a scheduler thread, whose stack Erlang keeps at about 1 MB: one
 * authenticated client sending a stanza nested about 4,000 levels deep (28 KB) segfaulted the
 * whole VM (ejabberd 23.01 and 24.12 alike). A stanza of N bytes nests at most N / 7 levels
 * (`<a>` and `</a>`), and 64 MB of stack (+sss 8192, Erlang's largest) holds the ~150,000
 * levels that fit in 1 MiB, so that is the limit. The stack is address space: the pages a
 * thread never touches cost no memory.
 */
export const MAX_STANZA_SIZE = 1024 * 1024;
/** Scheduler thread stack size in kilowords (`erl +sss`). */
const SCHEDULER_STACK_KILOWORDS = 8192;

const STOP_TIMEOUT_MS = 10_000;

/**
 * Halts the VM when its stdin closes: the owning Node process holds the other end of
 * the pipe, so the server never outlives it, whichever way it exits.
 */
const WATCHDOG =
  "spawn(fun() -> W = fun(F) -> case io:get_line('') of eof -> init:stop(); {error, _} -> init:stop(); _ -> F(F) end end, W(W) end)";

/** Starts a project-local ejabberd on loopback and resolves once it accepts connections. */
export async function startEjabberd(options: EjabberdOptions = {}): Promise<EjabberdServer> {
  const installation = ensureInstalled({ install: options.install ?? true, postgres: options.postgres !== undefined });
  const domain = options.domain ?? 'localhost';
  const maxStanzaSize = options.maxStanzaSize ?? MAX_STANZA_SIZE;
  if (!Number.isInteger(maxStanzaSize) || maxStanzaSize < 1024 || maxStanzaSize > MAX_STANZA_SIZE) {
    throw new RangeError(`maxStanzaSize must be an integer from 1024 to ${MAX_STANZA_SIZE}, got ${maxStanzaSize}`);
  }
  const temporary = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'xsync-ejabberd-')));
  const c2sPort = options.c2sPort ?? (await freePort());
  const httpPort = options.httpPort ?? (await freePort());
  let paths: DataPaths;
  try {
    paths = prepareDataDir(dataDir, installation, options.postgres === undefined);
    const database: SqlDatabase = options.postgres
      ? { type: 'postgresql', ...options.postgres }
      : { type: 'sqlite', path: paths.database };
    writeFileSync(
      paths.config,
      renderConfig({
        domain,
        c2sPort,
        httpPort,
        database,
        uploadDir: paths.uploads,
        logLevel: options.logLevel ?? 'info',
        maxStanzaSize,
        sasl2: options.sasl2 ?? true,
        roomMessageRate: checkRoomMessageRate(options.roomMessageRate ?? DEFAULT_ROOM_MESSAGE_RATE),
      }),
    );
  } catch (error) {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const vm = spawnVm(installation, paths);
  const removeExitHook = onProcessExit(() => {
    vm.kill('SIGKILL');
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  });
  const exited = new Promise<void>((resolveExit) => vm.once('exit', () => resolveExit()));
  try {
    await waitUntilListening(vm, [c2sPort, httpPort], options.startTimeout ?? 30_000);
  } catch (error) {
    await stopVm(vm, exited);
    removeExitHook();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const tcpUrl = `xmpp://127.0.0.1:${c2sPort}`;
  const apiUrl = `http://127.0.0.1:${httpPort}/api`;
  const mixDomain = `mix.${domain}`;
  const createAccount = (username?: string, password?: string) => registerAccount(apiUrl, domain, username, password);

  let provisioner: Provisioner | undefined;
  let stopping: Promise<void> | undefined;
  return {
    kind: 'ejabberd',
    domain,
    mixDomain,
    mucDomain: `muc.${domain}`,
    tcpUrl,
    wsUrl: `ws://127.0.0.1:${httpPort}/ws`,
    apiUrl,
    c2sPort,
    httpPort,
    dataDir,
    version: installation.version,
    pid: vm.pid!,
    createAccount,
    async createChannel(name) {
      if (!provisioner) {
        const admin = await createAccount(`provisioner-${randomBytes(4).toString('hex')}`);
        provisioner = new Provisioner({ service: tcpUrl, domain, username: admin.username, password: admin.password });
      }
      return provisioner.createChannel(mixDomain, name ?? `channel-${randomBytes(6).toString('hex')}`);
    },
    stop() {
      stopping ??= (async () => {
        await provisioner?.close();
        await stopVm(vm, exited);
        removeExitHook();
        if (temporary) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

interface DataPaths {
  configDir: string;
  /** xsync's own ejabberd modules, compiled against the installed ejabberd. */
  modules: string;
  config: string;
  spool: string;
  logs: string;
  database: string;
  uploads: string;
}

function prepareDataDir(dataDir: string, installation: EjabberdInstallation, sqlite: boolean): DataPaths {
  const paths: DataPaths = {
    configDir: join(dataDir, 'config'),
    modules: join(dataDir, 'modules'),
    config: join(dataDir, 'config', 'ejabberd.yml'),
    spool: join(dataDir, 'spool'),
    logs: join(dataDir, 'logs'),
    database: join(dataDir, 'spool', 'xsync.db'),
    uploads: join(dataDir, 'uploads'),
  };
  for (const dir of [paths.configDir, paths.modules, paths.spool, paths.logs, paths.uploads]) {
    mkdirSync(dir, { recursive: true });
  }
  compileModules(installation, paths.modules);
  // An empty inetrc keeps the VM from reading the system's resolver configuration.
  writeFileSync(join(paths.configDir, 'inetrc'), '');
  if (sqlite && !existsSync(paths.database)) {
    execFileSync(installation.sqlite3, [paths.database], { input: readFileSync(installation.sqliteSchema) });
    // WAL roughly doubles MAM write throughput over the rollback journal; the mode persists in the file.
    execFileSync(installation.sqlite3, [paths.database, 'PRAGMA journal_mode=WAL;']);
  }
  return paths;
}

/** xsync's own ejabberd modules, in the package. */
const XSYNC_MODULES = new URL('../../ejabberd-modules/', import.meta.url);
const XSYNC_MODULE_NAMES = ['mod_xsync_occupantid', 'mod_xsync_muc_rate'];

/**
 * Compiles xsync's modules into `target` against the installed ejabberd's headers, unless a
 * build from the same source for the same ejabberd is there already.
 */
function compileModules(installation: EjabberdInstallation, target: string): void {
  for (const name of XSYNC_MODULE_NAMES) {
    const source = fileURLToPath(new URL(`${name}.erl`, XSYNC_MODULES));
    const stamp = join(target, `${name}.source`);
    const built = `${installation.version}\n${readFileSync(source, 'utf8')}`;
    if (existsSync(join(target, `${name}.beam`)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === built)
      continue;
    execFileSync(installation.erlc, ['-o', target, '-I', installation.includeDir, source], {
      env: { ...process.env, ERL_LIBS: installation.erlLibs },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    writeFileSync(stamp, built);
  }
}

function spawnVm(installation: EjabberdInstallation, paths: DataPaths): ChildProcess {
  return spawn(
    installation.erl,
    [
      '-noshell',
      // Ctrl-C in a terminal signals the whole process group: the owner decides when the
      // server stops (through the watchdog), so the VM ignores SIGINT instead of halting.
      '+Bi',
      '+sss',
      String(SCHEDULER_STACK_KILOWORDS),
      '-eval',
      WATCHDOG,
      '-pa',
      paths.modules,
      '-mnesia',
      'dir',
      JSON.stringify(paths.spool),
      '-s',
      'ejabberd',
    ],
    {
      cwd: paths.spool,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ERL_LIBS: installation.erlLibs,
        EJABBERD_CONFIG_PATH: paths.config,
        EJABBERD_LOG_PATH: join(paths.logs, 'ejabberd.log'),
        ERL_INETRC: join(paths.configDir, 'inetrc'),
        ERL_CRASH_DUMP: join(paths.logs, 'erl_crash.dump'),
        ERL_CRASH_DUMP_BYTES: '0',
      },
    },
  );
}

/** Resolves when ejabberd reports listening on every port; rejects on exit or timeout. */
function waitUntilListening(vm: ChildProcess, ports: number[], timeoutMs: number): Promise<void> {
  return waitForListening(vm, {
    name: 'ejabberd',
    addresses: ports.map((port) => `127.0.0.1:${port}`),
    listening: /Start accepting TCP connections at (\S+) /,
    portInUse: /Failed to open socket|eaddrinuse/i,
    timeoutMs,
    error: (message, log) => new EjabberdStartError(message, log),
  });
}

async function stopVm(vm: ChildProcess, exited: Promise<void>): Promise<void> {
  if (vm.exitCode !== null || vm.signalCode !== null) return;
  vm.stdin?.end();
  const timer = setTimeout(() => vm.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
