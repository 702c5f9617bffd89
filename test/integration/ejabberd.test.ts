import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EjabberdStartError, freePort, startEjabberd } from '@xsync/servers';
import { describe, expect, it } from 'vitest';
import { isRunning } from '../support/processes.js';

describe('@xsync/servers', () => {
  it('starts on loopback with the documented settings and stops without leftovers', async () => {
    const server = await startEjabberd();
    try {
      expect(server.version).toBe('24.12');
      const listening = execFileSync('ss', ['-ltnp'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(`pid=${server.pid},`));
      expect(listening.length).toBeGreaterThanOrEqual(2);
      for (const line of listening) expect(line).toMatch(/127\.0\.0\.1:\d+/);
      const config = readFileSync(`${server.dataDir}/config/ejabberd.yml`, 'utf8');
      expect(config).toContain('c2s_shaper: none');
      expect(config).toMatch(/mod_stream_mgmt:/);
      const journal = execFileSync('sqlite3', [`${server.dataDir}/spool/xsync.db`, 'PRAGMA journal_mode;'], {
        encoding: 'utf8',
      });
      expect(journal.trim()).toBe('wal');
      const account = await server.createAccount();
      expect(account.jid).toBe(`${account.username}@${server.domain}`);
      await expect(server.createAccount(account.username)).rejects.toThrow(/already registered/);
      expect(await server.createChannel('ejabberd-test')).toBe(`ejabberd-test@${server.mixDomain}`);
    } finally {
      await server.stop();
    }
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('documents its CLI', () => {
    const help = execFileSync(
      process.execPath,
      [fileURLToPath(new URL('../../packages/servers/dist/ejabberd/cli.js', import.meta.url)), '--help'],
      {
        encoding: 'utf8',
      },
    );
    for (const option of [
      '--domain',
      '--c2s-port',
      '--http-port',
      '--data-dir',
      '--account',
      '--postgres',
      '--no-install',
    ]) {
      expect(help).toContain(option);
    }
  });

  it('reports a taken port with the server output', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const error = await startEjabberd({ c2sPort: port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EjabberdStartError);
      expect((error as EjabberdStartError).message).toMatch(/in use|exited/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
