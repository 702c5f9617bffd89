import { type ChildProcess, spawn } from 'node:child_process';
import { live, processes } from './processes.js';

// The pty comes from python3's pty module (Debian's python3; Node has no pty without a native module).
// The bridge copies its stdin to the pty master and the master to its stdout, and writes the
// shell's pid to stderr.
const PTY_BRIDGE = `
import fcntl, os, pty, select, struct, sys, termios
pid, master = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 160, 0, 0))
    os.environ['PS1'] = os.environ.pop('PTY_PS1')  # a non-interactive bash (a python3 shim) drops PS1
    os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])
sys.stderr.write(f'{pid}\\n')
sys.stderr.flush()
inputs = [0, master]
while True:
    ready = select.select(inputs, [], [])[0]
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(master, data)
        else:
            inputs.remove(0)
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;
const PROMPT = 'xsync-test-prompt$ ';

/**
 * An interactive bash on a pseudo-terminal, as in a terminal window: bash gives each command
 * line a foreground process group, and the ^C byte written to the master makes the line
 * discipline send SIGINT to that whole group. The prompt is `xsync-test-prompt$ `.
 */
export class Terminal {
  /** Everything the terminal has shown so far. */
  output = '';
  /** The shell's pid, which is also its session id. */
  readonly shell: Promise<number>;
  readonly #bridge: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #waiters = new Set<() => void>();

  constructor(env: NodeJS.ProcessEnv, cwd: string) {
    this.#bridge = spawn('python3', ['-c', PTY_BRIDGE], {
      cwd,
      env: { ...env, PTY_PS1: PROMPT, TERM: 'dumb', HISTFILE: '/dev/null' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#exited = new Promise((resolve) => this.#bridge.once('exit', resolve));
    this.#bridge.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
      for (const waiter of this.#waiters) waiter();
    });
    this.shell = new Promise((resolve, reject) => {
      let text = '';
      this.#bridge.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\n')) resolve(Number(text.split('\n')[0]));
      });
      this.#bridge.once('exit', (code) => reject(new Error(`the pty bridge exited (${code}): ${text}`)));
    });
  }

  /** Types `text` as keystrokes: `\r` is Enter, `\x03` is Ctrl-C. */
  type(text: string): void {
    this.#bridge.stdin!.write(text);
  }

  /** Waits until the output after offset `from` matches `pattern`. */
  waitFor(pattern: RegExp, from: number, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.output.slice(from));
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; terminal output:\n${this.output.slice(from)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Kills whatever still runs in the terminal's session, exits the shell and waits for the bridge. */
  async close(): Promise<void> {
    const shell = await this.shell.catch(() => undefined);
    if (shell !== undefined) {
      for (const info of live(processes(), (info) => info.sid === shell && info.pid !== shell)) {
        process.kill(info.pid, 'SIGKILL');
      }
      this.type('exit\r');
    }
    const timer = setTimeout(() => {
      if (shell !== undefined && live(processes(), (info) => info.pid === shell).length > 0) {
        process.kill(shell, 'SIGKILL');
      }
      this.#bridge.kill('SIGKILL');
    }, 5_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
