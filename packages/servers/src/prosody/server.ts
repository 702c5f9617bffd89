import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../common/ports.js';
import { onProcessExit } from '../common/processExit.js';
import {
  DEFAULT_ROOM_MESSAGE_RATE,
  type RoomMessageRate,
  type XmppServer,
  checkRoomMessageRate,
} from '../common/server.js';
import { registerProsodyAccount, untilAdminShellAnswers } from './admin.js';
import { type ProsodyLogLevel, renderProsodyConfig } from './config.js';
import { type ProsodyInstallation, ensureProsodyInstalled } from './installation.js';
import {
  type ProsodyUser,
  checkReadable,
  prosodyUser,
  spawnProsody,
  stopProsody,
  waitUntilListening,
} from './process.js';

/** Options of {@link startProsody}. */
export interface ProsodyOptions {
  /** XMPP domain served. Default: `localhost`. */
  domain?: string;
  /** Client-to-server TCP port on 127.0.0.1. Default: a free port. */
  c2sPort?: number;
  /** HTTP port on 127.0.0.1 for WebSocket (`/ws`) and file upload (`/upload`). Default: a free port. */
  httpPort?: number;
  /**
   * Directory for config, database and logs, kept across restarts. Default: a new temporary
   * directory that {@link ProsodyServer.stop} removes.
   */
  dataDir?: string;
  /** Level of the log file in the data directory. Default: `info`. */
  logLevel?: ProsodyLogLevel;
  /** How long to wait for the server to accept connections, in ms. Default: 30,000. */
  startTimeout?: number;
  /** Install missing Debian packages when running as root. Default: `true`. */
  install?: boolean;
  /** Each account's message rate in each MUC room. Default: {@link DEFAULT_ROOM_MESSAGE_RATE}. */
  roomMessageRate?: RoomMessageRate;
}

/** A running project-local Prosody. */
export interface ProsodyServer extends XmppServer {
  kind: 'prosody';
  /** The HTTP File Upload service's domain, `upload.<domain>`. */
  uploadDomain: string;
  /** Unix socket of Prosody's admin shell (`prosodyctl shell`), for root and Prosody's user. */
  adminSocket: string;
  /** Prosody's log file. */
  logFile: string;
}

/** Starts a project-local Prosody on loopback and resolves once it accepts connections. */
export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyServer> {
  const installation = ensureProsodyInstalled({ install: options.install ?? true });
  const domain = options.domain ?? 'localhost';
  const temporary = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'xsync-prosody-')));
  const removeDataDir = () => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  const c2sPort = options.c2sPort ?? (await freePort());
  const httpPort = options.httpPort ?? (await freePort());
  const user = prosodyUser();
  let paths: DataPaths;
  try {
    paths = prepareDataDir(dataDir, installation, user);
    writeFileSync(
      paths.config,
      renderProsodyConfig({
        domain,
        c2sPort,
        httpPort,
        ...paths,
        pluginPath: installation.pluginPath,
        logLevel: options.logLevel ?? 'info',
        roomMessageRate: checkRoomMessageRate(options.roomMessageRate ?? DEFAULT_ROOM_MESSAGE_RATE),
      }),
    );
    user.chown(paths.config);
    checkReadable(user, paths.config);
  } catch (error) {
    removeDataDir();
    throw error;
  }

  const server = spawnProsody(installation.prosody, paths.config, user, dataDir);
  const removeExitHook = onProcessExit(() => {
    server.kill('SIGKILL');
    removeDataDir();
  });
  const exited = new Promise<void>((resolveExit) => server.once('exit', () => resolveExit()));
  const startTimeout = options.startTimeout ?? 30_000;
  const deadline = Date.now() + startTimeout;
  try {
    await waitUntilListening(server, [c2sPort, httpPort], startTimeout);
    await untilAdminShellAnswers(paths.adminSocket, deadline, () => server.exitCode === null);
  } catch (error) {
    await stopProsody(server, exited);
    removeExitHook();
    removeDataDir();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    kind: 'prosody',
    version: installation.version,
    domain,
    mucDomain: `muc.${domain}`,
    uploadDomain: `upload.${domain}`,
    tcpUrl: `xmpp://127.0.0.1:${c2sPort}`,
    wsUrl: `ws://127.0.0.1:${httpPort}/ws`,
    c2sPort,
    httpPort,
    dataDir,
    adminSocket: paths.adminSocket,
    logFile: paths.logFile,
    pid: server.pid!,
    createAccount: (username, password) => registerProsodyAccount(paths.adminSocket, domain, username, password),
    stop() {
      stopping ??= (async () => {
        await stopProsody(server, exited);
        removeExitHook();
        removeDataDir();
      })();
      return stopping;
    },
  };
}

interface DataPaths {
  config: string;
  pidFile: string;
  certsDir: string;
  dataPath: string;
  database: string;
  adminSocket: string;
  logFile: string;
  xsyncModules: string;
}

/** xsync's own Prosody modules, in the package ([LIM2]). */
const XSYNC_MODULES = new URL('../../prosody-modules/', import.meta.url);
const XSYNC_MODULE_FILES = ['mod_xsync_muc_rate.lua'];

/** Lays out the data directory, owned by the user Prosody runs as. */
function prepareDataDir(dataDir: string, installation: ProsodyInstallation, user: ProsodyUser): DataPaths {
  const paths: DataPaths = {
    config: join(dataDir, 'prosody.cfg.lua'),
    pidFile: join(dataDir, 'prosody.pid'),
    certsDir: join(dataDir, 'certs'),
    dataPath: join(dataDir, 'data'),
    database: join(dataDir, 'data', 'prosody.sqlite'),
    adminSocket: join(dataDir, 'data', 'prosody.sock'),
    logFile: join(dataDir, 'logs', 'prosody.log'),
    xsyncModules: join(dataDir, 'modules'),
  };
  const logs = join(dataDir, 'logs');
  for (const dir of [dataDir, paths.certsDir, paths.dataPath, logs, paths.xsyncModules]) {
    mkdirSync(dir, { recursive: true });
    user.chown(dir);
  }
  // Copied where the prosody user can read them, whatever the permissions of the checkout.
  for (const file of XSYNC_MODULE_FILES) {
    const target = join(paths.xsyncModules, file);
    copyFileSync(new URL(file, XSYNC_MODULES), target);
    user.chown(target);
  }
  if (!existsSync(paths.database)) {
    // WAL roughly doubles archive write throughput; the mode persists in the file.
    execFileSync(installation.sqlite3, [paths.database, 'PRAGMA journal_mode=WAL;'], { stdio: 'ignore' });
    user.chown(paths.database);
  }
  return paths;
}
