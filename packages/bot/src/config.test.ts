import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_OPTIONS, envNameOf, numberOption, resolveOptions } from './config.js';

describe('resolveOptions', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'xsync-bot-config-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('takes flags over the environment over the config file', async () => {
    const file = join(directory, 'bot.json');
    await writeFile(file, JSON.stringify({ dataDir: '/from-file', httpPort: '1', channels: ['a@mix', 'b@mix'] }));
    const env = { XSYNC_BOT_CONFIG: file, XSYNC_BOT_HTTP_PORT: '2' };
    const options = resolveOptions('run', ['--http-port', '3'], env);
    expect(options).toMatchObject({ 'data-dir': '/from-file', 'http-port': '3', channel: ['a@mix', 'b@mix'] });
    expect(resolveOptions('run', [], env)['http-port']).toBe('2');
  });

  it('splits lists given as repeated flags or comma-separated values', () => {
    const options = resolveOptions('run', ['--channel', 'a@mix,b@mix', '--channel', ' c@mix '], {});
    expect(options.channel).toEqual(['a@mix', 'b@mix', 'c@mix']);
    expect(resolveOptions('run', [], { XSYNC_BOT_CHANNEL: 'x@mix, y@mix' }).channel).toEqual(['x@mix', 'y@mix']);
  });

  it('refuses unknown flags and bad numbers, naming them', () => {
    expect(() => resolveOptions('export', ['--bogus'], {})).toThrow(/bogus/);
    expect(() => numberOption({ 'http-port': 'eighty' }, 'http-port', 0)).toThrow(/--http-port/);
    expect(numberOption({}, 'http-port', 7)).toBe(7);
  });

  it('names an environment variable for every option of every command', () => {
    expect(envNameOf('accept-invites-from')).toBe('XSYNC_BOT_ACCEPT_INVITES_FROM');
    for (const specs of Object.values(COMMAND_OPTIONS)) {
      for (const spec of specs) expect(spec.description.length).toBeGreaterThan(0);
    }
  });
});
