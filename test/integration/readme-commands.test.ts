import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yjsUpdate } from '@xsync/core';
import { freePort, registerAccount } from '@xsync/servers';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { Fixture } from '../support/fixtures.js';
import { docOf } from '../support/yjs.js';
import { live, processes, userEnv } from '../support/processes.js';

// The `npx xsync-bot …` / `npx xsync-ejabberd` lines of the README, run from the root as a user
// runs them; the README's own lines are parsed, so the test follows the README.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `promise`, or a rejection naming `what` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

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
    const { tcpUrl, domain, mucDomain, apiUrl: ejabberdApi } = inject('server');
    const apiUrl = ejabberdApi!;
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
    const jid = `${id}@${mucDomain}`;
    expect(created.stdout).toBe(`${jid}\n`);

    // Someone writes two versions of the notes.
    const channel = await fixture.join(jid, 'alice');
    const createWords = commands.get('channel create')!;
    // The name and description are the room's own, which its owner alone changes ([INFO2]).
    expect(await channel.info()).toEqual({
      name: createWords[createWords.indexOf('--name') + 1],
      description: createWords[createWords.indexOf('--description') + 1],
    });
    const doc = docOf(channel);
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
