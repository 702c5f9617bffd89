// Clients of the three systems, made from a system's endpoint (plain data, so any process
// can connect: the harness itself or a client host, see hosts.mjs). Every client has the
// same shape:
//
//   const client = await connectClient(system.endpoint, 'room-1');   // connected and synced
//   client.doc; client.connectMs; client.wire(); client.disconnect(); client.reconnect(); client.close();
import { performance } from 'node:perf_hooks';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Room, Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { registerAccount, registerProsodyAccount } from '@xsync/servers';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/**
 * A client of `endpoint` in `room` (for xsync, the room's channel must exist with the bot
 * in it: the system's `prepare` does that).
 */
export function connectClient(endpoint, room) {
  if (endpoint.system === 'y-websocket') return yWebsocketClient(endpoint.url, room);
  if (endpoint.system === 'hocuspocus') return hocuspocusClient(endpoint.url, room);
  return xsyncClient(endpoint, room);
}

/** A WebSocket (the `ws` package) that lists its instances, so a client can count its bytes. */
function countingWebSocket(sockets) {
  return class CountingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  };
}

/** Bytes on the wire (TCP payload: WebSocket frames or XMPP XML) of a client's sockets. */
function socketBytes(sockets) {
  let sent = 0;
  let received = 0;
  for (const socket of sockets) {
    sent += socket.bytesWritten ?? socket._socket?.bytesWritten ?? 0;
    received += socket.bytesRead ?? socket._socket?.bytesRead ?? 0;
  }
  return { sent, received };
}

/** A synced client of a WebSocket system: both providers have the same few methods. */
function webSocketClient(doc, provider, sockets, started) {
  return {
    doc,
    connectMs: performance.now() - started,
    wire: () => socketBytes(sockets),
    disconnect: () => provider.disconnect(),
    reconnect: () => provider.connect(),
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

async function yWebsocketClient(url, room) {
  const sockets = [];
  const doc = new Y.Doc();
  const started = performance.now();
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: countingWebSocket(sockets),
    disableBc: true,
  });
  await new Promise((resolve) => provider.once('sync', resolve));
  return webSocketClient(doc, provider, sockets, started);
}

async function hocuspocusClient(url, room) {
  const sockets = [];
  const doc = new Y.Doc();
  const started = performance.now();
  let provider;
  await new Promise((resolve) => {
    provider = new HocuspocusProvider({
      url,
      name: room,
      document: doc,
      WebSocketPolyfill: countingWebSocket(sockets),
      onSynced: resolve,
    });
  });
  return webSocketClient(doc, provider, sockets, started);
}

/** A new account on the xsync system's server: ejabberd's HTTP API, or Prosody's admin shell. */
export function createAccount(endpoint, username) {
  return endpoint.apiUrl
    ? registerAccount(endpoint.apiUrl, endpoint.domain, username)
    : registerProsodyAccount(endpoint.adminSocket, endpoint.domain, username);
}

/** Opens an XMPP session as `account` (a new one when omitted). */
export async function openConnection(endpoint, account) {
  return Connection.open({
    service: endpoint.tcpUrl,
    domain: endpoint.domain,
    ...(account ?? (await createAccount(endpoint))),
    reconnect: false,
  });
}

/** Its own account and connection, with the bot trusted for catch-up. */
async function xsyncClient(endpoint, room) {
  const jid = `${room}@${endpoint.roomService}`;
  const account = await createAccount(endpoint);
  const doc = new Y.Doc();
  let bytes = { sent: 0, received: 0 };
  let connection;
  let provider;
  const connect = async () => {
    connection = await openConnection(endpoint, account);
    provider = new XmppProvider(new Room(connection, { jid }), doc, {
      bots: [endpoint.botJid],
      connect: false,
      ...providerTuning(),
    });
    await provider.connect();
  };
  const drop = async () => {
    const { sent, received } = socketBytes([connection.xmpp.socket]);
    bytes = { sent: bytes.sent + sent, received: bytes.received + received };
    provider.destroy();
    provider.room.destroy();
    await connection.close();
    connection = undefined;
  };
  const started = performance.now();
  await connect();
  return {
    doc,
    connectMs: performance.now() - started,
    wire: () => {
      const now = connection ? socketBytes([connection.xmpp.socket]) : { sent: 0, received: 0 };
      return { sent: bytes.sent + now.sent, received: bytes.received + now.received };
    },
    // Every local edit committed to the archive and acknowledged.
    settled: () =>
      provider.unsyncedChanges === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            const check = (count) => {
              if (count > 0) return;
              provider.off('unsynced', check);
              resolve();
            };
            provider.on('unsynced', check);
          }),
    // A reconnect is a new session: login, join, catch-up from the bot.
    disconnect: () => drop(),
    reconnect: () => connect(),
    close: () => (connection ? drop() : undefined),
  };
}

/**
 * Provider options from XSYNC_BENCH_PROVIDER (JSON), to measure other settings than the
 * defaults, e.g. `XSYNC_BENCH_PROVIDER='{"commitInterval":1000}'`.
 */
function providerTuning() {
  return JSON.parse(process.env.XSYNC_BENCH_PROVIDER ?? '{}');
}
