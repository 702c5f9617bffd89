// The measured clients of rtt.mjs, one kind per system, as ../clients.mjs makes them but kept
// whole (the provider, and xsync's connection for its LoginInfo), with a disconnect that
// resolves once the old socket is gone, so a reconnect never races the close before it; and,
// when `recovering`, set to reconnect on their own at once after a lost connection.
import { performance } from 'node:perf_hooks';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Room, Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { createAccount } from '../clients.mjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { sleep } from '../edits.mjs';

/** The systems, in the order of the table's columns, and their titles. */
export const SYSTEMS = ['xsync', 'y-websocket', 'hocuspocus'];
export const TITLES = { xsync: 'xsync', 'y-websocket': 'y-websocket', hocuspocus: 'Hocuspocus' };
/** The mechanism of an xsync login with the FAST token kept from an earlier one. */
export const FAST_MECHANISM = 'HT-SHA-256-NONE';

/** An endpoint whose clients go through `proxy`. */
export function proxied(endpoint, proxy) {
  if (endpoint.tcpUrl) return { ...endpoint, tcpUrl: `xmpp://127.0.0.1:${proxy.port}` };
  return { ...endpoint, url: `ws://127.0.0.1:${proxy.port}` };
}

/** Resolves once `check()` holds, polling every 2 ms; throws after `timeoutMs`. */
export async function until(check, what, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what}: not in time`);
    await sleep(2);
  }
}

/**
 * xsync: Connection.start + XmppProvider with the bot trusted for catch-up, the provider
 * started while the connection logs in, so that its join and catch-up leave with a FAST
 * login (SES12). `recovering`: the connection reconnects on its own after a lost socket (the
 * default of Connection), at once (xmpp.js waits RECONNECT_DELAYS.xsync otherwise), resuming
 * the stream.
 */
async function xsyncClient(endpoint, room, account, { recovering = false } = {}) {
  const jid = `${room}@${endpoint.roomService}`;
  const doc = new Y.Doc();
  let connection;
  let provider;
  const connect = async () => {
    connection = Connection.start({
      service: endpoint.tcpUrl,
      domain: endpoint.domain,
      ...account,
      reconnect: recovering,
    });
    // @xmpp/reconnect's documented `delay` property: the wait after a lost socket.
    if (recovering) connection.xmpp.reconnect.delay = 0;
    provider = new XmppProvider(new Room(connection, { jid }), doc, { bots: [endpoint.botJid], connect: false });
    await Promise.all([connection.ready, provider.connect()]);
  };
  const drop = async () => {
    provider.destroy();
    provider.room.destroy();
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
export function clientOf(endpoint, room, account, options) {
  if (endpoint.system === 'y-websocket') return yWebsocketClient(endpoint, room, options);
  if (endpoint.system === 'hocuspocus') return hocuspocusClient(endpoint, room, options);
  return xsyncClient(endpoint, room, account, options);
}

/** What each recovering client is set to wait before reconnecting, and what it waits by default, for the doc. */
export const RECONNECT_DELAYS = {
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
export const accountFor = (endpoint) => (endpoint.tcpUrl ? createAccount(endpoint) : Promise.resolve(undefined));
