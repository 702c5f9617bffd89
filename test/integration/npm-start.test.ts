import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  descendants,
  distinctFreePorts,
  live,
  portIsFree,
  processes,
  stillRunning,
  userEnv,
} from '../support/processes.js';
import { Terminal } from '../support/terminal.js';

// `npm start` as a new user runs it: from the root, in a terminal, stopped with Ctrl-C.

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start in a terminal', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.each([
    { server: 'ejabberd', process: /beam\.smp .*-s ejabberd/, runs: 2 },
    { server: 'prosody', process: /prosody -F --config /, runs: 1 },
  ])(
    'on $server, stops the demo, the bot and the server on Ctrl-C, returns the prompt and frees the ports',
    async ({ server, process: serverProcess, runs }) => {
      const [c2s, http, botHttp, demo] = await distinctFreePorts(4);
      const dataDir = mkdtempSync(join(tmpdir(), 'xsync-start-'));
      // As a checkout's .xsync is: Prosody runs as its own user, which must enter the directory.
      chmodSync(dataDir, 0o755);
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const terminal = new Terminal(
        userEnv({
          XSYNC_C2S_PORT: String(c2s),
          XSYNC_HTTP_PORT: String(http),
          XSYNC_BOT_HTTP_PORT: String(botHttp),
          XSYNC_DEMO_PORT: String(demo),
          XSYNC_DATA_DIR: dataDir,
          XSYNC_SERVER: server,
        }),
        root,
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
            expect.stringMatching(serverProcess),
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
      expect(existsSync(join(dataDir, 'bot', 'snapshots', 'demo%40muc.localhost.snapshot'))).toBe(true);
      expect(existsSync(join(dataDir, server))).toBe(true);

      // The ports are free, so a second run starts; a second Ctrl-C while it stops leaves nothing either.
      if (runs > 1) await startAndInterrupt(true);
    },
    150_000,
  );
});
