// The three paths rtt.mjs measures, each with a room set up beforehand and timed once per
// call. The measured client goes through a delay proxy; the writer, and the observer that
// confirms the server holds the edits, use the direct link.
//
// - first login: a fresh client (xsync: a new account, registered before the clock starts,
//   so it logs in with SCRAM), timed until its document equals a room's 100-edit document;
// - reconnect: a client disconnects (xsync: closes its session), misses 100 edits, and is
//   timed from reconnecting until it holds them (xsync: a new session with its FAST token);
// - dropped link: a client that reconnects on its own has its connection reset at the
//   proxy, which holds new connections while 100 edits are made; timed from the proxy's
//   release until it holds them (xsync: the stream resumed, XEP-0198, inside FAST SASL2).
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { edit, random } from '../edits.mjs';
import { whenDoc } from '../systems.mjs';
import { accountFor, clientOf, proxied, until } from './clients.mjs';

/** The paths, as the table names them. */
export const PATHS = {
  login: 'first login to a synced 100-edit document',
  reconnect: 'reconnect to caught up, 100 missed edits',
  drop: 'dropped link, within the resumption window, 100 missed edits',
};
export const EDITS = 100;
const SEED = 20261122;
/** Dropped link: how long the held proxy waits for the client's new connection before releasing anyway. */
export const RECONNECT_WAIT_MS = 2000;

const round = (value) => Math.round(value * 10) / 10;
const stateOf = (doc) => Y.encodeStateVector(doc).join();
const textOf = (doc) => doc.getText('t').toString();

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
export async function loginRoom(system) {
  const room = newRoom('login');
  const writer = await system.client(room);
  const target = await writeEdits(system, room, writer, EDITS, random(SEED));
  return { room, writer, target };
}

/** First login of a fresh client through `proxy`, timed until its document equals the room's. */
export async function firstLogin(system, proxy, { room, writer, target }) {
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
export async function reconnectRoom(system, proxy) {
  const room = newRoom(`reconnect-${proxy.rttMs}`);
  await system.prepare(room);
  const writer = await system.client(room);
  const away = await clientOf(proxied(system.endpoint, proxy), room, await accountFor(system.endpoint));
  return { room, writer, away, rng: random(SEED + proxy.rttMs) };
}

/** The away client misses EDITS edits, then is timed from reconnecting to holding them. */
export async function reconnectOnce(system, { room, writer, away, rng }, onStart) {
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
export async function dropRoom(system, proxy) {
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
export async function dropOnce(system, { room, writer, away, proxy, rng }) {
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
