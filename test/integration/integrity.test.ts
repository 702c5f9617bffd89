import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from '@xsync/bot';
import { Connection, NS_CATCH_UP, Replica, Room, catchUpAnswerElement, jsonPatch, yjsUpdate } from '@xsync/core';
import { type IntegrityReport, XmppProvider } from '@xsync/core/yjs';
import { type EjabberdServer, startEjabberd } from '@xsync/servers';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { docOf, waitForEmit } from '../support/yjs.js';

/**
 * [INT1]–[INT3] against a damaged archive: this file's own ejabberd, whose SQLite archive it
 * changes behind the server's back (one character of an event, a deleted row, a copied row),
 * as a bad disk, a bad restore or a careless operator would.
 */
let dataDir: string;
let server: EjabberdServer;
const connections: Connection[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xsync-integrity-'));
  server = await startEjabberd({ dataDir });
});
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function joined(jid: string, name: string): Promise<Room> {
  const connection = await Connection.open({
    service: server.tcpUrl,
    domain: server.domain,
    ...(await server.createAccount(`${name}-${Math.random().toString(36).slice(2, 8)}`)),
  });
  connections.push(connection);
  const room = new Room(connection, { jid });
  await room.join();
  return room;
}

/** Runs SQL on the server's archive while it runs (SQLite in WAL mode takes a second writer). */
function sql(statement: string): string {
  return execFileSync('sqlite3', [join(dataDir, 'spool', 'xsync.db'), statement]).toString();
}

/** The SQL text of a JSON value as ejabberd stores it in a payload (quotes escaped). */
const stored = (value: number) => `&quot;value&quot;:${value}}`;

describe('a damaged archive', () => {
  it('[INT2] [INT3] a changed event is refused, a copied one applied once, a lost one reported, alike for every replica', async () => {
    const jid = await Room.create(await ownerConnection(), server.mucDomain, 'damaged');
    const writer = await joined(jid, 'writer');
    for (let value = 1; value <= 6; value++)
      await writer.publish(jsonPatch, [{ op: 'add', path: `/v${value}`, value }]);
    const byValue = (value: number) => `username = '${jid}' AND xml LIKE '%${stored(value)}%'`;
    expect(sql(`SELECT count(*) FROM archive WHERE username = '${jid}'`).trim()).toBe('6');
    sql(`UPDATE archive SET xml = replace(xml, '${stored(2)}', '${stored(7)}') WHERE ${byValue(2)}`);
    sql(`DELETE FROM archive WHERE ${byValue(4)}`);
    sql(
      `INSERT INTO archive (username, timestamp, peer, bare_peer, xml, txt, kind, nick, origin_id)
       SELECT username, timestamp + 1, peer, bare_peer, xml, txt, kind, nick, origin_id FROM archive WHERE ${byValue(5)}`,
    );

    const reader = await joined(jid, 'reader');
    const history = await reader.history();
    expect(history.rejected.map((rejection) => rejection.reason)).toEqual(['tampered']);
    const replica = new Replica(jsonPatch, undefined);
    const results = history.events.map((event) => replica.apply(event));
    expect(results.filter((result) => !result.applied)).toEqual([{ applied: false, reason: 'duplicated' }]);
    expect(replica.takeGaps()).toEqual([
      { chain: history.events[0]!.chain!.id, from: 2, to: 2 },
      { chain: history.events[0]!.chain!.id, from: 4, to: 4 },
    ]);
    expect(replica.state).toEqual({ v1: 1, v3: 3, v5: 5, v6: 6 });

    // The bot, rebuilding the room from the archive, holds the same and counts what it found.
    const botData = mkdtempSync(join(tmpdir(), 'xsync-integrity-bot-'));
    const bot = await Bot.start({
      service: server.tcpUrl,
      domain: server.domain,
      ...(await server.createAccount(`bot-${Math.random().toString(36).slice(2, 8)}`)),
      channels: [jid],
      dataDir: botData,
      logger: pino({ level: 'silent' }),
    });
    try {
      expect(bot.followers.get(jid)!.state.replica(jsonPatch.name, undefined)!.state).toEqual(replica.state);
      const metric = async (name: string) => (await bot.metrics.registry.getSingleMetric(name)!.get()).values;
      expect((await metric('xsync_bot_missing_events_total'))[0]?.value).toBe(2);
      const rejected = await metric('xsync_bot_events_rejected_total');
      expect(rejected.find((value) => value.labels.reason === 'tampered')?.value).toBe(1);
      expect(rejected.find((value) => value.labels.reason === 'duplicated')?.value).toBe(1);
    } finally {
      await bot.stop();
      rmSync(botData, { recursive: true, force: true });
    }
  });
});

describe('a document over a damaged archive', () => {
  it('[INT3] a joiner reading it is synced but not intact, and says what the archive lost', async () => {
    const jid = await Room.create(await ownerConnection(), server.mucDomain, 'damaged-doc');
    const writer = await joined(jid, 'writer');
    const doc = docOf(writer);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (const char of 'abcd') {
      doc.getText('t').insert(doc.getText('t').length, char);
      await writer.publish(yjsUpdate, updates.shift()!);
    }
    const rows = sql(`SELECT timestamp FROM archive WHERE username = '${jid}' ORDER BY timestamp`).trim().split('\n');
    expect(rows).toHaveLength(4);
    sql(`DELETE FROM archive WHERE username = '${jid}' AND timestamp = ${rows[1]}`);

    const provider = new XmppProvider(await joined(jid, 'reader'), new Y.Doc(), { connect: false });
    const reports: IntegrityReport[] = [];
    provider.on('integrity', (report) => reports.push(report));
    try {
      const synced = waitForEmit(provider as never, 'synced', (value) => value === true);
      await provider.connect();
      await synced;
      expect(provider.intact).toBe(false);
      expect(reports).toMatchObject([{ kind: 'missing', from: 2, to: 2, sender: { id: writer.participantId } }]);
      // What follows the gap waits on what the gap lost, as Yjs keeps it: "a" only.
      expect(provider.doc.getText('t').toString()).toBe('a');
    } finally {
      provider.destroy();
    }
  });
});

describe("a bot's answer against the archive", () => {
  it('[INT4] an answer that lacks what the archive holds before its cursor is reported, and the archive fills it in', async () => {
    const jid = await Room.create(await ownerConnection(), server.mucDomain, 'stale-bot');
    const writer = await joined(jid, 'writer');
    const doc = docOf(writer);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    const archived: string[] = [];
    for (const char of 'abcd') {
      doc.getText('t').insert(doc.getText('t').length, char);
      archived.push((await writer.publish(yjsUpdate, updates.at(-1)!)).archiveId);
    }
    // A bot whose state stopped after "ab" but whose cursor says it holds all four.
    const stale = new Y.Doc();
    for (const update of updates.slice(0, 2)) Y.applyUpdate(stale, update);
    const impostor = await Connection.open({
      service: server.tcpUrl,
      domain: server.domain,
      resource: 'xsync-bot',
      ...(await server.createAccount(`stale-${Math.random().toString(36).slice(2, 8)}`)),
    });
    connections.push(impostor);
    impostor.xmpp.iqCallee.get(NS_CATCH_UP, 'catch-up', () =>
      catchUpAnswerElement({
        channel: jid,
        doc: undefined,
        last: archived.at(-1),
        stateVector: Y.encodeStateVector(stale),
        parts: 1,
        token: undefined,
        firstPart: Y.encodeStateAsUpdate(stale),
      }),
    );

    const provider = new XmppProvider(await joined(jid, 'reader'), new Y.Doc(), {
      connect: false,
      bots: [impostor.bareJid],
    });
    try {
      const result = waitForEmit<{ source: string }>(provider as never, 'catch-up', () => true);
      const lacking = waitForEmit<IntegrityReport>(provider as never, 'integrity', () => true);
      await provider.connect();
      expect((await result).source).toBe('bot');
      // The answer held "a" and "b"; of the three events before its cursor, "c" is not held.
      expect(await lacking).toEqual({ kind: 'answer-lacks', bot: impostor.bareJid, unheld: 1, sampled: 3 });
      expect(provider.intact).toBe(false);
      await vi.waitFor(() => expect(provider.doc.getText('t').toString()).toBe('abcd'));
    } finally {
      provider.destroy();
    }
  });
});

async function ownerConnection(): Promise<Connection> {
  const connection = await Connection.open({
    service: server.tcpUrl,
    domain: server.domain,
    ...(await server.createAccount(`owner-${Math.random().toString(36).slice(2, 8)}`)),
  });
  connections.push(connection);
  return connection;
}
