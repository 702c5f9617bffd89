#!/usr/bin/env node
// <xmpp-whiteboard> with 5,000 strokes on the board, in Chromium: frame times while panning,
// and while a remote stroke streams in at 60 points/s; then bytes on the wire per second of
// drawing with the pen (WebSocket frames, both directions).
// Usage: node test/bench/whiteboard.mjs [--quick]
/* global document, requestAnimationFrame -- page.evaluate callbacks run in the page */
import { Room, Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { startEjabberd } from '@xsync/servers';
import * as Y from 'yjs';
import { launchChromium, servePages } from './browser.mjs';
import { record } from './results.mjs';

const quick = process.argv.includes('--quick');
const STROKES = 5000;
const SECONDS = quick ? 2 : 5;

const server = await startEjabberd();
const pages = await servePages(new URL('../browser/page/', import.meta.url));
const browser = await launchChromium();
const closers = [];
try {
  const channel = await server.createChannel('bench-board');
  // A writer fills the board with 5,000 strokes of 30 points each, 250 per update.
  const connection = await Connection.open({
    service: server.tcpUrl,
    domain: server.domain,
    ...(await server.createAccount()),
  });
  closers.push(() => connection.close());
  const writer = new XmppProvider(new Room(connection, { jid: channel }), new Y.Doc(), {
    doc: 'whiteboard:board',
    connect: false,
  });
  closers.push(() => writer.destroy());
  await writer.connect();
  const shapes = writer.doc.getMap('shapes');
  for (let start = 0; start < STROKES; start += 250) {
    writer.doc.transact(() => {
      for (let i = start; i < start + 250; i++) {
        const map = new Y.Map();
        const points = [];
        for (let k = 0; k < 30; k++) points.push(k * 4, Math.sin(k / 3 + i) * 20, 0.5);
        for (const [key, value] of Object.entries({
          type: 'stroke',
          x: (i % 100) * 60,
          y: Math.floor(i / 100) * 50,
          z: i,
          color: '#1d1d1f',
          width: 2,
        }))
          map.set(key, value);
        map.set('points', Y.Array.from(points));
        shapes.set(`s${i}`, map);
      }
    });
  }
  await new Promise((resolve) =>
    writer.unsyncedChanges === 0 ? resolve() : writer.on('unsynced', (n) => n === 0 && resolve()),
  );

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let sentBytes = 0;
  let receivedBytes = 0;
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => (sentBytes += Buffer.byteLength(payload)));
    socket.on('framereceived', ({ payload }) => (receivedBytes += Buffer.byteLength(payload)));
  });
  await page.goto(`${pages.url}whiteboard.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const account = await server.createAccount();
  const started = Date.now();
  await page.evaluate(
    (attributes) => {
      const board = document.createElement('xmpp-whiteboard');
      for (const [key, value] of Object.entries(attributes)) board.setAttribute(key, value);
      board.style.cssText = 'width: 1200px; height: 720px';
      document.body.append(board);
    },
    { service: server.wsUrl, jid: `${account.username}@${server.domain}`, password: account.password, room: channel },
  );
  await page.waitForFunction(
    (n) => document.querySelector('xmpp-whiteboard')?.shadowRoot?.querySelectorAll('svg.layer > g > *').length === n,
    STROKES,
    { timeout: 120_000 },
  );
  const loadMs = Date.now() - started;

  /** Frame intervals in the page for `seconds`, running `perFrame` in each frame. */
  const frames = (seconds, perFrame) =>
    page.evaluate(
      ([seconds, source]) =>
        new Promise((resolve) => {
          const board = document.querySelector('xmpp-whiteboard');
          const work = new Function('board', source);
          const intervals = [];
          let last = performance.now();
          const end = last + seconds * 1000;
          const tick = (now) => {
            intervals.push(now - last);
            last = now;
            work(board);
            if (now < end) requestAnimationFrame(tick);
            else resolve(intervals);
          };
          requestAnimationFrame(tick);
        }),
      [seconds, perFrame],
    );
  const summary = (intervals) => {
    const sorted = [...intervals].sort((a, b) => a - b);
    const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
    return {
      frames: sorted.length,
      p50: at(0.5),
      p95: at(0.95),
      max: at(1),
      over20ms: sorted.filter((t) => t > 20).length,
    };
  };

  const idle = summary(await frames(1, ''));
  const panning = summary(await frames(SECONDS, 'board.panBy(3, 2);'));
  // A remote stroke streams in at 60 points/s while the page pans.
  const id = 'remote-stroke';
  writer.doc.transact(() => {
    const map = new Y.Map();
    for (const [key, value] of Object.entries({
      type: 'stroke',
      x: 100,
      y: 100,
      z: STROKES + 1,
      color: '#b3261e',
      width: 4,
    }))
      map.set(key, value);
    map.set('points', Y.Array.from([0, 0, 0.5]));
    shapes.set(id, map);
  });
  let k = 0;
  const streaming = setInterval(() => {
    k++;
    shapes
      .get(id)
      .get('points')
      .push([k * 3, Math.sin(k / 5) * 40, 0.5]);
  }, 1000 / 60);
  const whileStreaming = summary(await frames(SECONDS, 'board.panBy(1, 0);'));
  clearInterval(streaming);

  // Bytes per second of drawing: the pen moves across the board for SECONDS.
  await page.evaluate(() => (document.querySelector('xmpp-whiteboard').tool = 'pen'));
  const box = await page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox();
  [sentBytes, receivedBytes] = [0, 0];
  const moves = SECONDS * 60;
  await page.mouse.move(box.x + 100, box.y + 300);
  await page.mouse.down();
  const drawStart = Date.now();
  for (let i = 0; i < moves; i++) {
    await page.mouse.move(box.x + 100 + (i % 300) * 3, box.y + 300 + Math.sin(i / 10) * 100);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, drawStart + (i * 1000) / 60 - Date.now())));
  }
  await page.mouse.up();
  const drawSeconds = (Date.now() - drawStart) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const network = {
    sentBytesPerSecond: Math.round(sentBytes / drawSeconds),
    receivedBytesPerSecond: Math.round(receivedBytes / drawSeconds),
    pointerMovesPerSecond: Math.round(moves / drawSeconds),
  };
  const results = { strokes: STROKES, loadMs, idle, panning, whileStreaming, network };
  console.table({ idle, panning, 'panning while a remote stroke streams': whileStreaming });
  console.log(`board of ${STROKES} strokes loaded and drawn in ${loadMs} ms; drawing:`, network);
  record('whiteboard', results);
} finally {
  for (const close of closers.reverse()) await close();
  await browser.close();
  await pages.close();
  await server.stop();
}
