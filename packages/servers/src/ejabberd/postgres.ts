import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PostgresDatabase } from './config.js';
import { installCommand } from '../common/debian.js';
import { EjabberdNotInstalledError } from './installation.js';
import { freePort } from '../common/ports.js';
import { onProcessExit } from '../common/processExit.js';

/** Debian packages a local PostgreSQL for ejabberd needs. */
export const POSTGRES_PACKAGES = ['postgresql', 'erlang-p1-pgsql'] as const;

const POSTGRES_LIBS = '/usr/lib/postgresql';
const PG_SCHEMA = '/usr/share/ejabberd/sql/pg.sql';
const DATABASE = 'ejabberd';
const USER = 'ejabberd';

/** A throwaway PostgreSQL cluster on loopback holding ejabberd's schema. */
export interface LocalPostgres extends PostgresDatabase {
  /** PostgreSQL's major version, e.g. `15`. */
  version: string;
  /** Operating-system process id of the postmaster. */
  pid: number;
  /** The cluster's directory, removed by {@link LocalPostgres.stop}. */
  dataDir: string;
  /** Stops the server and removes its data. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startPostgres}. */
export interface PostgresOptions {
  /**
   * Server settings (`postgres -c name=value`), e.g. `{ synchronous_commit: 'off' }`.
   * Default: none, so PostgreSQL's own defaults, durable commits included.
   */
  settings?: Record<string, string>;
}

/**
 * Starts a PostgreSQL cluster of its own on 127.0.0.1 in a temporary directory, with
 * ejabberd's schema loaded and a random password, for `startEjabberd({ postgres })`. As root, the server runs as
 * the `postgres` user, which PostgreSQL insists on.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<LocalPostgres> {
  const version = findVersion();
  if (!version || !existsSync(PG_SCHEMA)) {
    throw new EjabberdNotInstalledError(['postgresql'], installCommand(POSTGRES_PACKAGES));
  }
  const bin = join(POSTGRES_LIBS, version, 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'xsync-postgres-'));
  const asOwner = ownerOf(dir);
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  let postmaster: ChildProcess | undefined;
  const removeExitHook = onProcessExit(() => {
    postmaster?.kill('SIGKILL');
    removeDir();
  });
  try {
    const data = join(dir, 'data');
    // Password authentication as in production (SCRAM-SHA-256, PostgreSQL's default).
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, password, { mode: 0o600 });
    asOwner.chown(passwordFile);
    execFileSync(
      ...asOwner(join(bin, 'initdb'), [
        '-D',
        data,
        '-U',
        USER,
        '-A',
        'scram-sha-256',
        `--pwfile=${passwordFile}`,
        '--no-sync',
      ]),
      { stdio: 'ignore' },
    );
    rmSync(passwordFile);
    postmaster = spawn(
      ...asOwner(join(bin, 'postgres'), [
        '-D',
        data,
        '-k',
        dir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ]),
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await untilReady(postmaster);
    const psql = (args: string[]) =>
      execFileSync(join(bin, 'psql'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', USER, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PGPASSWORD: password },
      });
    psql(['-d', 'postgres', '-c', `CREATE DATABASE ${DATABASE}`]);
    psql(['-d', DATABASE, '-v', 'ON_ERROR_STOP=1', '-f', PG_SCHEMA]);
  } catch (error) {
    postmaster?.kill('SIGKILL');
    removeExitHook();
    removeDir();
    throw error;
  }
  const server = postmaster;
  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    database: DATABASE,
    username: USER,
    password,
    version,
    pid: server.pid!,
    dataDir: dir,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const done = () => {
          removeExitHook();
          removeDir();
          resolve();
        };
        if (server.exitCode !== null || server.signalCode !== null) return done();
        server.once('exit', done);
        // SIGINT is PostgreSQL's fast shutdown: sessions end, nothing is kept.
        server.kill('SIGINT');
      });
      return stopping;
    },
  };
}

function findVersion(): string | undefined {
  if (!existsSync(POSTGRES_LIBS)) return undefined;
  return readdirSync(POSTGRES_LIBS)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_LIBS, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a))[0];
}

interface Owner {
  (command: string, args: string[]): [string, string[]];
  /** Gives a file to the user the commands run as. */
  chown(path: string): void;
}

/**
 * Runs commands as the owner PostgreSQL accepts (the `postgres` user when this is root), and
 * ends them if this process dies: the server must not outlive whoever started it.
 */
function ownerOf(dir: string): Owner {
  // setpriv execs the command itself, so the pid and signals are the postmaster's own.
  const setpriv = (options: string[]) => (command: string, args: string[]) =>
    ['setpriv', ['--pdeathsig', 'SIGINT', ...options, '--', command, ...args]] as [string, string[]];
  if (process.getuid?.() !== 0) return Object.assign(setpriv([]), { chown: () => {} });
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
  return Object.assign(setpriv(['--reuid', String(uid), '--regid', String(gid), '--init-groups']), {
    chown: (path: string) => chownSync(path, uid, gid),
  });
}

function untilReady(postmaster: ChildProcess): Promise<void> {
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: postmaster.stderr! });
    const onExit = (code: number | null) =>
      reject(new Error(`PostgreSQL exited during start (code ${code}):\n${output.join('\n')}`));
    postmaster.once('exit', onExit);
    lines.on('line', (line) => {
      if (output.length < 50) output.push(line);
      if (!line.includes('ready to accept connections')) return;
      postmaster.off('exit', onExit);
      resolve();
    });
  });
}
