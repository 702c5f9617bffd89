#!/usr/bin/env node
// Login and reconnect over a slow link: xsync beside y-websocket and Hocuspocus at emulated
// round-trip times of 0, 20 and 100 ms, in milliseconds and in round trips.
//
// The measured client reaches its server through delayProxy.mjs (RTT/2 each way per chunk,
// plus one RTT before its first bytes leave, for the TCP handshake the loopback proxy does
// not delay); everything else (the document's writer, the observer that confirms the server
// holds the edits, xsync-bot) uses the direct loopback link.
//
// - first login: a fresh client (xsync: a new account, registered before the clock starts, so
//   its first login takes SCRAM) is timed from its start until its document equals a room's
//   100-edit document;
// - reconnect: a connected client disconnects (xsync: closes its session), misses 100 edits,
//   and is timed from reconnecting until it holds them (xsync: a new session logging in with
//   the FAST token kept from its first login, then join and catch-up from the bot);
// - dropped link: a connected client that reconnects on its own (reconnect waits set to 0)
//   has its connection reset at the proxy, which then holds new connections while 100 edits
//   are made; it is timed from the proxy's release until it holds them (xsync: the stream
//   resumed, XEP-0198, inside a FAST SASL2 authentication; the server replays what it missed).
//
// Round trips = (median at 100 ms − median at 0 ms) / 100. One extra, untimed xsync reconnect
// at 100 ms is traced at the proxy: what the client sent and received, when.
// Usage: node test/bench/rtt.mjs [--quick] [--trace-only]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Channel, Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { registerAccount } from '@xsync/servers';
import * as prettier from 'prettier';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startDelayProxy } from './delayProxy.mjs';
import { edit, random, sleep } from './edits.mjs';
import { record } from './results.mjs';
import { startSystem, versionOf, whenDoc } from './systems.mjs';

const quick = process.argv.includes('--quick');
// y-websocket adds a process 'exit' listener per provider, and this suite keeps a dozen.
process.setMaxListeners(32);
const traceOnly = process.argv.includes('--trace-only');
/** `--traces=N`: trace N reconnects at 100 ms instead of one (after the runs, or alone with --trace-only). */
const TRACES = Number(process.argv.find((arg) => arg.startsWith('--traces='))?.slice('--traces='.length) ?? 1);
const RUNS = quick ? 3 : 5;
const RTTS = [0, 20, 100];
const SYSTEMS = ['xsync', 'y-websocket', 'hocuspocus'];
const TITLES = { xsync: 'xsync', 'y-websocket': 'y-websocket', hocuspocus: 'Hocuspocus' };
const EDITS = 100;
const SEED = 20261122;
/** Dropped link: how long the held proxy waits for the client's new connection before releasing anyway. */
const RECONNECT_WAIT_MS = 2000;
const FAST_MECHANISM = 'HT-SHA-256-NONE';

const round = (value) => Math.round(value * 10) / 10;
const stateOf = (doc) => Y.encodeStateVector(doc).join();
const textOf = (doc) => doc.getText('t').toString();

// ---------------------------------------------------------------------------------------
// Clients through the proxy. As clients.mjs makes them, but keeping hold of the provider (and
// the xsync connection, for its LoginInfo), and with a disconnect that resolves once the old
// socket is gone, so a reconnect never races the close of the connection before it.

/** An endpoint whose clients go through `proxy`. */
function proxied(endpoint, proxy) {
  if (endpoint.tcpUrl) return { ...endpoint, tcpUrl: `xmpp://127.0.0.1:${proxy.port}` };
  return { ...endpoint, url: `ws://127.0.0.1:${proxy.port}` };
}

async function until(check, what, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what}: not in time`);
    await sleep(2);
  }
}

/**
 * xsync: Connection.open + XmppProvider with the bot trusted for catch-up, as clients.mjs.
 * `recovering`: the connection reconnects on its own after a lost socket (the default of
 * Connection), at once (xmpp.js waits RECONNECT_DELAYS.xsync otherwise), resuming the stream.
 */
async function xsyncClient(endpoint, room, account, { recovering = false } = {}) {
  const jid = `${room}@${endpoint.mixDomain}`;
  const doc = new Y.Doc();
  let connection;
  let provider;
  const connect = async () => {
    connection = await Connection.open({
      service: endpoint.tcpUrl,
      domain: endpoint.domain,
      ...account,
      reconnect: recovering,
    });
    // @xmpp/reconnect's documented `delay` property: the wait after a lost socket.
    if (recovering) connection.xmpp.reconnect.delay = 0;
    provider = new XmppProvider(new Channel(connection, { jid }), doc, { bots: [endpoint.botJid], connect: false });
    await provider.connect();
  };
  const drop = async () => {
    provider.destroy();
    provider.channel.destroy();
    await connection.close();
    connection = undefined;
  };
  await connect();
  return {
    doc,
    get login() {
      return connection?.login;
    },
    disconnect: drop,
    reconnect: connect,
    close: () => (connection ? drop() : undefined),
  };
}

function yWebsocketClient(endpoint, room, { recovering = false } = {}) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(endpoint.url, room, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    // Its retry waits min(100 ms · 2^failures, maxBackoffTime): 0 makes every retry immediate.
    ...(recovering && { maxBackoffTime: 0 }),
  });
  const synced = () => new Promise((resolve) => provider.once('sync', resolve));
  return synced().then(() => ({
    doc,
    // y-websocket forgets the old socket at once: a connect() right after opens a new one.
    disconnect: async () => provider.disconnect(),
    reconnect: async () => {
      const sync = synced();
      provider.connect();
      await sync;
    },
    close: async () => {
      provider.destroy();
      doc.destroy();
    },
  }));
}

async function hocuspocusClient(endpoint, room, { recovering = false } = {}) {
  const doc = new Y.Doc();
  let provider;
  await new Promise((resolve) => {
    provider = new HocuspocusProvider({
      url: endpoint.url,
      name: room,
      document: doc,
      WebSocketPolyfill: WebSocket,
      onSynced: resolve,
      // After a close it waits `delay` before connect(), whose retries wait between
      // `minDelay` and `delay` (jitter) from `initialDelay`: all 0, no jitter.
      ...(recovering && { delay: 0, minDelay: 0, initialDelay: 0, jitter: false }),
    });
  });
  const socket = provider.configuration.websocketProvider;
  return {
    doc,
    // Hocuspocus ignores connect() until the old socket has closed (and then retries after
    // a second): wait for the close before reconnecting.
    disconnect: async () => {
      provider.disconnect();
      await until(() => socket.status === 'disconnected', 'Hocuspocus disconnect');
    },
    reconnect: () => provider.connect(),
    close: async () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * A client of `endpoint` (direct or proxied) in `room`; xsync needs its account. `recovering`:
 * one that reconnects on its own after a lost connection, with no wait (RECONNECT_DELAYS).
 */
function clientOf(endpoint, room, account, options) {
  if (endpoint.system === 'y-websocket') return yWebsocketClient(endpoint, room, options);
  if (endpoint.system === 'hocuspocus') return hocuspocusClient(endpoint, room, options);
  return xsyncClient(endpoint, room, account, options);
}

/** What each recovering client is set to wait before reconnecting, and what it waits by default, for the doc. */
const RECONNECT_DELAYS = {
  xsync:
    'Connection `reconnect: true` (its default) and `connection.xmpp.reconnect.delay = 0`, the documented ' +
    'property of @xmpp/reconnect that Connection has no option for (default 1,000 ms before each attempt)',
  'y-websocket':
    '`maxBackoffTime: 0`; a retry waits min(100 ms · 2^failed attempts, maxBackoffTime), so 200 ms by ' +
    'default for the first one after a synced connection (maxBackoffTime default 2,500 ms)',
  hocuspocus:
    '`delay: 0, minDelay: 0, initialDelay: 0, jitter: false` (defaults 1,000 ms, 1,000 ms, 0, true: ' +
    'one second after a close before connecting, and retries between minDelay and delay)',
};

/** An xsync account (registered over the admin API, before any clock starts); none for the others. */
const accountFor = (endpoint) =>
  endpoint.tcpUrl ? registerAccount(endpoint.apiUrl, endpoint.domain) : Promise.resolve(undefined);

// ---------------------------------------------------------------------------------------
// Rooms and the three paths.

let roomCount = 0;
const newRoom = (label) => `bench-rtt-${label}-${process.pid}-${++roomCount}`;

/** `count` edits by `writer`; resolves with the state a caught-up client has, once the server has them. */
async function writeEdits(system, room, writer, count, rng) {
  for (let n = 0; n < count; n++) edit(writer.doc, 'type', rng);
  const target = stateOf(writer.doc);
  // As workloads.mjs: the server has every edit once a new client (xsync: caught up by the
  // bot) has them all.
  const observer = await system.client(room);
  await whenDoc(observer.doc, () => stateOf(observer.doc) === target, 30_000);
  await observer.close();
  return target;
}

/** A room whose document holds EDITS edits; its writer stays (y-websocket and Hocuspocus keep documents in memory only while someone is connected). */
async function loginRoom(system) {
  const room = newRoom('login');
  const writer = await system.client(room);
  const target = await writeEdits(system, room, writer, EDITS, random(SEED));
  return { room, writer, target };
}

/** First login of a fresh client through `proxy`, timed until its document equals the room's. */
async function firstLogin(system, proxy, { room, writer, target }) {
  const endpoint = proxied(system.endpoint, proxy);
  const account = await accountFor(system.endpoint);
  const started = performance.now();
  const client = await clientOf(endpoint, room, account);
  await whenDoc(client.doc, () => stateOf(client.doc) === target, 30_000);
  const ms = performance.now() - started;
  const login = client.login;
  const converged = textOf(client.doc) === textOf(writer.doc);
  await client.close();
  return { ms: round(ms), converged, ...(login && { login: { ...login } }) };
}

/** A room with a writer (direct) and a client through `proxy` that will go away and come back. */
async function reconnectRoom(system, proxy) {
  const room = newRoom(`reconnect-${proxy.rttMs}`);
  await system.prepare(room);
  const writer = await system.client(room);
  const away = await clientOf(proxied(system.endpoint, proxy), room, await accountFor(system.endpoint));
  return { room, writer, away, rng: random(SEED + proxy.rttMs) };
}

/** The away client misses EDITS edits, then is timed from reconnecting to holding them. */
async function reconnectOnce(system, { room, writer, away, rng }, onStart) {
  await away.disconnect();
  const target = await writeEdits(system, room, writer, EDITS, rng);
  onStart?.();
  const started = performance.now();
  await away.reconnect();
  await whenDoc(away.doc, () => stateOf(away.doc) === target, 30_000);
  const ms = performance.now() - started;
  const login = away.login;
  return {
    ms: round(ms),
    converged: textOf(away.doc) === textOf(writer.doc),
    ...(login && { login: { ...login } }),
  };
}

/** A room with a writer (direct) and a recovering client through `proxy`, the only one through it. */
async function dropRoom(system, proxy) {
  const room = newRoom(`drop-${proxy.rttMs}`);
  await system.prepare(room);
  const writer = await system.client(room);
  const endpoint = proxied(system.endpoint, proxy);
  const away = await clientOf(endpoint, room, await accountFor(system.endpoint), { recovering: true });
  return { room, writer, away, proxy, rng: random(SEED + 1 + proxy.rttMs) };
}

/**
 * The link of the away client is cut (reset, no close) and held shut while the writer makes
 * EDITS edits and a direct client confirms the server holds them; the client is timed from
 * the link's release until it holds them, reconnecting and recovering on its own.
 */
async function dropOnce(system, { room, writer, away, proxy, rng }) {
  proxy.hold();
  const connections = proxy.arrivals.length;
  const cutAt = performance.now();
  const cut = proxy.cut();
  if (cut !== 1) throw new Error(`dropped link: ${cut} connections cut, not 1`);
  const target = await writeEdits(system, room, writer, EDITS, rng);
  const missed = stateOf(away.doc) !== target;
  // Its reconnect wait is 0, so its new connection is normally there already; when this
  // process was busy with the edits it may come a few milliseconds later: wait for it (at
  // most RECONNECT_WAIT_MS, counted if longer), so the figure starts with the link back and
  // the client trying, and report the time from the cut to the new connection beside it.
  await until(() => proxy.arrivals.length > connections, 'reconnect', RECONNECT_WAIT_MS).catch(() => undefined);
  const started = proxy.release();
  await whenDoc(away.doc, () => stateOf(away.doc) === target, 30_000);
  const ms = performance.now() - started;
  const arrivals = proxy.arrivals.slice(connections);
  const login = away.login;
  return {
    ms: round(ms),
    // It missed the edits while cut (else the path measured nothing), and then converged.
    missed,
    converged: missed && textOf(away.doc) === textOf(writer.doc),
    // When the client's new connection reached the proxy, after the cut, and whether before the release.
    reconnectedAfter: arrivals.length ? round(arrivals[0] - cutAt) : undefined,
    waitingAtRelease: arrivals.length > 0 && arrivals[0] <= started,
    connections: arrivals.length,
    ...(login && { login: { ...login } }),
  };
}

// ---------------------------------------------------------------------------------------
// The trace of one xsync reconnect: top-level elements sent and received, with their times.

/** Names the stream's top-level elements as they pass, chunk by chunk, for one direction. */
function elementNamer() {
  let depth = 0;
  let current;
  return (text) => {
    const names = [];
    for (const [, close, name, attrs, selfClose] of text.matchAll(/<(\/?)([^\s>/?!]+)([^>]*?)(\/?)>/g)) {
      if (name === 'stream:stream') {
        if (!close) names.push('stream header');
        continue;
      }
      if (close) {
        depth--;
        continue;
      }
      const xmlns = / xmlns=['"]([^'"]+)['"]/.exec(attrs)?.[1];
      const type = / type=['"]([^'"]+)['"]/.exec(attrs)?.[1];
      if (depth === 0) {
        current = { name, type, xmlns, children: [] };
        names.push(current);
      } else if (depth === 1 && current) current.children.push(xmlns ? `${name} ${xmlns}` : name);
      if (!selfClose) depth++;
    }
    return names.map((element) =>
      typeof element === 'string'
        ? element
        : `${element.name}${element.type ? ` type=${element.type}` : ''}${element.xmlns ? ` ${element.xmlns}` : ''}` +
          (element.children.length ? ` [${element.children.slice(0, 3).join(', ')}]` : ''),
    );
  };
}

async function traceReconnects(system, proxy, setTap) {
  const state = await reconnectRoom(system, proxy);
  try {
    // Once to settle (the first FAST login follows the SCRAM one), then the traced ones.
    await reconnectOnce(system, state);
    const traces = [];
    for (let i = 0; i < TRACES; i++) traces.push(await traceReconnect(system, state, setTap));
    return traces;
  } finally {
    setTap(undefined);
    await state.away.close();
    await state.writer.close();
  }
}

async function traceReconnect(system, state, setTap) {
  const lines = [];
  let started;
  const namers = { up: elementNamer(), down: elementNamer() };
  try {
    const result = await reconnectOnce(system, state, () => {
      started = performance.now();
      lines.push({ at: 0, direction: '·', what: 'reconnect() called; TCP connect to the proxy' });
      // Chunks pass the proxy whole and in order, so each one is known at both ends by identity.
      const serverTimes = new Map();
      setTap((event, chunk, at) => {
        const ms = Math.round(at - started);
        if (event === 'down-sent') serverTimes.set(chunk, ms);
        if (event === 'up-arrived') {
          const line = lines.find((candidate) => candidate.chunk === chunk);
          if (line) line.server = ms;
        }
        if (event !== 'up' && event !== 'down') return;
        const names = namers[event](String(chunk));
        lines.push({
          at: ms,
          chunk,
          server: serverTimes.get(chunk),
          direction: event === 'up' ? '→' : '←',
          what: names.length ? names.join('; ') : `${chunk.length} bytes`,
        });
        serverTimes.delete(chunk);
      });
    });
    setTap(undefined);
    lines.push({ at: Math.round(result.ms), direction: '·', what: 'document caught up' });
    return { ms: result.ms, login: result.login, lines };
  } finally {
    setTap(undefined);
  }
}

// ---------------------------------------------------------------------------------------
// The run.

function summarize(results) {
  const values = results.map((result) => result.ms).sort((a, b) => a - b);
  return {
    median: values[Math.floor(values.length / 2)],
    min: values[0],
    max: values.at(-1),
    runs: values.length,
    failed: results.some(
      (result) => result.converged === false || result.unexpectedMechanism || result.unexpectedLogin,
    ),
  };
}

const started = performance.now();
const results = {};
const logins = {};
/** Per system: when the recovering client's new connection reached the proxy after the cut. */
const reconnects = {};
const versions = { node: process.version, yjs: versionOf('yjs') };
let traces = [];
for (const name of traceOnly ? ['xsync'] : SYSTEMS) {
  const system = await startSystem(name);
  Object.assign(versions, system.versions);
  const target = { host: '127.0.0.1', port: Number(new URL(system.endpoint.tcpUrl ?? system.endpoint.url).port) };
  let tap;
  const proxies = new Map();
  const rooms = [];
  try {
    for (const rttMs of RTTS) {
      proxies.set(rttMs, await startDelayProxy({ target, rttMs, tap: (...args) => tap?.(...args) }));
    }
    if (traceOnly) {
      traces = await traceReconnects(system, proxies.get(100), (next) => (tap = next));
      continue;
    }
    const loginState = await loginRoom(system);
    rooms.push(loginState);
    const reconnectStates = new Map();
    const dropStates = new Map();
    for (const rttMs of RTTS) {
      const state = await reconnectRoom(system, proxies.get(rttMs));
      reconnectStates.set(rttMs, state);
      rooms.push(state);
      // A proxy of its own, so that cutting it cuts this client only.
      const dropProxy = await startDelayProxy({ target, rttMs });
      proxies.set(`drop-${rttMs}`, dropProxy);
      const dropState = await dropRoom(system, dropProxy);
      dropStates.set(rttMs, dropState);
      rooms.push(dropState);
    }
    // Warm-up, discarded: the first login and reconnect of each kind through the 0 ms proxy.
    await firstLogin(system, proxies.get(0), loginState);
    await reconnectOnce(system, reconnectStates.get(0));
    await dropOnce(system, dropStates.get(0));
    const runs = Object.fromEntries(RTTS.map((rttMs) => [rttMs, { login: [], reconnect: [], drop: [] }]));
    // RTTs interleaved within each run, so that the machine's drifts weigh on all alike.
    for (let i = 0; i < RUNS; i++) {
      for (const rttMs of RTTS) {
        const login = await firstLogin(system, proxies.get(rttMs), loginState);
        // A new account has no token: its first login takes the password.
        if (login.login && login.login.mechanism === FAST_MECHANISM) login.unexpectedMechanism = true;
        runs[rttMs].login.push(login);
        const reconnected = await reconnectOnce(system, reconnectStates.get(rttMs));
        if (reconnected.login && reconnected.login.mechanism !== FAST_MECHANISM) reconnected.unexpectedMechanism = true;
        runs[rttMs].reconnect.push(reconnected);
        const dropped = await dropOnce(system, dropStates.get(rttMs));
        // xsync: the stream resumed (XEP-0198) inside the FAST authentication, in one exchange.
        if (
          dropped.login &&
          (!dropped.login.resumed ||
            dropped.login.mechanism !== FAST_MECHANISM ||
            dropped.login.exchanges.join() !== 'stream+authenticate')
        ) {
          dropped.unexpectedLogin = true;
        }
        runs[rttMs].drop.push(dropped);
      }
    }
    const dropRuns = RTTS.flatMap((rttMs) => runs[rttMs].drop);
    const delays = dropRuns.map((result) => result.reconnectedAfter ?? Infinity).sort((a, b) => a - b);
    reconnects[name] = {
      median: delays[Math.floor(delays.length / 2)],
      max: delays.at(-1),
      waiting: dropRuns.filter((result) => result.waitingAtRelease).length,
      oneConnection: dropRuns.filter((result) => result.connections === 1).length,
      runs: dropRuns.length,
    };
    console.log(
      `${name} dropped link: reconnect attempt ${reconnects[name].median} ms (max ${reconnects[name].max}) after the cut; ` +
        `waiting at release ${reconnects[name].waiting}/${dropRuns.length}, one connection ${reconnects[name].oneConnection}/${dropRuns.length}`,
    );
    results[name] = {};
    for (const rttMs of RTTS) {
      results[name][rttMs] = {
        login: summarize(runs[rttMs].login),
        reconnect: summarize(runs[rttMs].reconnect),
        drop: summarize(runs[rttMs].drop),
      };
      for (const path of ['login', 'reconnect', 'drop']) {
        const { median, min, max, failed } = results[name][rttMs][path];
        console.log(
          `${name.padEnd(12)} ${path.padEnd(9)} at ${String(rttMs).padStart(3)} ms RTT: ${median} ms (min ${min}, max ${max})${failed ? ' FAILED' : ''}`,
        );
      }
    }
    if (name === 'xsync') {
      const describe = (result) =>
        result.login
          ? `${result.login.mechanism}${result.login.resumed ? ', resumed' : ''}: ` +
            `${result.login.exchanges.join(', ')} (${result.login.roundTrips})`
          : '';
      for (const path of ['login', 'reconnect', 'drop']) {
        const seen = new Set(RTTS.flatMap((rttMs) => runs[rttMs][path].map(describe)));
        logins[path] = [...seen];
        console.log(`xsync ${path} sessions: ${[...seen].join(' | ')}`);
      }
      traces = await traceReconnects(system, proxies.get(100), (next) => (tap = next));
    }
  } finally {
    for (const state of rooms) {
      await state.away?.close();
      await state.writer.close();
    }
    for (const proxy of proxies.values()) await proxy.stop();
    await system.stop();
  }
}

for (const trace of traces) {
  console.log(
    `\nOne xsync reconnect at 100 ms RTT (${trace.ms} ms; ${trace.login?.mechanism}: ${trace.login?.exchanges.join(', ')}), times at the client:`,
  );
  for (const line of trace.lines) {
    const server =
      line.server === undefined ? '' : ` (server: ${line.direction === '→' ? 'in' : 'out'} at ${line.server} ms)`;
    console.log(`${String(line.at).padStart(6)} ms ${line.direction} ${line.what}${server}`);
  }
}
if (traceOnly) process.exit(0);

// ---------------------------------------------------------------------------------------
// Tables.

const format = (value) =>
  typeof value !== 'number' || Number.isNaN(value)
    ? '–'
    : value >= 100
      ? String(Math.round(value))
      : String(Math.round(value * 100) / 100);
const cell = (summary) =>
  summary
    ? `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})${summary.failed ? ' ✗' : ''}`
    : '–';
const ratio = (path, rttMs, other) => results.xsync[rttMs][path].median / results[other][rttMs][path].median;
const roundTrips = (name, path) =>
  Math.round((results[name][100][path].median - results[name][0][path].median) / 10) / 10;

const PATHS = {
  login: 'first login to a synced 100-edit document',
  reconnect: 'reconnect to caught up, 100 missed edits',
  drop: 'dropped link, within the resumption window, 100 missed edits',
};
const header = ['', 'RTT', ...SYSTEMS.map((name) => TITLES[name]), 'xsync ÷ y-websocket', 'xsync ÷ Hocuspocus'];
const rows = [];
const roundTripFigures = {};
for (const [path, label] of Object.entries(PATHS)) {
  for (const rttMs of RTTS) {
    rows.push([
      `${label} (ms)`,
      `${rttMs} ms`,
      ...SYSTEMS.map((name) => cell(results[name][rttMs][path])),
      format(ratio(path, rttMs, 'y-websocket')),
      format(ratio(path, rttMs, 'hocuspocus')),
    ]);
  }
  roundTripFigures[path] = Object.fromEntries(SYSTEMS.map((name) => [name, roundTrips(name, path)]));
  rows.push([
    `${label}: round trips`,
    '(100 − 0) / 100',
    ...SYSTEMS.map((name) => String(roundTripFigures[path][name])),
    format(roundTripFigures[path].xsync / roundTripFigures[path]['y-websocket']),
    format(roundTripFigures[path].xsync / roundTripFigures[path].hocuspocus),
  ]);
}
const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
const targets = [
  ['reconnect to caught up at 100 ms RTT ≤ 1.0× y-websocket', ratio('reconnect', 100, 'y-websocket'), 1],
  ['first login to a synced document at 100 ms RTT ≤ 1.5× y-websocket', ratio('login', 100, 'y-websocket'), 1.5],
]
  .map(([text, value, limit]) => `| ${text} | ${format(value)}× y-websocket | ${value <= limit ? 'met' : 'not met'} |`)
  .join('\n');
const seconds = Math.round((performance.now() - started) / 1000);
console.log(`\n${table}\n\n| target | measured | |\n| --- | --- | --- |\n${targets}`);

record('rtt', {
  quick,
  runs: RUNS,
  rtts: RTTS,
  edits: EDITS,
  versions,
  results,
  roundTrips: roundTripFigures,
  logins,
  dropReconnects: reconnects,
  reconnectDelays: RECONNECT_DELAYS,
});

const BEGIN = '<!-- rtt.mjs: begin -->';
const END = '<!-- rtt.mjs: end -->';
const section = `${BEGIN}

## Login, reconnect and a dropped link over a slow link

Produced by \`node test/bench/rtt.mjs\` (also part of \`npm run bench\`), ${RUNS} runs per figure
(median, min–max in parentheses), ${seconds} s in all, on the machine above: ${cpus().length} shared,
noisy cores, so figures at 0 ms move by several milliseconds from run to run, and a slow
moment of the server or the client adds tens of milliseconds to a run at any RTT (the
min–max shows it). ${Object.entries(versions)
  .map(([name, version]) => `${name} ${version}`)
  .join(', ')}.

- **Link**: the measured client reaches its server through a TCP proxy on loopback
  (\`test/bench/delayProxy.mjs\`) that holds every chunk for half the round-trip time in each
  direction, in order, with TCP_NODELAY on both sides and no bandwidth cap. The proxy's own
  TCP handshake is on loopback, so it holds the client's bytes for one more RTT after
  accepting the connection, as a real handshake would before the client's first bytes could
  leave; every system opens exactly one TCP connection per connect or reconnect, so each pays
  that once. The 0 ms row goes through the same proxy with no delay. Everything else (the
  writer, the observer confirming the server holds the edits, xsync-bot) uses the direct link.
- **First login**: a room holds ${EDITS} edits made beforehand by a writer; a fresh client (xsync:
  a new account, registered through the admin API before the clock starts, so it logs in with
  SCRAM; then Bind2 and stream management inline in SASL2, join, catch-up from the bot) is timed
  from its start until its document equals the writer's.
- **Reconnect**: a connected client disconnects (xsync: closes its session), the writer makes
  ${EDITS} edits, a new client over the direct link confirms the server holds them, and the
  client is timed from reconnecting until it holds them (xsync: a new session, logging in with
  the FAST token kept from its earlier login, \`${FAST_MECHANISM}\`, checked on every run).
- **Dropped link, within the resumption window**: a connected client that reconnects on
  its own has its connection cut: the proxy resets both of its sockets (TCP RST to the client
  and to the server, no XMPP or WebSocket close, whatever was in flight lost), and from then
  holds new connections: it accepts them but passes nothing on. Meanwhile the writer makes
  ${EDITS} edits and a new client over the direct link confirms the server holds them. Once
  that is done and the client's new connection is waiting at the proxy (at most
  ${RECONNECT_WAIT_MS / 1000} s, else without it), the proxy lets the link through, and the
  client is **timed from that release until it holds all the edits**. The waiting connection
  goes on as if accepted at the release: its first bytes leave one RTT later (the TCP
  set-up), as those of a connection made then would. Each system recovers its own way:
  xsync's \`Connection\` (\`reconnect\` on, its default) opens a new socket and resumes the
  XMPP stream (XEP-0198) inside a FAST SASL2 authentication, and the server replays the
  stanzas the client missed, so the provider needs no catch-up (checked on every run:
  \`connection.login.resumed\`, exchanges \`stream+authenticate\` only); y-websocket's and
  Hocuspocus's providers open a new WebSocket and sync.
  - Reconnect waits, set as small as the options allow (the figure is the protocol's, not a
    timer's; none keeps a minimum):
${Object.entries(RECONNECT_DELAYS)
  .map(([name, text]) => `    - ${TITLES[name]}: ${text}.`)
  .join('\n')}
  - Not in the figures: the time from the cut to the client's new connection at the proxy
    (median, max over all RTTs; this process is busy making the edits then):
    ${SYSTEMS.map(
      (name) => `${TITLES[name]} ${format(reconnects[name].median)} ms (${format(reconnects[name].max)})`,
    ).join(', ')}. ${
      SYSTEMS.every((name) => reconnects[name].waiting === reconnects[name].runs)
        ? 'Every client was waiting at the release'
        : `Clients waiting at the release: ${SYSTEMS.map(
            (name) => `${TITLES[name]} ${reconnects[name].waiting} of ${reconnects[name].runs} runs`,
          ).join(', ')} (a run without counts the rest of its wait)`
    }, ${
      SYSTEMS.every((name) => reconnects[name].oneConnection === reconnects[name].runs)
        ? 'each with one new connection'
        : `with one new connection in ${SYSTEMS.map((name) => `${reconnects[name].oneConnection} (${TITLES[name]})`).join(', ')} of ${RUNS * RTTS.length}`
    }.
- **Round trips**: (median at 100 ms − median at 0 ms) / 100 ms, TCP set-up included.
- xsync sessions seen: first login ${logins.login?.map((text) => `\`${text}\``).join(', ')}; reconnect
  ${logins.reconnect?.map((text) => `\`${text}\``).join(', ')}; dropped link ${logins.drop?.map((text) => `\`${text}\``).join(', ')}
  (mechanism: exchanges of the login, and its round trips as \`connection.login\` counts them, TCP
  not included).

${table}

| target | measured | |
| --- | --- | --- |
${targets}

${END}
`;
if (!quick) {
  // A section of docs/benchmarks.md of its own, replaced on each run (compare.mjs rewrites the
  // file; npm run bench runs this suite after it).
  const file = new URL('../../docs/benchmarks.md', import.meta.url);
  let document;
  try {
    document = readFileSync(file, 'utf8');
  } catch {
    document = '# Benchmarks\n';
  }
  const at = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  document =
    at >= 0 && end > at
      ? `${document.slice(0, at)}${section}${document.slice(end + END.length).replace(/^\n+/, '\n')}`
      : `${document.trimEnd()}\n\n${section}`;
  const options = { ...(await prettier.resolveConfig(file)), parser: 'markdown' };
  writeFileSync(file, await prettier.format(document, options));
} else {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/rtt-quick.md', section);
}
console.log(`\n${seconds} s`);
