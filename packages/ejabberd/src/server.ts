import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Account, registerAccount } from './admin.js';
import { type LogLevel, type PostgresDatabase, type SqlDatabase, renderConfig } from './config.js';
import { type EjabberdInstallation, ensureInstalled } from './installation.js';
import { freePort } from './ports.js';
import { onProcessExit } from './processExit.js';
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
  /** Largest stanza a client may send, in bytes. Default: 1 MiB. */
  maxStanzaSize?: number;
  /** How long to wait for the server to accept connections, in ms. Default: 30,000. */
  startTimeout?: number;
  /** Install missing Debian packages when running as root. Default: `true`. */
  install?: boolean;
  /**
   * Keep accounts, channels and the archive in this PostgreSQL database, which must already
   * hold ejabberd's schema (`/usr/share/ejabberd/sql/pg.sql`); needs the Debian package
   * `erlang-p1-pgsql`. Default: SQLite in WAL mode inside the data directory.
   */
  postgres?: PostgresDatabase;
}

/** A running project-local ejabberd. */
export interface EjabberdServer {
  domain: string;
  /** The MIX service's domain, `mix.<domain>`. */
  mixDomain: string;
  /** `xmpp://127.0.0.1:<c2sPort>` for Node clients. */
  tcpUrl: string;
  /** `ws://127.0.0.1:<httpPort>/ws` (RFC 7395) for browsers. */
  wsUrl: string;
  /** Base URL of the loopback-only admin API. */
  apiUrl: string;
  c2sPort: number;
  httpPort: number;
  dataDir: string;
  /** ejabberd's version, e.g. `23.01`. */
  version: string;
  /** Operating-system process id of the Erlang VM. */
  pid: number;
  /** Registers an account; a random name and password are chosen when omitted. */
  createAccount(username?: string, password?: string): Promise<Account>;
  /** Creates a MIX channel and returns its bare JID; a random name is chosen when omitted. */
  createChannel(name?: string): Promise<string>;
  /** Stops the server and waits for the VM to exit. Idempotent. */
  stop(): Promise<void>;
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

const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 200;

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
        maxStanzaSize: options.maxStanzaSize ?? 1024 * 1024,
      }),
    );
  } catch (error) {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const vm = spawnVm(installation, paths);
  const output: string[] = [];
  const removeExitHook = onProcessExit(() => {
    vm.kill('SIGKILL');
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  });
  const exited = new Promise<void>((resolveExit) => vm.once('exit', () => resolveExit()));
  try {
    await waitUntilListening(vm, output, [c2sPort, httpPort], options.startTimeout ?? 30_000);
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
    domain,
    mixDomain,
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
  config: string;
  spool: string;
  logs: string;
  database: string;
  uploads: string;
}

function prepareDataDir(dataDir: string, installation: EjabberdInstallation, sqlite: boolean): DataPaths {
  const paths: DataPaths = {
    configDir: join(dataDir, 'config'),
    config: join(dataDir, 'config', 'ejabberd.yml'),
    spool: join(dataDir, 'spool'),
    logs: join(dataDir, 'logs'),
    database: join(dataDir, 'spool', 'xsync.db'),
    uploads: join(dataDir, 'uploads'),
  };
  for (const dir of [paths.configDir, paths.spool, paths.logs, paths.uploads]) mkdirSync(dir, { recursive: true });
  // An empty inetrc keeps the VM from reading the system's resolver configuration.
  writeFileSync(join(paths.configDir, 'inetrc'), '');
  if (sqlite && !existsSync(paths.database)) {
    execFileSync(installation.sqlite3, [paths.database], { input: readFileSync(installation.sqliteSchema) });
    // WAL roughly doubles MAM write throughput over the rollback journal; the mode persists in the file.
    execFileSync(installation.sqlite3, [paths.database, 'PRAGMA journal_mode=WAL;']);
  }
  return paths;
}

function spawnVm(installation: EjabberdInstallation, paths: DataPaths): ChildProcess {
  return spawn(
    installation.erl,
    ['-noshell', '-eval', WATCHDOG, '-mnesia', 'dir', JSON.stringify(paths.spool), '-s', 'ejabberd'],
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
function waitUntilListening(vm: ChildProcess, output: string[], ports: number[], timeoutMs: number): Promise<void> {
  const pending = new Set(ports.map((port) => `127.0.0.1:${port}`));
  const keep = (line: string) => {
    output.push(line);
    if (output.length > LOG_LINES_KEPT) output.shift();
  };
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new EjabberdStartError(`ejabberd did not start within ${timeoutMs} ms`, output));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      done();
      reject(new EjabberdStartError(`ejabberd exited during start (code ${code})`, output));
    };
    const onLine = (line: string) => {
      keep(line);
      const listening = /Start accepting TCP connections at (\S+) /.exec(line);
      if (listening?.[1]) pending.delete(listening[1]);
      if (/Failed to open socket|eaddrinuse/i.test(line)) {
        done();
        reject(new EjabberdStartError(`A port is already in use: ${[...pending].join(', ')}`, output));
      } else if (pending.size === 0) {
        done();
        resolveReady();
      }
    };
    const lines = [createInterface({ input: vm.stdout! }), createInterface({ input: vm.stderr! })];
    for (const reader of lines) reader.on('line', onLine);
    vm.once('exit', onExit);
    const done = () => {
      clearTimeout(timer);
      vm.off('exit', onExit);
      // Keep draining output so the VM never blocks on a full pipe.
      for (const reader of lines) {
        reader.off('line', onLine);
        reader.on('line', keep);
      }
    };
  });
}

async function stopVm(vm: ChildProcess, exited: Promise<void>): Promise<void> {
  if (vm.exitCode !== null || vm.signalCode !== null) return;
  vm.stdin?.end();
  const timer = setTimeout(() => vm.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
