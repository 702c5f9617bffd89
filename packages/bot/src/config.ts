import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A command-line option, also settable by environment variable and config file. */
export interface OptionSpec {
  /** Flag name, e.g. `data-dir`; the config file key is its camelCase form (`dataDir`). */
  flag: string;
  kind: 'string' | 'boolean' | 'list';
  description: string;
  /** Value shown in help when not set. */
  fallback?: string;
}

const connection: OptionSpec[] = [
  { flag: 'service', kind: 'string', description: 'XMPP server, xmpp://host:port', fallback: 'xmpp://127.0.0.1:5222' },
  { flag: 'domain', kind: 'string', description: 'XMPP domain', fallback: 'the service host' },
  { flag: 'username', kind: 'string', description: 'account name (local part of the JID)', fallback: 'xsync-bot' },
  { flag: 'password', kind: 'string', description: 'account password (prefer the environment variable)' },
  { flag: 'config', kind: 'string', description: 'JSON file of options, keys in camelCase (dataDir, channels…)' },
  { flag: 'log-level', kind: 'string', description: 'fatal, error, warn, info, debug or trace', fallback: 'info' },
];

/** Options of each command, in help order. */
export const COMMAND_OPTIONS: Record<string, OptionSpec[]> = {
  run: [
    ...connection,
    { flag: 'channel', kind: 'list', description: 'channel JID to follow (repeat, or comma-separated)' },
    {
      flag: 'data-dir',
      kind: 'string',
      description: 'directory for snapshots',
      fallback: 'none: replay the archive on every start',
    },
    { flag: 'snapshot-interval', kind: 'string', description: 'seconds between snapshot checks', fallback: '30' },
    {
      flag: 'http-port',
      kind: 'string',
      description: 'port of /healthz and /metrics (0: any free port)',
      fallback: 'none',
    },
    { flag: 'http-host', kind: 'string', description: 'address of /healthz and /metrics', fallback: '127.0.0.1' },
    { flag: 'max-documents', kind: 'string', description: 'documents one channel may hold', fallback: '100' },
    { flag: 'part-size', kind: 'string', description: 'bytes of update per catch-up answer part', fallback: '40960' },
    { flag: 'rate-burst', kind: 'string', description: 'catch-up requests a sender may make at once', fallback: '10' },
    { flag: 'rate-per-second', kind: 'string', description: 'catch-up requests per second per sender', fallback: '2' },
    {
      flag: 'accept-invites-from',
      kind: 'list',
      description: 'follow rooms on invitation from these JIDs or domains; * for anyone',
      fallback: 'nobody',
    },
    {
      flag: 'max-invited-rooms',
      kind: 'string',
      description: 'rooms to follow on invitation at most',
      fallback: '100',
    },
  ],
  export: [
    ...connection,
    { flag: 'channel', kind: 'string', description: 'channel JID' },
    { flag: 'at', kind: 'string', description: 'archive id (inclusive) or ISO 8601 time', fallback: 'now' },
    { flag: 'doc', kind: 'string', description: 'document name within the channel', fallback: 'the default document' },
    {
      flag: 'type',
      kind: 'string',
      description: 'event type: yjs-update, json-patch, dom-ops, channel-info',
      fallback: 'the first the document has',
    },
    { flag: 'format', kind: 'string', description: 'json, text, xml or svg', fallback: 'json' },
    {
      flag: 'root',
      kind: 'string',
      description: 'root type of a Yjs document for text, xml and svg',
      fallback: 'the first that fits',
    },
    { flag: 'out', kind: 'string', description: 'file to write', fallback: 'standard output' },
  ],
  replay: [
    ...connection,
    { flag: 'channel', kind: 'string', description: 'channel JID' },
    { flag: 'from', kind: 'string', description: 'show steps after this archive id', fallback: 'the start' },
    {
      flag: 'to',
      kind: 'string',
      description: 'stop at this archive id (inclusive) or ISO 8601 time',
      fallback: 'the end',
    },
    { flag: 'json', kind: 'boolean', description: 'one JSON object per step' },
  ],
  'channel create': [
    ...connection,
    { flag: 'id', kind: 'string', description: 'local part of the room JID', fallback: 'chosen at random' },
    { flag: 'room-service', kind: 'string', description: 'service of the room: MUC or MIX', fallback: 'muc.DOMAIN' },
    { flag: 'name', kind: 'string', description: 'display name to set' },
    { flag: 'description', kind: 'string', description: 'description to set' },
  ],
  'channel info': [...connection, { flag: 'channel', kind: 'string', description: 'channel JID' }],
  'channel set': [
    ...connection,
    { flag: 'channel', kind: 'string', description: 'channel JID' },
    { flag: 'name', kind: 'string', description: 'display name' },
    { flag: 'description', kind: 'string', description: 'description' },
  ],
  'channel participants': [
    ...connection,
    { flag: 'channel', kind: 'string', description: 'channel JID' },
    { flag: 'json', kind: 'boolean', description: 'print JSON' },
  ],
};

/** Resolved option values: flags over environment variables over the config file. */
export type Options = Record<string, string | boolean | string[] | undefined>;

/** `XSYNC_BOT_DATA_DIR` for `data-dir`. */
export function envNameOf(flag: string): string {
  return `XSYNC_BOT_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Parses a command's arguments. Unknown flags throw, naming the flag. */
export function resolveOptions(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const specs = COMMAND_OPTIONS[command]!;
  const { values } = parseArgs({
    args,
    options: Object.fromEntries(
      specs.map((spec) => [
        spec.flag,
        { type: spec.kind === 'boolean' ? 'boolean' : 'string', multiple: spec.kind === 'list' },
      ]),
    ),
    strict: true,
    allowPositionals: false,
  });
  const configPath = (values.config as string | undefined) ?? env[envNameOf('config')];
  const file =
    configPath === undefined ? {} : (JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>);
  const options: Options = {};
  for (const spec of specs) {
    const fromFlag = values[spec.flag];
    const fromEnv = env[envNameOf(spec.flag)];
    const fromFile =
      file[camelCase(spec.flag)] ?? (spec.kind === 'list' ? file[`${camelCase(spec.flag)}s`] : undefined);
    let value: string | boolean | string[] | undefined;
    if (fromFlag !== undefined) value = fromFlag as string | boolean | string[];
    else if (fromEnv !== undefined) value = spec.kind === 'boolean' ? fromEnv === 'true' || fromEnv === '1' : fromEnv;
    else if (fromFile !== undefined) value = fromFile as string | boolean | string[];
    if (spec.kind === 'list' && value !== undefined) {
      value = (Array.isArray(value) ? value : [String(value)])
        .flatMap((item) => String(item).split(','))
        .map((item) => item.trim())
        .filter(Boolean);
    }
    options[spec.flag] = value;
  }
  return options;
}

/** A numeric option, or its default; throws on a value that is not a non-negative number. */
export function numberOption(options: Options, flag: string, fallback: number): number {
  const value = options[flag];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new Error(`--${flag} must be a non-negative number, not ${String(value)}`);
  return number;
}

/** A string option that must be given. */
export function requiredOption(options: Options, flag: string): string {
  const value = options[flag];
  if (typeof value !== 'string' || value === '') throw new Error(`--${flag} is required (or ${envNameOf(flag)})`);
  return value;
}
