import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Room, Connection, jsonPatch } from '@xsync/core';
import { type EjabberdServer, type LocalPostgres, startEjabberd, startPostgres } from '@xsync/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../support/processes.js';

// A server of this file's own, on a PostgreSQL cluster of its own: the production option.
let database: LocalPostgres;
let server: EjabberdServer;
const connections: Connection[] = [];

beforeAll(async () => {
  database = await startPostgres();
  server = await startEjabberd({ postgres: database });
}, 60_000);

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await server?.stop();
  await database?.stop();
});

async function connect(): Promise<Connection> {
  const account = await server.createAccount();
  const connection = await Connection.open({ service: server.tcpUrl, domain: server.domain, ...account });
  connections.push(connection);
  return connection;
}

describe('ejabberd on PostgreSQL', () => {
  it('keeps accounts, channels and the archive in PostgreSQL, on loopback', async () => {
    const config = readFileSync(`${server.dataDir}/config/ejabberd.yml`, 'utf8');
    expect(config).toContain('sql_type: pgsql');
    expect(config).toContain(`sql_port: ${database.port}`);
    expect(config).toContain('sql_server: "127.0.0.1"');
    expect(existsSync(`${server.dataDir}/spool/xsync.db`)).toBe(false);

    const owner = await connect();
    const jid = await Room.create(owner, server.mixDomain, 'postgres-archive');
    const writer = new Room(owner, { jid });
    await writer.join();
    const published: string[] = [];
    for (let n = 0; n < 30; n++) {
      published.push((await writer.publish(jsonPatch, [{ op: 'add', path: `/n${n}`, value: n }])).archiveId);
    }
    const reader = new Room(await connect(), { jid });
    await reader.join();
    const history = await reader.history({ pageSize: 7 });
    expect(history.events.map((event) => event.archiveId)).toEqual(published);
    expect(history.events.map((event) => (event.payload as Array<{ value: number }>)[0]!.value)).toEqual([
      ...Array(30).keys(),
    ]);
    writer.destroy();
    reader.destroy();
  });

  it('runs from the command line on a PostgreSQL URL, and stops the database without leftovers', async () => {
    const other = await startPostgres();
    const cli = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('../../packages/servers/dist/ejabberd/cli.js', import.meta.url)),
        '--postgres',
        `postgresql://${other.username}:${other.password}@${other.host}:${other.port}/${other.database}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let output = '';
        cli.stdout.on('data', (data: Buffer) => {
          output += String(data);
          if (output.includes('Press Ctrl-C')) resolve(output);
        });
        cli.once('exit', (code) => reject(new Error(`xsync-ejabberd exited (${code}): ${output}`)));
      });
      expect(banner).toMatch(/ejabberd 24\.12 is running/);
      const config = readFileSync(`${/data\s+(\S+)/.exec(banner)![1]}/config/ejabberd.yml`, 'utf8');
      expect(config).toContain(`sql_port: ${other.port}`);
    } finally {
      const exited = new Promise((resolve) => cli.once('exit', resolve));
      cli.kill('SIGINT');
      await exited;
      await other.stop();
    }
    await other.stop();
    expect(isRunning(other.pid)).toBe(false);
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
