#!/usr/bin/env node
// Core benchmarks against the project-local ejabberd, all on loopback, bounded in count and time.
//   publish rate:  events/s one client gets acknowledged (reflected) by the channel, through
//                  @xsync/core and, side by side, through raw @xmpp/client stanzas of the same size
//   latency:       publish-to-receive latency at a steady rate with several receivers
// Usage: node test/bench/core.mjs [--quick]
import { performance } from 'node:perf_hooks';
import { Room, Connection, jsonPatch, xml } from '@xsync/core';
import { startEjabberd } from '@xsync/servers';
import { record } from './results.mjs';

const quick = process.argv.includes('--quick');
const PUBLISHES = quick ? 400 : 2000;
const WINDOW = 50; // publishes in flight
const RECEIVERS = 10;
const RATE = 50; // events/s for the latency run
const LATENCY_EVENTS = quick ? 100 : 500;

const server = await startEjabberd({ logLevel: 'info' });
const connections = [];
try {
  const open = async (name) => {
    const account = await server.createAccount(`${name}-${Math.random().toString(36).slice(2, 8)}`);
    const connection = await Connection.open({ service: server.tcpUrl, domain: server.domain, ...account });
    connections.push(connection);
    return connection;
  };
  const joined = async (jid, name) => {
    const channel = new Room(await open(name), { jid });
    await channel.join();
    return channel;
  };
  const admin = await open('admin');
  const patch = (n) => [{ op: 'replace', path: '/x', value: n }];

  // Publish rate through xsync.
  const rateJid = await Room.create(admin, server.mixDomain, 'bench-rate');
  const publisher = await joined(rateJid, 'publisher');
  const xsyncRate = await pipelined(PUBLISHES, (n) => publisher.publish(jsonPatch, patch(n)));

  // The same through raw @xmpp/client stanzas with an identical payload, acked on reflection.
  const rawJid = await Room.create(admin, server.mixDomain, 'bench-raw');
  const raw = await joined(rawJid, 'raw');
  const waiting = new Map();
  raw.connection.on('stanza', (stanza) => {
    const id = stanza.getChild('mix')?.getChildText('submission-id');
    if (id && waiting.has(id)) {
      waiting.get(id)();
      waiting.delete(id);
    }
  });
  const payload = (n) => jsonPatch.encode(patch(n));
  const rawRate = await pipelined(PUBLISHES, (n) => {
    const id = `raw-${n}`;
    const acked = new Promise((resolve) => waiting.set(id, resolve));
    void raw.connection.send(
      xml('message', { type: 'groupchat', to: rawJid, id }, xml('event', { xmlns: 'urn:xsync:1' }, payload(n))),
    );
    return acked;
  });

  // Publish-to-receive latency with several receivers.
  const latencyJid = await Room.create(admin, server.mixDomain, 'bench-latency');
  const sender = await joined(latencyJid, 'sender');
  const receivers = await Promise.all([...Array(RECEIVERS)].map((_, i) => joined(latencyJid, `receiver-${i}`)));
  const sentAt = new Map();
  const latencies = [];
  const allReceived = new Promise((resolve) => {
    for (const receiver of receivers) {
      receiver.on('event', (event) => {
        const started = sentAt.get(event.payload[0].value);
        latencies.push(performance.now() - started);
        if (latencies.length === LATENCY_EVENTS * RECEIVERS) resolve();
      });
    }
  });
  for (let n = 0; n < LATENCY_EVENTS; n++) {
    sentAt.set(n, performance.now());
    void sender.publish(jsonPatch, patch(n));
    await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
  }
  await Promise.race([
    allReceived,
    new Promise((_, reject) => setTimeout(() => reject(new Error('latency run timed out')), 60_000)),
  ]);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

  const results = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, ejabberd: server.version },
    publishRate: {
      xsync: round(xsyncRate),
      rawXmpp: round(rawRate),
      ratio: round(xsyncRate / rawRate, 2),
      events: PUBLISHES,
      window: WINDOW,
    },
    latency: {
      receivers: RECEIVERS,
      rate: RATE,
      events: LATENCY_EVENTS,
      p50: round(pct(50), 1),
      p95: round(pct(95), 1),
      p99: round(pct(99), 1),
      max: round(latencies.at(-1), 1),
    },
  };
  console.table({
    'publish rate xsync (events/s)': results.publishRate.xsync,
    'publish rate raw @xmpp/client (events/s)': results.publishRate.rawXmpp,
    'ratio xsync / raw': results.publishRate.ratio,
    [`latency p50 (ms, ${RECEIVERS} receivers, ${RATE}/s)`]: results.latency.p50,
    'latency p95 (ms)': results.latency.p95,
    'latency p99 (ms)': results.latency.p99,
  });
  record('core', results);
} finally {
  await Promise.all(connections.map((connection) => connection.close()));
  await server.stop();
}

/** Runs `count` async operations with at most WINDOW in flight; returns completions per second. */
async function pipelined(count, operation) {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) await operation(next++);
  };
  await Promise.all([...Array(WINDOW)].map(worker));
  return count / ((performance.now() - started) / 1000);
}

function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
