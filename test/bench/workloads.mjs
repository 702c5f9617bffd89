// The comparison's workloads, written once against the interface of systems.mjs. Every
// workload is seeded and bounded in count and time, and ends by checking that all replicas
// are identical: a run that does not converge is reported as failed, never as fast.
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import * as Y from 'yjs';
import { cpuSeconds, watchPeakRss } from './processes.mjs';
import { whenDoc } from './systems.mjs';

let roomCount = 0;
const newRoom = (label) => `bench-${label}-${process.pid}-${++roomCount}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mulberry32: the same edits for every system from the same seed. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One edit of a kind, as its own transaction: `type` inserts a character at a random place
 * of the shared text, `draw` appends a pointer position to the writer's stroke. Each edit is
 * exactly one new Yjs item, so (client, clock) names it.
 */
function edit(doc, kind, rng) {
  if (kind === 'draw') {
    let stroke = doc.getMap('strokes').get(String(doc.clientID));
    if (!stroke) {
      stroke = new Y.Array();
      doc.getMap('strokes').set(String(doc.clientID), stroke);
    }
    stroke.push([[Math.round(rng() * 2000), Math.round(rng() * 1000)]]);
  } else {
    const text = doc.getText('t');
    text.insert(Math.floor(rng() * (text.length + 1)), String.fromCharCode(97 + Math.floor(rng() * 26)));
  }
}

/** What a replica holds, for the convergence check. */
const contentOf = (doc) =>
  JSON.stringify([doc.getText('t').toString(), doc.getMap('strokes').toJSON(), [...Y.encodeStateVector(doc)]]);

/** Waits until every client holds the same content; false if they still differ at the deadline. */
async function converged(clients, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const first = contentOf(clients[0].doc);
    if (clients.every((client) => contentOf(client.doc) === first)) return true;
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
}

/** Latency of every remote edit as each receiver applies it: send time is kept per (client, clock). */
class LatencyProbe {
  sent = new Map();
  samples = [];
  #detach = [];

  watch(client) {
    const onTransaction = (transaction) => {
      if (transaction.local) return;
      const now = performance.now();
      for (const [id, after] of transaction.afterState) {
        for (let clock = transaction.beforeState.get(id) ?? 0; clock < after; clock++) {
          const sentAt = this.sent.get(`${id}:${clock}`);
          if (sentAt !== undefined) this.samples.push(now - sentAt);
        }
      }
    };
    client.doc.on('afterTransaction', onTransaction);
    this.#detach.push(() => client.doc.off('afterTransaction', onTransaction));
  }

  /** Makes an edit and notes when it was made. */
  edit(doc, kind, rng) {
    this.sent.set(`${doc.clientID}:${Y.getState(doc.store, doc.clientID)}`, performance.now());
    edit(doc, kind, rng);
  }

  percentiles() {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]) : NaN);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), samples: sorted.length };
  }

  detach() {
    for (const off of this.#detach.splice(0)) off();
  }
}

const round = (value) => Math.round(value * 10) / 10;
const totalWire = (clients) =>
  clients.reduce(
    (sum, client) => {
      const { sent, received } = client.wire();
      return { sent: sum.sent + sent, received: sum.received + received };
    },
    { sent: 0, received: 0 },
  );

async function openClients(system, room, count) {
  const clients = [];
  for (let i = 0; i < count; i++) clients.push(await system.client(room));
  return clients;
}

/**
 * `writers` of `clients` each make `hz` edits per second for `seconds`; every other client
 * applies them. Latency percentiles over all (edit, receiver) pairs, edits delivered per
 * second per receiver, and bytes on the wire per edit (all clients, both directions).
 */
export async function paced(system, { clients: count, writers, hz, kind, seconds, seed }) {
  const clients = await openClients(system, newRoom(kind), count);
  try {
    const probe = new LatencyProbe();
    for (const client of clients) probe.watch(client);
    const before = totalWire(clients);
    let made = 0;
    const started = performance.now();
    await Promise.all(
      clients.slice(0, writers).map(async (writer, index) => {
        const rng = random(seed + index);
        // Paced by the clock, not by timer callbacks: a late timer catches up, as a busy page would.
        for (let n = 0; n < hz * seconds; n++) {
          const due = started + (n * 1000) / hz + (index * 1000) / hz / writers;
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          probe.edit(writer.doc, kind, rng);
          made++;
        }
      }),
    );
    const same = await converged(clients);
    const elapsed = (performance.now() - started) / 1000;
    const wire = totalWire(clients);
    probe.detach();
    return {
      ...probe.percentiles(),
      edits: made,
      deliveredPerSecond: round(probe.samples.length / (count - 1) / elapsed),
      bytesPerEdit: Math.round((wire.sent - before.sent + wire.received - before.received) / made),
      converged: same,
    };
  } finally {
    for (const client of clients) await client.close();
  }
}

/**
 * The most edits per second one writer can send to `receivers` clients with p99 latency at
 * most 100 ms: the offered rate doubles each step until latency or delivery gives way.
 */
export async function throughput(system, { receivers, stepSeconds, seed }) {
  const clients = await openClients(system, newRoom('throughput'), receivers + 1);
  const [writer, ...others] = clients;
  const steps = [];
  try {
    for (let rate = 50; rate <= 3200; rate *= 2) {
      const probe = new LatencyProbe();
      for (const client of others) probe.watch(client);
      const rng = random(seed + rate);
      const started = performance.now();
      const total = Math.round(rate * stepSeconds);
      // Edits in 10 ms ticks: timers are not finer than a millisecond.
      for (let n = 0; n < total;) {
        const due = started + (n * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const upTo = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
        for (; n < upTo; n++) probe.edit(writer.doc, 'type', rng);
      }
      const same = await converged(clients);
      probe.detach();
      const { p99 } = probe.percentiles();
      const delivered = probe.samples.length / others.length;
      const ok = same && p99 <= 100 && delivered >= total * 0.99;
      steps.push({ rate, p99, ok });
      if (!ok) break;
    }
  } finally {
    for (const client of clients) await client.close();
  }
  const best = steps.filter((step) => step.ok).at(-1);
  return {
    editsPerSecond: best?.rate ?? 0,
    deliveriesPerSecond: (best?.rate ?? 0) * receivers,
    steps,
    converged: steps.every((step) => step.p99 !== undefined),
  };
}

/** A writer makes `edits` edits; then a new client is timed from its first byte to holding them all. */
export async function lateJoin(system, { edits, seed }) {
  const room = newRoom('latejoin');
  const [writer, observer] = await openClients(system, room, 2);
  try {
    const rng = random(seed);
    for (let n = 0; n < edits; n++) {
      edit(writer.doc, 'type', rng);
      if (n % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    }
    // The server has every edit once another client has them all.
    const target = Y.encodeStateVector(writer.doc).join();
    await whenDoc(observer.doc, () => Y.encodeStateVector(observer.doc).join() === target, 600_000);
    const started = performance.now();
    const late = await system.client(room);
    await whenDoc(late.doc, () => Y.encodeStateVector(late.doc).join() === target);
    const ms = performance.now() - started;
    const same = late.doc.getText('t').toString() === writer.doc.getText('t').toString();
    await late.close();
    return { ms: round(ms), converged: same };
  } finally {
    await writer.close();
    await observer.close();
  }
}

/** A client misses 1,000 edits while disconnected; timed from reconnecting to holding them all. */
export async function reconnect(system, { missed, seed }) {
  const room = newRoom('reconnect');
  const [writer, away] = await openClients(system, room, 2);
  try {
    await away.disconnect();
    const rng = random(seed);
    for (let n = 0; n < missed; n++) edit(writer.doc, 'type', rng);
    // The server has every edit once another client has them all.
    const target = Y.encodeStateVector(writer.doc).join();
    const observer = await system.client(room);
    await whenDoc(observer.doc, () => Y.encodeStateVector(observer.doc).join() === target);
    await observer.close();
    const started = performance.now();
    await away.reconnect();
    await whenDoc(away.doc, () => Y.encodeStateVector(away.doc).join() === target);
    const ms = performance.now() - started;
    return { ms: round(ms), converged: away.doc.getText('t').toString() === writer.doc.getText('t').toString() };
  } finally {
    await writer.close();
    await away.close();
  }
}

/** From nothing to a synced, empty document: connect (and, for XMPP, log in and join). */
export async function login(system) {
  const room = newRoom('login');
  await (await system.client(room)).close();
  const client = await system.client(room);
  const ms = client.connectMs;
  await client.close();
  return { ms: round(ms) };
}

/**
 * CPU seconds and peak memory for `edits` edits between two clients at `hz`: the server's
 * process tree, the bot's (xsync), and this process's (both clients). Scaled to 10,000 edits.
 */
export async function cost(system, { edits, hz, seed }) {
  const [writer, reader] = await openClients(system, newRoom('cost'), 2);
  try {
    const pids = system.pids;
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
    const peaks = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, watchPeakRss(pid)]));
    const clientBefore = process.cpuUsage();
    const rng = random(seed);
    const started = performance.now();
    for (let n = 0; n < edits; n++) {
      const wait = started + (n * 1000) / hz - performance.now();
      if (wait > 1) await sleep(wait);
      edit(writer.doc, 'type', rng);
    }
    const same = await converged([writer, reader]);
    const scale = 10_000 / edits;
    const clientCpu = process.cpuUsage(clientBefore);
    const result = {
      converged: same,
      clientsCpuSeconds: Math.round(((clientCpu.user + clientCpu.system) / 1e6) * scale * 100) / 100,
    };
    for (const [name, pid] of Object.entries(pids)) {
      result[`${name}CpuSeconds`] = Math.round((cpuSeconds(pid) - cpuBefore[name]) * scale * 100) / 100;
      result[`${name}PeakRssMiB`] = peaks[name]();
    }
    return result;
  } finally {
    await writer.close();
    await reader.close();
  }
}
