import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RoomState, exportDocument, replaySteps, stateAt } from '@xsync/bot';
import { type RoomEvent, createRegistry, jsonPatch, yjsUpdate } from '@xsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { docOf } from '../support/yjs.js';
import { Fixture, createAccount } from '../support/fixtures.js';

const run = promisify(execFile);
const CLI = new URL('../../packages/bot/dist/cli.js', import.meta.url).pathname;
const fixture = new Fixture('bot-history');
let jid: string;
let account: { username: string; password: string };
let env: NodeJS.ProcessEnv;
/** Text of the document after each published edit, by archive id. */
const textAt = new Map<string, string>();
const ids: string[] = [];

beforeAll(async () => {
  const { tcpUrl, domain } = inject('server');
  account = await createAccount('cli');
  env = {
    ...process.env,
    XSYNC_BOT_SERVICE: tcpUrl,
    XSYNC_BOT_DOMAIN: domain,
    XSYNC_BOT_USERNAME: account.username,
    XSYNC_BOT_PASSWORD: account.password,
  };
  const channel = await fixture.join((jid = await fixture.createChannel(await fixture.connect())), 'alice');
  const doc = docOf(channel);
  const pending: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => pending.push(update));
  const text = doc.getText('content');
  const edits: Array<() => void> = [
    () => text.insert(0, 'Hello world'),
    () => text.delete(5, 6),
    () => text.insert(5, ', xsync'),
    () => doc.getMap('meta').set('title', 'Notes'),
    () => text.insert(text.length, '!'),
  ];
  for (const edit of edits) {
    edit();
    const { archiveId } = await channel.publish(yjsUpdate, pending.shift()!, { body: false });
    ids.push(archiveId);
    textAt.set(archiveId, text.toString());
  }
  await channel.publish(jsonPatch, [{ op: 'add', path: '/theme', value: 'dark' }], { doc: 'settings' });
});
afterAll(() => fixture.close());

describe('time travel', () => {
  it('an export at an archive id equals the document as it was then', async () => {
    const viewer = await fixture.join(jid);
    for (const id of ids) {
      const { state } = await stateAt(viewer, createRegistry(), { archiveId: id });
      expect(exportDocument(state, { format: 'text', root: 'content' })).toBe(textAt.get(id));
    }
  });

  it('an export at a time equals the document after every event archived by then', async () => {
    const viewer = await fixture.join(jid);
    const { events } = await viewer.history();
    for (const cut of events.slice(0, -1)) {
      const expected = new RoomState(createRegistry(), Infinity);
      for (const event of events) if (event.timestamp! <= cut.timestamp!) expected.apply(event as RoomEvent);
      const { state } = await stateAt(viewer, createRegistry(), { time: cut.timestamp! });
      expect(exportDocument(state, { format: 'json' })).toBe(exportDocument(expected, { format: 'json' }));
    }
  });

  it('replays step by step: who changed what', async () => {
    const viewer = await fixture.join(jid);
    const steps = [];
    for await (const step of replaySteps(viewer, createRegistry(), {})) steps.push(step);
    expect(steps.map((step) => step.changes)).toEqual([
      ['content: +"Hello world" at 0'],
      ['content: -6 at 5'],
      ['content: +", xsync" at 5'],
      ['meta: set {"title":"Notes"}'],
      ['content: +"!" at 12'],
      ['add /theme "dark"'],
    ]);
    expect(steps[0]!.sender.nick).toBe('alice');
    expect(steps.at(-1)).toMatchObject({ type: 'json-patch', doc: 'settings' });
  });
});

describe('xsync-bot command line', () => {
  it('documents every command', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--help']);
    for (const command of [
      'run',
      'export',
      'replay',
      'channel create',
      'channel info',
      'channel set',
      'channel participants',
    ]) {
      expect(stdout).toContain(command);
      const help = await run(process.execPath, [CLI, ...command.split(' '), '--help']);
      expect(help.stdout).toContain(`Usage: xsync-bot ${command}`);
    }
    await expect(run(process.execPath, [CLI, 'export', '--bogus'])).rejects.toMatchObject({ code: 2 });
  });

  it('exports at an archive id, and replays as JSON lines', async () => {
    const exported = await run(
      process.execPath,
      [CLI, 'export', '--channel', jid, '--at', ids[1]!, '--format', 'text'],
      {
        env,
      },
    );
    expect(exported.stdout).toBe(textAt.get(ids[1]!));
    const settings = await run(process.execPath, [CLI, 'export', '--channel', jid, '--doc', 'settings'], { env });
    expect(JSON.parse(settings.stdout)).toEqual({ theme: 'dark' });
    const replay = await run(process.execPath, [CLI, 'replay', '--channel', jid, '--from', ids[3]!, '--json'], { env });
    const steps = replay.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { archiveId: string });
    expect(steps.map((step) => step.archiveId)).toEqual([ids[4], expect.any(String)]);
  });

  it('creates, names, describes and lists a channel', async () => {
    const id = `cli-${Date.now().toString(36)}`;
    const created = await run(process.execPath, [CLI, 'channel', 'create', '--id', id, '--name', 'Design'], { env });
    const channel = created.stdout.trim();
    expect(channel).toBe(`${id}@${inject('server').mucDomain}`);
    await run(process.execPath, [CLI, 'channel', 'set', '--channel', channel, '--description', 'Weekly review'], {
      env,
    });
    const info = await run(process.execPath, [CLI, 'channel', 'info', '--channel', channel], { env });
    expect(JSON.parse(info.stdout)).toMatchObject({ jid: channel, name: 'Design', description: 'Weekly review' });
    const participants = await run(process.execPath, [CLI, 'channel', 'participants', '--channel', channel, '--json'], {
      env,
    });
    expect(JSON.parse(participants.stdout)).toEqual([
      expect.objectContaining({ jid: `${account.username}@${inject('server').domain}` }),
    ]);
  });

  it('runs until SIGTERM, then writes its snapshot and exits cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'xsync-bot-cli-'));
    try {
      const child = spawn(process.execPath, [CLI, 'run', '--channel', jid, '--data-dir', dataDir, '--http-port', '0'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const ready = await new Promise<{ http: string }>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (const line of buffer.split('\n').slice(0, -1)) {
            const entry = JSON.parse(line) as { msg: string; http: string };
            if (entry.msg === 'ready') resolve(entry);
          }
          buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        });
        child.on('exit', (code) => reject(new Error(`bot exited with ${code}`)));
      });
      expect((await fetch(`${ready.http}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await readdir(join(dataDir, 'snapshots'))).toEqual([`${encodeURIComponent(jid)}.snapshot`]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
