import { readFileSync } from 'node:fs';
import type { RoomMessageRate } from '../common/server.js';

/** A PostgreSQL database holding ejabberd's schema (`/usr/share/ejabberd/sql/pg.sql`). */
export interface PostgresDatabase {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}

/** Where ejabberd keeps accounts, MIX channels and the message archive. */
export type SqlDatabase = { type: 'sqlite'; path: string } | ({ type: 'postgresql' } & PostgresDatabase);

/** Values that fill the ejabberd.yml template. */
export interface ConfigValues {
  domain: string;
  c2sPort: number;
  httpPort: number;
  database: SqlDatabase;
  /** Where XEP-0363 uploads are kept. */
  uploadDir: string;
  logLevel: LogLevel;
  maxStanzaSize: number;
  /** Offer SASL2 (XEP-0388, with Bind2 and FAST) on loopback streams, which carry no TLS. */
  sasl2: boolean;
  roomMessageRate: RoomMessageRate;
}

/** ejabberd's log levels, quietest first. */
export type LogLevel = 'none' | 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'info' | 'debug';

const TEMPLATE_URL = new URL('../../templates/ejabberd.yml', import.meta.url);

/** Renders the project's ejabberd.yml for one server instance. */
export function renderConfig(values: ConfigValues): string {
  const fill: Record<string, string> = {
    DOMAIN: values.domain,
    C2S_PORT: String(values.c2sPort),
    HTTP_PORT: String(values.httpPort),
    UPLOAD_DIR: values.uploadDir,
    LOGLEVEL: values.logLevel,
    MAX_STANZA_SIZE: String(values.maxStanzaSize),
    SASL2: String(values.sasl2),
    ROOM_MESSAGE_RATE: String(values.roomMessageRate.perSecond),
    ROOM_MESSAGE_BURST: String(values.roomMessageRate.burst),
  };
  const sql = sqlOptions(values.database);
  for (const [key, value] of Object.entries({ ...fill, ...sql })) {
    if (/["\n\\]/.test(value)) throw new Error(`Invalid ejabberd config value for ${key}: ${value}`);
  }
  fill.SQL = Object.entries(sql)
    .map(([option, value]) => `${option}: ${BARE_OPTIONS.has(option) ? value : `"${value}"`}`)
    .join('\n');
  return readFileSync(TEMPLATE_URL, 'utf8').replace(/\{\{([A-Z_0-9]+)\}\}/g, (_, key: string) => {
    const value = fill[key];
    if (value === undefined) throw new Error(`Unknown template placeholder {{${key}}}`);
    return value;
  });
}

/** Options whose values are a keyword or a number; the rest are strings, quoted. */
const BARE_OPTIONS = new Set(['sql_type', 'sql_port']);

/** ejabberd's top-level `sql_*` options for a database. */
function sqlOptions(database: SqlDatabase): Record<string, string> {
  if (database.type === 'sqlite') return { sql_type: 'sqlite', sql_database: database.path };
  return {
    sql_type: 'pgsql',
    sql_server: database.host,
    sql_port: String(database.port),
    sql_database: database.database,
    sql_username: database.username,
    sql_password: database.password,
  };
}
