import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Options of {@link waitForListening}. */
export interface ListeningOptions {
  /** The server's name in messages, e.g. `ejabberd`. */
  name: string;
  /** Every address the server must report, as `listening` captures it. */
  addresses: readonly string[];
  /** Matches a line saying the server listens; group 1 is the address. */
  listening: RegExp;
  /** Matches a line saying a port could not be opened. */
  portInUse: RegExp;
  timeoutMs: number;
  /** The error to reject with, given the message and the last output lines. */
  error: (message: string, log: readonly string[]) => Error;
}

const LOG_LINES_KEPT = 200;

/**
 * Resolves when `child` has reported listening on every address in its stdout or stderr;
 * rejects on exit, timeout or a port in use.
 */
export function waitForListening(child: ChildProcess, options: ListeningOptions): Promise<void> {
  const { name, listening, portInUse, timeoutMs, error } = options;
  const output: string[] = [];
  const pending = new Set(options.addresses);
  const keep = (line: string) => {
    output.push(line);
    if (output.length > LOG_LINES_KEPT) output.shift();
  };
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(error(`${name} did not start within ${timeoutMs} ms`, output));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      done();
      reject(error(`${name} exited during start (code ${code})`, output));
    };
    const onLine = (line: string) => {
      keep(line);
      const address = listening.exec(line)?.[1];
      if (address) pending.delete(address);
      if (portInUse.test(line)) {
        done();
        reject(error(`A port is already in use: ${[...pending].join(', ')}`, output));
      } else if (pending.size === 0) {
        done();
        resolveReady();
      }
    };
    const lines = [createInterface({ input: child.stdout! }), createInterface({ input: child.stderr! })];
    for (const reader of lines) reader.on('line', onLine);
    child.once('exit', onExit);
    const done = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep draining output so the child never blocks on a full pipe.
      for (const reader of lines) {
        reader.off('line', onLine);
        reader.on('line', keep);
      }
    };
  });
}
