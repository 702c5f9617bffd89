import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yjsUpdate } from '@xsync/core';
import { freePort, registerAccount } from '@xsync/servers';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { Fixture } from '../support/fixtures.js';

// The commands a new user meets, run as they run them: `npm start` in a terminal, stopped with
// Ctrl-C, and the `npx xsync-bot …` / `npx xsync-ejabberd` lines of the README, from the root.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a user's shell: without the variables vitest and npm set for this run. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL|npm_|XSYNC_)|^NODE_ENV$/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** Start time in clock ticks since boot: tells a process from a later one with its pid. */
  start: string;
  command: string;
}

/** Every process of the machine, read from /proc. */
function processes(): ProcessInfo[] {
  const list: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    let command: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command's closing parenthesis: state ppid pgrp session … starttime (22nd).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    list.push({
      pid: Number(name),
      state: fields[0]!,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      sid: Number(fields[3]),
      start: fields[19]!,
      command,
    });
  }
  return list;
}

/** Running (not zombie) processes among `table` matching `filter`. */
const live = (table: ProcessInfo[], filter: (info: ProcessInfo) => boolean) =>
  table.filter((info) => !'ZX'.includes(info.state) && filter(info));

/** The descendants of `pid`. */
function descendants(pid: number, table = processes()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const info of table) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** Which of these processes still run (same pid and start time, not a zombie). */
function stillRunning(recorded: ProcessInfo[]): ProcessInfo[] {
  const table = processes();
  return recorded.filter((old) => live(table, (info) => info.pid === old.pid && info.start === old.start).length > 0);
}

/** Whether a TCP port on 127.0.0.1 can be listened on. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

// The pty comes from python3's pty module (Debian's python3; Node has no pty without a native module).
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
 * discipline send SIGINT to that whole group.
 */
class Terminal {
  output = '';
  readonly shell: Promise<number>;
  readonly #bridge: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #waiters = new Set<() => void>();

  constructor(env: NodeJS.ProcessEnv) {
    this.#bridge = spawn('python3', ['-c', PTY_BRIDGE], {
      cwd: root,
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

describe('npm start in a terminal', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('stops the demo, the bot and the server on Ctrl-C, returns the prompt and frees the ports, twice', async () => {
    const [c2s, http, botHttp, demo] = await distinctFreePorts(4);
    const dataDir = mkdtempSync(join(tmpdir(), 'xsync-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const terminal = new Terminal(
      userEnv({
        XSYNC_C2S_PORT: String(c2s),
        XSYNC_HTTP_PORT: String(http),
        XSYNC_BOT_HTTP_PORT: String(botHttp),
        XSYNC_DEMO_PORT: String(demo),
        XSYNC_DATA_DIR: dataDir,
      }),
    );
    cleanups.push(() => terminal.close());
    const shell = await terminal.shell;
    await terminal.waitFor(/xsync-test-prompt\$/, 0, 10_000);

    /** Runs `npm start` until the demo's address shows, then Ctrl-C (twice with `hurry`). */
    const startAndInterrupt = async (hurry: boolean) => {
      const from = terminal.output.length;
      terminal.type('npm start\r');
      const [, url] = await terminal.waitFor(/Open the demo:\s+(http:\/\/127\.0\.0\.1:\d+\/)/, from, 60_000);
      expect(url).toBe(`http://127.0.0.1:${demo}/`);
      expect((await fetch(url!)).ok).toBe(true);
      const started = descendants(shell);
      expect(started.map((info) => info.command)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^npm start/),
          expect.stringMatching(/scripts\/start\.mjs$/),
          expect.stringMatching(/beam\.smp .*-s ejabberd/),
          expect.stringMatching(/packages\/bot\/dist\/cli\.js run /),
        ]),
      );
      for (const port of [c2s, http, botHttp, demo]) expect(await portIsFree(port!)).toBe(false);

      const interrupted = terminal.output.length;
      const began = performance.now();
      terminal.type('\x03');
      if (hurry) {
        await terminal.waitFor(/Stopping the demo/, interrupted, 10_000);
        terminal.type('\x03');
        await terminal.waitFor(/Stopping now/, interrupted, 10_000);
      }
      await terminal.waitFor(/\n[^\n]*xsync-test-prompt\$ $/, interrupted, 30_000);
      const stopMs = performance.now() - began;

      expect(live(processes(), (info) => info.sid === shell && info.pid !== shell)).toEqual([]);
      expect(stillRunning(started)).toEqual([]);
      for (const port of [c2s, http, botHttp, demo]) expect(await portIsFree(port!)).toBe(true);
      return stopMs;
    };

    const stopMs = await startAndInterrupt(false);
    expect(stopMs).toBeLessThan(20_000);
    // The bot wrote its snapshot as it stopped.
    expect(existsSync(join(dataDir, 'bot', 'snapshots', 'demo%40mix.localhost.snapshot'))).toBe(true);
    expect(existsSync(join(dataDir, 'ejabberd', 'spool'))).toBe(true);

    // The ports are free, so a second run starts; a second Ctrl-C while it stops leaves nothing either.
    await startAndInterrupt(true);
  }, 150_000);
});

/** Runs `npx …args` from the repository root in a process group of its own. */
function npx(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npx', args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`npx ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Splits a shell line into words: quotes group words, a `#` starting a word begins a comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The shell block of the README's xsync-bot section: its exported variables and its npx commands by name. */
function readmeBotCommands(): { exported: string[]; commands: Map<string, string[]> } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## xsync-bot\n') + 1);
  const block = /```sh\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ')))![1]!;
  const exported: string[] = [];
  const commands = new Map<string, string[]>();
  for (const line of block.replace(/\\\n/g, ' ').split('\n').map(shellWords)) {
    if (line[0] === 'export') exported.push(...line.slice(1).map((assignment) => assignment.split('=')[0]!));
    if (line[0] === 'npx') commands.set(line[2] === 'channel' ? `channel ${line[3]}` : line[2]!, line.slice(1));
  }
  return { exported, commands };
}

/** The README's words with the values of the given `--flag`s replaced. */
function withValues(words: string[], values: Record<string, string>): string[] {
  return words.map((word, index) => {
    const flag = words[index - 1]?.match(/^--(.+)$/)?.[1];
    return flag !== undefined && flag in values ? values[flag]! : word;
  });
}

describe('the README commands', () => {
  const { exported, commands } = readmeBotCommands();
  const fixture = new Fixture('commands');
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await fixture.close();
  });

  it('shows the commands tested here', () => {
    expect([...commands.keys()].sort()).toEqual(['channel create', 'export', 'help', 'replay', 'run']);
  });

  it('npx xsync-bot help run prints the options of run', async () => {
    const { code, stdout } = await npx(commands.get('help')!, userEnv({}));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: xsync-bot run \[options\]/);
    for (const flag of ['--service', '--channel', '--data-dir', '--http-port']) expect(stdout).toContain(flag);
  });

  it('npx xsync-ejabberd --help prints its usage', async () => {
    const { code, stdout } = await npx(['xsync-ejabberd', '--help'], userEnv({}));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: xsync-ejabberd \[options\]/);
    expect(stdout).toContain('--data-dir');
  });

  it('channel create, export, replay and run work against a server as the README shows them', async () => {
    const { tcpUrl, domain, mixDomain, apiUrl } = inject('server');
    const account = await registerAccount(apiUrl, domain);
    // The variables the README exports, for the test server; the account is a fresh one.
    const values: Record<string, string> = {
      XSYNC_BOT_SERVICE: tcpUrl,
      XSYNC_BOT_DOMAIN: domain,
      XSYNC_BOT_PASSWORD: account.password,
    };
    for (const name of exported) expect(Object.keys(values)).toContain(name);
    const env = userEnv({
      ...Object.fromEntries(exported.map((name) => [name, values[name]!])),
      XSYNC_BOT_USERNAME: account.username,
    });

    // channel create
    const id = `team-${randomBytes(4).toString('hex')}`;
    const created = await npx(withValues(commands.get('channel create')!, { id }), env);
    expect(created.code, created.stderr).toBe(0);
    const jid = `${id}@${mixDomain}`;
    expect(created.stdout).toBe(`${jid}\n`);

    // Someone writes two versions of the notes.
    const channel = await fixture.join(jid, 'alice');
    const createWords = commands.get('channel create')!;
    const info = (await channel.history()).events.find((event) => event.type.name === 'channel-info');
    expect(info?.payload).toEqual({
      name: createWords[createWords.indexOf('--name') + 1],
      description: createWords[createWords.indexOf('--description') + 1],
    });
    const doc = new Y.Doc();
    const notes = doc.getText('notes');
    notes.insert(0, 'first line\n');
    const first = await channel.publish(yjsUpdate, Y.encodeStateAsUpdate(doc), { doc: 'notes' });
    const before = Y.encodeStateVector(doc);
    notes.insert(notes.length, 'second line\n');
    const second = await channel.publish(yjsUpdate, Y.encodeStateAsUpdate(doc, before), { doc: 'notes' });
    const history = (await channel.history()).events;
    const at = history.find((event) => event.archiveId === first.archiveId)!.timestamp!;

    // export: the notes as they were at the first version's time.
    const exportedNotes = await npx(withValues(commands.get('export')!, { channel: jid, at: at.toISOString() }), env);
    expect(exportedNotes.code, exportedNotes.stderr).toBe(0);
    expect(exportedNotes.stdout).toContain('first line');
    const secondAt = history.find((event) => event.archiveId === second.archiveId)!.timestamp!;
    if (secondAt.getTime() > at.getTime()) expect(exportedNotes.stdout).not.toContain('second line');

    // replay: the steps after the first version.
    const replayed = await npx(withValues(commands.get('replay')!, { channel: jid, from: first.archiveId }), env);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`  ${second.archiveId}  `);
    expect(replayed.stdout).not.toContain(`  ${first.archiveId}  `);
    expect(replayed.stdout).toContain(`yjs-update doc=notes`);

    // run: follows the channel until Ctrl-C, then writes its snapshot.
    const dataDir = mkdtempSync(join(tmpdir(), 'xsync-bot-run-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const httpPort = await freePort();
    const runWords = withValues(commands.get('run')!, {
      service: tcpUrl,
      domain,
      username: account.username,
      channel: jid,
      'data-dir': dataDir,
      'http-port': String(httpPort),
    });
    const bot = spawn('npx', runWords, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const group = bot.pid!;
    const botExited = new Promise((resolve) => bot.once('exit', resolve));
    cleanups.push(() => {
      if (live(processes(), (info) => info.pgid === group).length > 0) process.kill(-group, 'SIGKILL');
    });
    let log = '';
    bot.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`xsync-bot run was not ready within 30 s:\n${log}`)), 30_000);
      bot.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
        if (/"msg":"ready"/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void botExited.then(() => reject(new Error(`xsync-bot run exited:\n${log}`)));
    });
    const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    expect(health.status).toBe(200);
    process.kill(-group, 'SIGINT'); // Ctrl-C to the job, as a terminal sends it
    await within(botExited, 20_000, 'xsync-bot run stopping on Ctrl-C');
    expect(live(processes(), (info) => info.pgid === group)).toEqual([]);
    expect(readdirSync(join(dataDir, 'snapshots'))).toEqual([`${encodeURIComponent(jid)}.snapshot`]);
  });
});
