import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canInstallPackages, installCommand, installPackages } from '../common/debian.js';

/**
 * Debian packages a project-local Prosody needs: the server, the community modules that bring
 * SASL2, Bind2 and FAST, LuaDBI's SQLite driver for `storage = "sql"`, and the sqlite3 shell
 * that creates the database in WAL mode (LuaDBI cannot switch it on).
 */
export const PROSODY_PACKAGES = ['prosody', 'prosody-modules', 'lua-dbi-sqlite3', 'sqlite3'] as const;

/** Prosody 13 brings MUC occupant ids, mod_http_file_share and the SASL2 family's APIs. */
export const PROSODY_MINIMUM_VERSION = '13.0';

/** The shell command that installs {@link PROSODY_PACKAGES}. */
export const PROSODY_INSTALL_COMMAND = installCommand(PROSODY_PACKAGES);

/** Where the pieces of a Debian Prosody installation live. */
export interface ProsodyInstallation {
  /** The server executable, `/usr/bin/prosody`. */
  prosody: string;
  /** Prosody's version, e.g. `13.0.1`. */
  version: string;
  /** Directory holding prosody-modules' `mod_sasl2*` (Debian puts them beside Prosody's own). */
  pluginPath: string;
  /** The `sqlite3` command-line shell. */
  sqlite3: string;
}

/** Thrown when Prosody or one of its packages is missing and cannot be installed here. */
export class ProsodyNotInstalledError extends Error {
  override name = 'ProsodyNotInstalledError';
  constructor(
    readonly missing: readonly string[],
    readonly installCommand: string = PROSODY_INSTALL_COMMAND,
  ) {
    super(
      `The local Prosody needs the Debian packages ${missing.join(', ')} (Prosody ${PROSODY_MINIMUM_VERSION} or later). ` +
        `Install them as root with:\n  ${installCommand}`,
    );
  }
}

const PROSODY = '/usr/bin/prosody';
const VERSION_FILE = '/usr/lib/prosody/prosody.version';
const PLUGIN_PATH = '/usr/lib/prosody/modules';
const SQLITE3 = '/usr/bin/sqlite3';

/** Finds the Debian Prosody installation, or returns the packages that are missing. */
export function findProsody(): ProsodyInstallation | { missing: string[] } {
  const missing: string[] = [];
  const version = existsSync(VERSION_FILE) ? readFileSync(VERSION_FILE, 'utf8').trim() : undefined;
  if (!existsSync(PROSODY) || !version || majorVersion(version) < majorVersion(PROSODY_MINIMUM_VERSION)) {
    missing.push('prosody');
  }
  if (!existsSync(join(PLUGIN_PATH, 'mod_sasl2_fast', 'mod_sasl2_fast.lua'))) missing.push('prosody-modules');
  if (!hasLuaDbiSqlite()) missing.push('lua-dbi-sqlite3');
  if (!existsSync(SQLITE3)) missing.push('sqlite3');
  if (missing.length > 0 || !version) return { missing };
  return { prosody: PROSODY, version, pluginPath: PLUGIN_PATH, sqlite3: SQLITE3 };
}

/** Options of {@link ensureProsodyInstalled}. */
export interface EnsureProsodyInstalledOptions {
  /** Install missing packages with apt-get when running as root. Default: `true`. */
  install?: boolean;
  /** Where progress messages go. Default: `console.log`. */
  log?: (line: string) => void;
}

/**
 * Returns the installation, installing the Debian packages first when they are missing and
 * this process is root on Debian. Otherwise throws {@link ProsodyNotInstalledError} naming the
 * exact command to run.
 */
export function ensureProsodyInstalled(options: EnsureProsodyInstalledOptions = {}): ProsodyInstallation {
  const found = findProsody();
  if (!('missing' in found)) return found;
  if (!(options.install ?? true) || !canInstallPackages()) throw new ProsodyNotInstalledError(found.missing);
  installPackages(PROSODY_PACKAGES, undefined, options.log);
  const installed = findProsody();
  if ('missing' in installed) throw new ProsodyNotInstalledError(installed.missing);
  return installed;
}

function majorVersion(version: string): number {
  return Number(/^(\d+)/.exec(version)?.[1] ?? 0);
}

/** LuaDBI's SQLite driver for the Lua that runs Prosody (`#!/usr/bin/env lua5.4`). */
function hasLuaDbiSqlite(): boolean {
  if (!existsSync(PROSODY)) return false;
  const lua = /lua(5\.\d)/.exec(readFileSync(PROSODY, 'utf8').split('\n', 1)[0] ?? '')?.[1];
  if (!lua) return false;
  const driver = join('lua', lua, 'dbd', 'sqlite3.so');
  const libDirs = readdirSync('/usr/lib').map((name) => join('/usr/lib', name));
  return ['/usr/lib', ...libDirs].some((dir) => existsSync(join(dir, driver)));
}
