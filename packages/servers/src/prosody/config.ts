import { readFileSync } from 'node:fs';
import type { RoomMessageRate } from '../common/server.js';

/** Prosody's log levels, most verbose first. */
export type ProsodyLogLevel = 'debug' | 'info' | 'warn' | 'error';

const LOG_LEVELS: readonly ProsodyLogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Values that fill the prosody.cfg.lua template. */
export interface ProsodyConfigValues {
  domain: string;
  c2sPort: number;
  httpPort: number;
  /** Prosody's `data_path`: accounts, archives, uploads. */
  dataPath: string;
  /** The SQLite database file. */
  database: string;
  /** Unix socket of the admin shell. */
  adminSocket: string;
  /** An empty directory Prosody indexes for certificates. */
  certsDir: string;
  logFile: string;
  pidFile: string;
  /** Directory holding prosody-modules. */
  pluginPath: string;
  /** Directory holding xsync's own Prosody modules (`mod_xsync_muc_rate`). */
  xsyncModules: string;
  logLevel: ProsodyLogLevel;
  roomMessageRate: RoomMessageRate;
}

/** The longest path a unix socket address holds (`sun_path` is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

const TEMPLATE_URL = new URL('../../templates/prosody.cfg.lua', import.meta.url);

/** Renders the project's prosody.cfg.lua for one server instance. */
export function renderProsodyConfig(values: ProsodyConfigValues): string {
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(values.domain)) {
    throw new Error(`Invalid Prosody domain (lower-case letters, digits, dots and hyphens): ${values.domain}`);
  }
  for (const [key, port] of [
    ['c2sPort', values.c2sPort],
    ['httpPort', values.httpPort],
  ] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`Invalid ${key}: ${port}`);
  }
  if (!LOG_LEVELS.includes(values.logLevel)) throw new Error(`Invalid Prosody log level: ${values.logLevel}`);
  if (Buffer.byteLength(values.adminSocket) > MAX_SOCKET_PATH) {
    throw new Error(`The data directory's path is too long for a unix socket: ${values.adminSocket}`);
  }
  const fill: Record<string, string> = {
    DOMAIN: values.domain,
    C2S_PORT: String(values.c2sPort),
    HTTP_PORT: String(values.httpPort),
    DATA_PATH: values.dataPath,
    DATABASE: values.database,
    ADMIN_SOCKET: values.adminSocket,
    CERTS_DIR: values.certsDir,
    LOG_FILE: values.logFile,
    PID_FILE: values.pidFile,
    PLUGIN_PATH: values.pluginPath,
    XSYNC_MODULES: values.xsyncModules,
    LOG_LEVEL: values.logLevel,
    ROOM_MESSAGE_RATE: String(values.roomMessageRate.perSecond),
    ROOM_MESSAGE_BURST: String(values.roomMessageRate.burst),
  };
  // Values land inside Lua double-quoted strings.
  for (const [key, value] of Object.entries(fill)) {
    if (/["\n\r\\]/.test(value)) throw new Error(`Invalid Prosody config value for ${key}: ${value}`);
  }
  return readFileSync(TEMPLATE_URL, 'utf8').replace(/\{\{([A-Z_0-9]+)\}\}/g, (_, key: string) => {
    const value = fill[key];
    if (value === undefined) throw new Error(`Unknown template placeholder {{${key}}}`);
    return value;
  });
}
