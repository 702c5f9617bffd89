// Baseline for the benchmarks: y-websocket's reference server (@y/websocket-server) and its client
// (y-websocket's WebsocketProvider), both in this process, on loopback.
//   startYWebsocketServer():             the reference server on 127.0.0.1, on a free port
//   lateJoin({ url, room, updates }):    a writer sends `updates` one message each, then a new client joins and
//                                        is timed from construction until its doc equals the writer's;
//                                        resolves to { ms, bytesReceived, writeMs }
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import WebSocket, { WebSocketServer } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/**
 * Servers started by startYWebsocketServer, by url, so that lateJoin can look into the server's docs.
 * @type {Map<string, { docName: (room: string) => string, closed: EventEmitter }>}
 */
const servers = new Map();
let serverCount = 0;

/**
 * Starts y-websocket's reference server in this process on 127.0.0.1 and a free port: the same wiring as
 * @y/websocket-server's `server.js` (node:http + ws upgrade + setupWSConnection), without persistence.
 * The utils module keeps all docs in one process-wide map, so each server prefixes its doc names to keep
 * rooms of concurrently running servers apart; stop() closes every client socket, the server, and
 * destroys the server's docs (their awareness timers would keep the process alive).
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 */
export async function startYWebsocketServer() {
  const prefix = `ywsbaseline-${process.pid}-${++serverCount}/`;
  const docName = (room) => prefix + room;
  const docNames = new Set();
  const closed = new EventEmitter();
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end('okay');
  });
  wss.on('connection', (ws, request) => {
    // the reference server's doc name: the url path without its leading slash and query
    const name = docName((request.url ?? '').slice(1).split('?')[0]);
    docNames.add(name);
    setupWSConnection(ws, request, { docName: name });
    // registered after setupWSConnection's own 'close' listener, so the server has dropped the connection
    ws.on('close', () => closed.emit('close', name));
  });
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  const url = `ws://127.0.0.1:${port}`;
  servers.set(url, { docName, closed });
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      servers.delete(url);
      const serverClosed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all(
        [...wss.clients].map(
          (ws) =>
            new Promise((resolve) => {
              ws.once('close', resolve);
              ws.terminate();
            }),
        ),
      );
      await new Promise((resolve) => wss.close(() => resolve()));
      await serverClosed;
      for (const name of docNames) {
        docs.get(name)?.destroy();
        docs.delete(name);
      }
    })());
  return { url, port, stop };
}

/**
 * Writes `updates` (Yjs v1 updates that together form a document) through a y-websocket client, one WebSocket
 * message per update like real edits, waits until the server holds all of them, disconnects the writer, and
 * then times a new client from construction of its WebsocketProvider until its doc has the writer's state.
 * Use a fresh room per call (content already in the room is synced to the writer and counts as part of the doc).
 * For a server from startYWebsocketServer the server's own doc is watched; for any other url a second, reading
 * client is (its doc receives what the server has applied).
 * @param {{ url: string, room: string, updates: Uint8Array[], timeoutMs?: number }} options
 * @returns {Promise<{ ms: number, bytesReceived: number, writeMs: number }>} ms: the late join; bytesReceived:
 *   WebSocket message payload bytes the late client received until then; writeMs: from the first update sent
 *   until the server held all of them
 */
export async function lateJoin({ url, room, updates, timeoutMs = 300_000 }) {
  const local = servers.get(url.replace(/\/+$/, ''));
  const options = { WebSocketPolyfill: WebSocket, disableBc: true };
  const connsBefore = local ? (docs.get(local.docName(room))?.conns.size ?? 0) : 0;

  const writerDoc = new Y.Doc();
  const writer = new WebsocketProvider(url, room, writerDoc, options);
  const readerDoc = local ? null : new Y.Doc();
  const reader = readerDoc && new WebsocketProvider(url, room, readerDoc, options);
  let expected, expectedSnapshot, writeMs;
  try {
    await until('the writer to connect', timeoutMs, [[writer, 'sync']], () => writer.synced);
    if (reader) await until('the reader to connect', timeoutMs, [[reader, 'sync']], () => reader.synced);
    const started = performance.now();
    for (const update of updates) Y.applyUpdate(writerDoc, update);
    expected = Y.encodeStateVector(writerDoc);
    expectedSnapshot = Y.snapshot(writerDoc);
    if (local) {
      const serverDoc = docs.get(local.docName(room));
      if (!serverDoc) throw new Error(`y-websocket baseline: the server has no doc for room ${room}`);
      await until('the server to hold all updates', timeoutMs, [[serverDoc, 'update']], () =>
        sameBytes(Y.encodeStateVector(serverDoc), expected),
      );
    } else {
      // the server relays each update to the reader after applying it
      await until('the server to hold all updates', timeoutMs, [[readerDoc, 'update']], () =>
        sameBytes(Y.encodeStateVector(readerDoc), expected),
      );
    }
    writeMs = performance.now() - started;
  } finally {
    await Promise.all([closeProvider(writer, writerDoc), reader && closeProvider(reader, readerDoc)]);
  }
  if (local) {
    // let the server drop the writer's connection (and its awareness state) before the late client joins
    const serverDoc = docs.get(local.docName(room));
    await until(
      'the server to drop the writer',
      timeoutMs,
      [[local.closed, 'close']],
      () => (serverDoc?.conns.size ?? 0) <= connsBefore,
    );
  }

  let bytes = 0;
  const CountingWebSocket = class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('message', (data) => (bytes += data.byteLength)); // an ArrayBuffer: the provider sets binaryType
    }
  };
  const lateDoc = new Y.Doc();
  let ms, bytesReceived;
  const started = performance.now();
  const late = new WebsocketProvider(url, room, lateDoc, { ...options, WebSocketPolyfill: CountingWebSocket });
  try {
    await until(
      'the late client to catch up',
      timeoutMs,
      [
        [late, 'sync'],
        [lateDoc, 'update'],
      ],
      () => {
        if (!late.synced || !sameBytes(Y.encodeStateVector(lateDoc), expected)) return false;
        ms = performance.now() - started;
        bytesReceived = bytes;
        return true;
      },
    );
    if (!Y.equalSnapshots(Y.snapshot(lateDoc), expectedSnapshot)) {
      throw new Error('y-websocket baseline: the late client has the state vector but not the deletions');
    }
  } finally {
    await closeProvider(late, lateDoc);
  }
  return { ms, bytesReceived, writeMs };
}

/**
 * Resolves once `check()` is true, checking now and whenever one of `sources` ([emitter, event]) fires.
 * @param {string} what
 * @param {number} timeoutMs
 * @param {Array<[{ on: Function, off: Function }, string]>} sources
 * @param {() => boolean} check
 */
function until(what, timeoutMs, sources, check) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const [emitter, event] of sources) emitter.off(event, onEvent);
      if (error) reject(error);
      else resolve();
    };
    const onEvent = () => {
      try {
        if (check()) settle();
      } catch (error) {
        settle(error);
      }
    };
    const timer = setTimeout(
      () => settle(new Error(`y-websocket baseline: timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
    for (const [emitter, event] of sources) emitter.on(event, onEvent);
    onEvent();
  });
}

/** Destroys a provider and its doc, and waits until its socket has closed. */
async function closeProvider(provider, doc) {
  const ws = provider.ws;
  const socketClosed =
    ws && ws.readyState !== WebSocket.CLOSED ? new Promise((resolve) => ws.once('close', resolve)) : null;
  provider.destroy();
  doc.destroy(); // also destroys the provider's awareness and its timer
  await socketClosed;
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
