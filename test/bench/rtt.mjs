#!/usr/bin/env node
// Login and reconnect over a slow link: xsync beside y-websocket and Hocuspocus at emulated
// round-trip times of 0, 20 and 100 ms, in milliseconds and in round trips, on three paths
// (rtt/paths.mjs): first login, reconnect, and a dropped link within the resumption window.
// The measured client reaches its server through delayProxy.mjs; all else uses loopback.
// Round trips = (median at 100 ms − median at 0 ms) / 100. Then one untimed xsync reconnect
// at 100 ms is traced at the proxy (rtt/trace.mjs). Figures go to test-results/bench.json and
// a section of docs/benchmarks.md (rtt/report.mjs).
// Usage: node test/bench/rtt.mjs [--quick] [--trace-only] [--traces=N]
import { performance } from 'node:perf_hooks';
import { startDelayProxy } from './delayProxy.mjs';
import { median, record } from './results.mjs';
import { FAST_MECHANISM, RECONNECT_DELAYS, SYSTEMS } from './rtt/clients.mjs';
import { EDITS, PATHS, dropOnce, dropRoom, firstLogin, loginRoom, reconnectOnce, reconnectRoom } from './rtt/paths.mjs';
import { renderSection, renderTable, writeSection } from './rtt/report.mjs';
import { printTrace, traceReconnects } from './rtt/trace.mjs';
import { startSystem, versionOf } from './systems.mjs';

const quick = process.argv.includes('--quick');
// y-websocket adds a process 'exit' listener per provider, and this suite keeps a dozen.
process.setMaxListeners(32);
const traceOnly = process.argv.includes('--trace-only');
/** `--traces=N`: trace N reconnects at 100 ms instead of one (after the runs, or alone with --trace-only). */
const TRACES = Number(process.argv.find((arg) => arg.startsWith('--traces='))?.slice('--traces='.length) ?? 1);
const RUNS = quick ? 3 : 5;
const RTTS = [0, 20, 100];

/** Median, min and max of the runs' times; failed if one did not converge or logged in otherwise than expected. */
function summarize(results) {
  const values = results.map((result) => result.ms).sort((a, b) => a - b);
  return {
    median: median(values),
    min: values[0],
    max: values.at(-1),
    runs: values.length,
    failed: results.some(
      (result) => result.converged === false || result.unexpectedMechanism || result.unexpectedLogin,
    ),
  };
}

/** Dropped link: when the client's new connection reached the proxy after the cut, and whether in time. */
function dropReconnects(dropRuns) {
  const delays = dropRuns.map((result) => result.reconnectedAfter ?? Infinity).sort((a, b) => a - b);
  return {
    median: median(delays),
    max: delays.at(-1),
    waiting: dropRuns.filter((result) => result.waitingAtRelease).length,
    oneConnection: dropRuns.filter((result) => result.connections === 1).length,
    runs: dropRuns.length,
  };
}

/** An xsync session as `connection.login` describes it. */
const describeLogin = (result) =>
  result.login
    ? `${result.login.mechanism}${result.login.resumed ? ', resumed' : ''}: ` +
      `${result.login.exchanges.join(', ')} (${result.login.roundTrips})` +
      (result.login.withLogin ? `, ${result.login.withLogin} stanzas with the login` : '')
    : '';

/** The rooms of the three paths, per RTT; each dropped-link client gets a proxy of its own. */
async function openRooms(system, target, proxies, rooms) {
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
  return { loginState, reconnectStates, dropStates };
}

/** A warm-up, then RUNS runs of each path at each RTT: RTT → path → results. */
async function measure(system, proxies, { loginState, reconnectStates, dropStates }) {
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
  return runs;
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
  const trace = () => traceReconnects(system, proxies.get(100), TRACES, (next) => (tap = next));
  try {
    for (const rttMs of RTTS) {
      proxies.set(rttMs, await startDelayProxy({ target, rttMs, tap: (...args) => tap?.(...args) }));
    }
    if (traceOnly) {
      traces = await trace();
      continue;
    }
    const runs = await measure(system, proxies, await openRooms(system, target, proxies, rooms));
    const dropRuns = RTTS.flatMap((rttMs) => runs[rttMs].drop);
    reconnects[name] = dropReconnects(dropRuns);
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
      for (const path of Object.keys(PATHS)) {
        const { median, min, max, failed } = results[name][rttMs][path];
        console.log(
          `${name.padEnd(12)} ${path.padEnd(9)} at ${String(rttMs).padStart(3)} ms RTT: ${median} ms (min ${min}, max ${max})${failed ? ' FAILED' : ''}`,
        );
      }
    }
    if (name === 'xsync') {
      for (const path of Object.keys(PATHS)) {
        const seen = new Set(RTTS.flatMap((rttMs) => runs[rttMs][path].map(describeLogin)));
        logins[path] = [...seen];
        console.log(`xsync ${path} sessions: ${[...seen].join(' | ')}`);
      }
      traces = await trace();
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

for (const trace of traces) printTrace(trace);
if (traceOnly) process.exit(0);

const seconds = Math.round((performance.now() - started) / 1000);
const { table, targets, roundTrips } = renderTable(results, RTTS);
console.log(`\n${table}\n\n| target | measured | |\n| --- | --- | --- |\n${targets}`);

record('rtt', {
  quick,
  runs: RUNS,
  rtts: RTTS,
  edits: EDITS,
  versions,
  results,
  roundTrips,
  logins,
  dropReconnects: reconnects,
  reconnectDelays: RECONNECT_DELAYS,
});
await writeSection(
  renderSection({ runs: RUNS, rtts: RTTS, seconds, versions, reconnects, logins, table, targets }),
  quick,
);
console.log(`\n${seconds} s`);
