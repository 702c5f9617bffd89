import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/** Resolves once `pid` is gone (or a zombie), rejects at the deadline. */
async function exited(pid: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    let state: string | undefined;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      return;
    }
    if (state === 'Z') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`process ${pid} still running after ${deadlineMs} ms`);
}

describe('@xsync/servers lifetime', () => {
  it('stops the server when the owning process is killed with SIGKILL', async () => {
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { startEjabberd } from '@xsync/servers'; const s = await startEjabberd(); console.log(JSON.stringify({ pid: s.pid, dataDir: s.dataDir })); setInterval(() => {}, 1000);",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout! }).once('line', resolve);
      owner.once('exit', (code) => reject(new Error(`owner exited early (${code})`)));
    });
    const { pid, dataDir } = JSON.parse(line) as { pid: number; dataDir: string };
    try {
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('ejabberd');
      owner.kill('SIGKILL');
      await exited(pid, 15_000);
    } finally {
      owner.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
