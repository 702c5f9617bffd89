#!/usr/bin/env node
// XmppProvider benchmarks on the local ejabberd:
//   catch-up of N missed edits by a new client, reconnect-to-caught-up after 1,000 missed edits,
//   and update stanzas per second from a fast typist and a fast drawer without and with batching.
// Usage: node test/bench/provider.mjs [--quick]
import { performance } from 'node:perf_hooks';
import { Room, Connection, yjsUpdate } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { startEjabberd } from '@xsync/servers';
import * as Y from 'yjs';
import { record } from './results.mjs';

const quick = process.argv.includes('--quick');
const MISSED = quick ? 2000 : 10_000;
const RECONNECT_MISSED = 1000;
const SECONDS = quick ? 2 : 4;

const server = await startEjabberd();
const connections = [];
const providers = [];
try {
  const open = async () => {
    const account = await server.createAccount();
    const connection = await Connection.open({ service: server.tcpUrl, domain: server.domain, ...account });
    connections.push(connection);
    return connection;
  };
  const provider = async (jid, options = {}) => {
    const p = new XmppProvider(new Room(await open(), { jid }), new Y.Doc(), { connect: false, ...options });
    providers.push(p);
    return p;
  };
  /** Publishes `count` one-character edits as separate events, 50 in flight. */
  const writeEdits = async (jid, count) => {
    const channel = new Room(await open(), { jid });
    await channel.join();
    const doc = new Y.Doc();
    const updates = [];
    doc.on('update', (update) => updates.push(update));
    for (let i = 0; i < count; i++) doc.getText('t').insert(i, 'x');
    let next = 0;
    await Promise.all(
      [...Array(50)].map(async () => {
        while (next < updates.length) await channel.publish(yjsUpdate, updates[next++], { body: false });
      }),
    );
    channel.destroy();
  };

  // Catch-up of MISSED edits by a client that joins after them.
  const catchUpJid = await server.createChannel('bench-catch-up');
  await writeEdits(catchUpJid, MISSED);
  const late = await provider(catchUpJid);
  let started = performance.now();
  await late.connect();
  const catchUpMs = performance.now() - started;
  if (late.doc.getText('t').length !== MISSED) throw new Error('catch-up incomplete');

  // Reconnect-to-caught-up after 1,000 edits missed while disconnected.
  const reconnectJid = await server.createChannel('bench-reconnect');
  const away = await provider(reconnectJid);
  await away.connect();
  away.disconnect();
  await writeEdits(reconnectJid, RECONNECT_MISSED);
  started = performance.now();
  await away.connect();
  const reconnectMs = performance.now() - started;
  if (away.doc.getText('t').length !== RECONNECT_MISSED) throw new Error('reconnect catch-up incomplete');

  // Stanzas per second: typist at 15 keystrokes/s, drawer at 120 pointer moves/s.
  const rate = async (hz, edit, batched) => {
    const jid = await server.createChannel(`bench-rate-${hz}-${batched}`);
    const writer = await provider(jid, batched ? {} : { batchInterval: 0, maxInFlight: 1000 });
    await writer.connect();
    let stanzas = 0;
    writer.room.connection.xmpp.on('send', (element) => {
      if (element.name === 'message' && element.getChild('event')) stanzas++;
    });
    const ticks = hz * SECONDS;
    for (let i = 0; i < ticks; i++) {
      edit(writer.doc, i);
      await new Promise((resolve) => setTimeout(resolve, 1000 / hz));
    }
    await new Promise((resolve) =>
      writer.unsyncedChanges === 0 ? resolve() : writer.on('unsynced', (n) => n === 0 && resolve()),
    );
    return Math.round((stanzas / SECONDS) * 10) / 10;
  };
  const type = (doc, i) => doc.getText('t').insert(i, 'k');
  const draw = (doc, i) => doc.getArray('points').push([[i, i * 2]]);
  const typistRaw = await rate(15, type, false);
  const typistBatched = await rate(15, type, true);
  const drawerRaw = await rate(120, draw, false);
  const drawerBatched = await rate(120, draw, true);

  // A busy room: 10 drawers at 120 pointer moves/s each, all watching each other. Latency from a
  // local edit to its arrival at every other client, without and with batching + backpressure.
  const busyRoom = async (batched) => {
    const jid = await server.createChannel(`bench-busy-${batched}`);
    const drawers = [];
    for (let i = 0; i < 10; i++) {
      const p = await provider(jid, batched ? {} : { batchInterval: 0, maxInFlight: 1000 });
      await p.connect();
      drawers.push(p);
    }
    const sentAt = new Map();
    const latencies = [];
    for (const [i, p] of drawers.entries()) {
      p.doc.getMap('latest').observe((event) => {
        for (const key of event.keysChanged) {
          if (key === `d${i}`) continue;
          const started = sentAt.get(p.doc.getMap('latest').get(key));
          if (started !== undefined) latencies.push(performance.now() - started);
        }
      });
    }
    const ticks = 120 * SECONDS;
    for (let t = 0; t < ticks; t++) {
      for (const [i, p] of drawers.entries()) {
        const stamp = `${i}:${t}`;
        sentAt.set(stamp, performance.now());
        p.doc.getMap('latest').set(`d${i}`, stamp);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 / 120));
    }
    await Promise.all(
      drawers.map(
        (p) =>
          new Promise((resolve) =>
            p.unsyncedChanges === 0 ? resolve() : p.on('unsynced', (n) => n === 0 && resolve()),
          ),
      ),
    );
    latencies.sort((a, b) => a - b);
    const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
    return { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1)), samples: latencies.length };
  };
  const busyUnbatched = await busyRoom(false);
  const busyBatched = await busyRoom(true);

  const results = {
    missedEdits: MISSED,
    catchUpMs: Math.round(catchUpMs),
    reconnectMissedEdits: RECONNECT_MISSED,
    reconnectToCaughtUpMs: Math.round(reconnectMs),
    typist15Hz: { unbatched: typistRaw, batched: typistBatched },
    drawer120Hz: {
      unbatched: drawerRaw,
      batched: drawerBatched,
      ratio: Math.round((drawerBatched / drawerRaw) * 100) / 100,
    },
  };
  console.table({
    [`catch-up of ${MISSED} missed edits (ms)`]: results.catchUpMs,
    [`reconnect-to-caught-up after ${RECONNECT_MISSED} missed edits (ms)`]: results.reconnectToCaughtUpMs,
    'typist 15 keys/s: stanzas/s unbatched': typistRaw,
    'typist 15 keys/s: stanzas/s batched': typistBatched,
    'drawer 120 moves/s: stanzas/s unbatched': drawerRaw,
    'drawer 120 moves/s: stanzas/s batched': drawerBatched,
    'busy room, 10 drawers: latency p50/p99 ms unbatched': `${busyUnbatched.p50} / ${busyUnbatched.p99}`,
    'busy room, 10 drawers: latency p50/p99 ms batched': `${busyBatched.p50} / ${busyBatched.p99}`,
  });
  record('provider', results);
} finally {
  for (const p of providers) p.destroy();
  await Promise.all(connections.map((connection) => connection.close()));
  await server.stop();
}
