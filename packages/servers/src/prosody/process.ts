import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync } from 'node:fs';
import { waitForListening } from '../common/readiness.js';

/** Thrown when Prosody does not come up; `log` holds its last output lines. */
export class ProsodyStartError extends Error {
  override name = 'ProsodyStartError';
  constructor(
    message: string,
    readonly log: readonly string[],
  ) {
    super(`${message}\n--- prosody output ---\n${log.join('\n')}`);
  }
}

/** The user Prosody runs as: root's servers drop to Debian's `prosody` user. */
export interface ProsodyUser {
  /** setpriv options that switch to the user (none when this process is not root). */
  options: string[];
  /** Gives a file this process created to that user. */
  chown(path: string): void;
}

const STOP_TIMEOUT_MS = 10_000;

/**
 * Prosody refuses to run as root (unless told `run_as_root`), and a server reachable from
 * every local web page should not: as root, it runs as the `prosody` user Debian's package
 * creates, and owns the files it writes.
 */
export function prosodyUser(): ProsodyUser {
  if (process.getuid?.() !== 0) return { options: [], chown: () => {} };
  const uid = Number(execFileSync('id', ['-u', 'prosody'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'prosody'], { encoding: 'utf8' }));
  return {
    options: ['--reuid', String(uid), '--regid', String(gid), '--init-groups'],
    chown: (path) => chownSync(path, uid, gid),
  };
}

/** Fails with a clear message when `user` cannot read `file` (e.g. a data dir under /root). */
export function checkReadable(user: ProsodyUser, file: string): void {
  if (user.options.length === 0) return;
  try {
    execFileSync('setpriv', [...user.options, '--', 'test', '-r', file], { stdio: 'ignore' });
  } catch {
    throw new ProsodyStartError(
      `The prosody user cannot read ${file}: choose a data directory whose parents it may enter (e.g. under /tmp or /var/lib)`,
      [],
    );
  }
}

/**
 * Starts `prosody` in the foreground. It must never outlive this process, however this one
 * dies: the kernel sends it SIGKILL when its parent exits (setpriv --pdeathsig, kept across
 * exec). It runs in a session of its own, so Ctrl-C in a terminal, which signals the whole
 * foreground process group, does not reach it: Prosody shuts down on SIGINT, and the owner
 * decides when it stops.
 */
export function spawnProsody(prosody: string, config: string, user: ProsodyUser, cwd: string): ChildProcess {
  return spawn('setpriv', ['--pdeathsig', 'SIGKILL', ...user.options, '--', prosody, '-F', '--config', config], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Resolves when Prosody reports listening on every port (it accepts connections once its
 * event loop runs, after loading every module); rejects on exit or timeout.
 */
export function waitUntilListening(server: ChildProcess, ports: number[], timeoutMs: number): Promise<void> {
  return waitForListening(server, {
    name: 'Prosody',
    addresses: ports.map((port) => `[127.0.0.1]:${port}`),
    listening: /Activated service '\w+' on (\[[^\]]+\]:\d+)/,
    portInUse: /Failed to open server port/,
    timeoutMs,
    error: (message, log) => new ProsodyStartError(message, log),
  });
}

/** Asks Prosody to shut down cleanly (SIGTERM), kills it after a deadline, and waits for it. */
export async function stopProsody(server: ChildProcess, exited: Promise<void>): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
