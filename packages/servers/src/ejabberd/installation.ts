import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canInstallPackages, installCommand, installPackages } from '../common/debian.js';

/** Debian packages the local server needs. */
export const REQUIRED_PACKAGES = ['ejabberd', 'erlang-p1-sqlite3', 'sqlite3'] as const;

/**
 * The oldest ejabberd xsync runs on: 24.12 brings SASL2, Bind2 and FAST, and fixes SQL MAM
 * "last N" queries. On bookworm it and its Erlang libraries come from bookworm-backports.
 */
export const MINIMUM_VERSION = '24.12';

/** The Debian package of ejabberd's PostgreSQL driver, needed for the `postgres` option. */
export const POSTGRES_DRIVER_PACKAGE = 'erlang-p1-pgsql';

/** The shell command that installs {@link REQUIRED_PACKAGES}. */
export const INSTALL_COMMAND = installCommand(REQUIRED_PACKAGES);

/** Where the pieces of a Debian ejabberd installation live. */
export interface EjabberdInstallation {
  /** The Erlang emulator, `/usr/bin/erl`. */
  erl: string;
  /** The Erlang compiler, `/usr/bin/erlc` (erlang-base, which ejabberd depends on). */
  erlc: string;
  /** ejabberd's Erlang headers, for the modules xsync compiles against it. */
  includeDir: string;
  /** Directory holding `ejabberd-<version>/` and its Erlang dependencies (ERL_LIBS). */
  erlLibs: string;
  /** ejabberd's version, e.g. `24.12`. */
  version: string;
  /** ejabberd's SQLite schema. */
  sqliteSchema: string;
  /** The `sqlite3` command-line shell. */
  sqlite3: string;
}

/** Thrown when ejabberd or one of its packages is missing and cannot be installed here. */
export class EjabberdNotInstalledError extends Error {
  override name = 'EjabberdNotInstalledError';
  constructor(
    readonly missing: readonly string[],
    readonly installCommand: string = INSTALL_COMMAND,
  ) {
    super(
      `The local XMPP server needs the Debian packages ${missing.join(', ')} (ejabberd ${MINIMUM_VERSION} or later). ` +
        `Install them as root with:\n  ${installCommand}`,
    );
  }
}

const ERL = '/usr/bin/erl';
const ERLC = '/usr/bin/erlc';
const SQLITE3 = '/usr/bin/sqlite3';
const EJABBERDCTL = '/usr/sbin/ejabberdctl';
const ERLANG_LIBS = '/usr/lib/erlang/lib';

/**
 * Finds the Debian ejabberd installation, or returns the packages that are missing;
 * `postgres` also asks for ejabberd's PostgreSQL driver.
 */
export function findInstallation(postgres = false): EjabberdInstallation | { missing: string[] } {
  const missing: string[] = [];
  const erlLibs = readErlLibs();
  const ejabberdDir = erlLibs ? findEjabberdDir(erlLibs) : undefined;
  const version = ejabberdDir ? versionOf(ejabberdDir) : undefined;
  if (!existsSync(ERL) || !erlLibs || !ejabberdDir || !version || compareVersions(version, MINIMUM_VERSION) < 0)
    missing.push('ejabberd');
  if (![erlLibs, ERLANG_LIBS].some((dir) => hasApp(dir, 'p1_sqlite3-'))) missing.push('erlang-p1-sqlite3');
  if (!existsSync(SQLITE3)) missing.push('sqlite3');
  if (postgres && ![erlLibs, ERLANG_LIBS].some((dir) => hasApp(dir, 'p1_pgsql-')))
    missing.push(POSTGRES_DRIVER_PACKAGE);
  if (missing.length > 0 || !erlLibs || !ejabberdDir || !version) return { missing };
  return {
    erl: ERL,
    erlc: ERLC,
    erlLibs,
    includeDir: join(erlLibs, ejabberdDir, 'include'),
    version,
    sqliteSchema: join(erlLibs, ejabberdDir, 'priv', 'sql', 'lite.sql'),
    sqlite3: SQLITE3,
  };
}

/** Options for {@link ensureInstalled}. */
export interface EnsureInstalledOptions {
  /** Install missing packages with apt-get when running as root. Default: `true`. */
  install?: boolean;
  /** Where apt-get's output goes. Default: inherited stdio. */
  log?: (line: string) => void;
  /** Also require ejabberd's PostgreSQL driver. Default: `false`. */
  postgres?: boolean;
}

/**
 * Returns the installation, installing the Debian packages first when they are missing
 * and this process is root on Debian. Otherwise throws {@link EjabberdNotInstalledError}
 * naming the exact command to run.
 */
export function ensureInstalled(options: EnsureInstalledOptions = {}): EjabberdInstallation {
  const postgres = options.postgres ?? false;
  const found = findInstallation(postgres);
  if (!('missing' in found)) return found;
  const packages = postgres ? [...REQUIRED_PACKAGES, POSTGRES_DRIVER_PACKAGE] : [...REQUIRED_PACKAGES];
  const canInstall = (options.install ?? true) && canInstallPackages();
  if (!canInstall) throw new EjabberdNotInstalledError(found.missing, installCommand(packages));
  installPackages(packages, undefined, options.log);
  const installed = findInstallation(postgres);
  if ('missing' in installed) throw new EjabberdNotInstalledError(installed.missing);
  return installed;
}

/** ejabberdctl knows the ERL_LIBS directory of this architecture. */
function readErlLibs(): string | undefined {
  if (!existsSync(EJABBERDCTL)) return undefined;
  const match = /^ERL_LIBS='([^']+)'/m.exec(readFileSync(EJABBERDCTL, 'utf8'));
  return match?.[1];
}

function hasApp(dir: string | undefined, prefix: string): boolean {
  return dir !== undefined && existsSync(dir) && readdirSync(dir).some((name) => name.startsWith(prefix));
}

/** `ejabberd-24.12-3~bpo12+1` → `24.12`. */
function versionOf(ejabberdDir: string): string | undefined {
  return /^ejabberd-(\d+\.\d+(?:\.\d+)?)/.exec(ejabberdDir)?.[1];
}

/** Compares dotted version numbers: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function findEjabberdDir(erlLibs: string): string | undefined {
  if (!existsSync(erlLibs)) return undefined;
  return readdirSync(erlLibs)
    .filter((name) => /^ejabberd-\d/.test(name))
    .sort((a, b) => compareVersions(versionOf(b) ?? '0', versionOf(a) ?? '0'))
    .find((name) => existsSync(join(erlLibs, name, 'ebin', 'ejabberd.beam')));
}
