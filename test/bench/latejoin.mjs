#!/usr/bin/env node
// Late join into documents of 1k / 10k / 100k edits, side by side in one run:
//   xsync with xsync-bot (one catch-up exchange), xsync by archive paging alone (MAM), and
//   y-websocket's reference server on the same machine. Each edit is its own message in every system.
// Also the bot's memory per channel and its replay rate, measured by a second bot that starts
// after the edits were written.
// Usage: node --expose-gc test/bench/latejoin.mjs [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Bot } from '@xsync/bot';
import { Room, Connection, yjsUpdate } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { startEjabberd } from '@xsync/servers';
import { pino } from 'pino';
import * as Y from 'yjs';
import { lateJoin, startYWebsocketServer } from './baselines/yWebsocket.mjs';
import { record } from './results.mjs';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [1000, 10_000] : [1000, 10_000, 100_000];
const RUNS = 3;
const gc = () => {
  // Twice: the first pass may leave objects that only the second finds unreachable.
  globalThis.gc?.();
  globalThis.gc?.();
};

/** The edit trace every system gets: one-character inserts at the end, each its own update. */
function trace(count) {
  const doc = new Y.Doc();
  const updates = [];
  doc.on('update', (update) => updates.push(update));
  const text = doc.getText('t');
  for (let i = 0; i < count; i++) text.insert(i, String.fromCharCode(97 + (i % 26)));
  return { updates, text: text.toString() };
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 10) / 10;
  return { median: round(sorted[Math.floor(sorted.length / 2)]), min: round(sorted[0]), max: round(sorted.at(-1)) };
};

const dataDir = await mkdtemp(join(tmpdir(), 'xsync-bench-latejoin-'));
const server = await startEjabberd();
const yws = await startYWebsocketServer();
const closers = [];
try {
  const botAccount = await server.createAccount('bench-bot');
  const botJid = `${botAccount.username}@${server.domain}`;
  const botOptions = { service: server.tcpUrl, domain: server.domain, ...botAccount, logger: pino({ level: 'warn' }) };
  const bot = await Bot.start({ ...botOptions, channels: [], dataDir });
  closers.push(() => bot.stop());
  const open = async (account) => {
    account ??= await server.createAccount();
    return Connection.open({ service: server.tcpUrl, domain: server.domain, ...account, reconnect: false });
  };

  /** Publishes every update as its own event, 50 in flight. */
  const publishAll = async (jid, updates) => {
    const connection = await open();
    const channel = new Room(connection, { jid });
    await channel.join();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      [...Array(50)].map(async () => {
        while (next < updates.length) await channel.publish(yjsUpdate, updates[next++], { body: false });
      }),
    );
    const ms = performance.now() - started;
    channel.destroy();
    await connection.close();
    return ms;
  };

  /**
   * From a new connection to a synced document (login, join, catch-up), and the part after
   * login (join and catch-up, as for a second document on an open session).
   */
  const xsyncLateJoin = async (jid, expected, bots) => {
    const account = await server.createAccount();
    const started = performance.now();
    const connection = await open(account);
    const loggedIn = performance.now();
    const provider = new XmppProvider(new Room(connection, { jid }), new Y.Doc(), { connect: false, bots });
    let result;
    provider.on('catch-up', (r) => (result = r));
    await provider.connect();
    const ms = performance.now() - started;
    const afterLoginMs = performance.now() - loggedIn;
    if (provider.doc.getText('t').toString() !== expected) throw new Error('late joiner differs from the writer');
    if (result.source !== (bots.length > 0 ? 'bot' : 'archive')) throw new Error(`caught up from ${result.source}`);
    provider.destroy();
    await connection.close();
    return { ms, afterLoginMs, requests: result.requests };
  };

  const results = {};
  for (const size of SIZES) {
    const { updates, text } = trace(size);
    const jid = await server.createChannel(`bench-late-${size}`);
    await bot.follow(jid);
    const writeMs = await publishAll(jid, updates);
    // Late joiners come after the burst: wait until the bot counts every written event as
    // settled, or its answers include a re-read of the last second's tail ([CU3]).
    const follower = bot.followers.get(jid);
    const newest = (await follower.room.history({ last: 1 })).last;
    while (follower.complete !== newest) await new Promise((resolve) => setTimeout(resolve, 100));
    const viaBot = [];
    const viaBotAfterLogin = [];
    const viaArchive = [];
    const viaYws = [];
    let requests;
    for (let run = 0; run < RUNS; run++) {
      const fromBot = await xsyncLateJoin(jid, text, [botJid]);
      viaBot.push(fromBot.ms);
      viaBotAfterLogin.push(fromBot.afterLoginMs);
      const fromArchive = await xsyncLateJoin(jid, text, []);
      viaArchive.push(fromArchive.ms);
      requests = { bot: fromBot.requests, archivePages: fromArchive.requests };
      viaYws.push((await lateJoin({ url: yws.url, room: `late-${size}-${run}`, updates })).ms);
    }
    // Bots that follow the channel after the edits: the replay rate, and the heap one channel
    // costs, averaged over three bots already connected (heap deltas of one are mostly noise).
    const replayers = [];
    for (let i = 0; i < 4; i++)
      replayers.push(await Bot.start({ ...botOptions, resource: `replayer-${i}`, channels: [] }));
    const started = performance.now();
    await replayers[0].follow(jid);
    const replayMs = performance.now() - started;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (const replayer of replayers.slice(1)) await replayer.follow(jid);
    gc();
    const heapPerChannel = (process.memoryUsage().heapUsed - heapBefore) / 3;
    const snapshot = replayers[0].followers.get(jid).state.snapshot();
    for (const replayer of replayers) await replayer.stop();

    const withBot = summary(viaBot);
    const archive = summary(viaArchive);
    const yWebsocket = summary(viaYws);
    results[size] = {
      xsyncBotMs: withBot,
      xsyncBotAfterLoginMs: summary(viaBotAfterLogin),
      xsyncArchiveMs: archive,
      yWebsocketMs: yWebsocket,
      ratioBotToYWebsocket: Math.round((withBot.median / yWebsocket.median) * 10) / 10,
      ratioArchiveToYWebsocket: Math.round((archive.median / yWebsocket.median) * 10) / 10,
      requests,
      writeMs: Math.round(writeMs),
      botReplayMs: Math.round(replayMs),
      botReplayEventsPerSecond: Math.round(size / (replayMs / 1000)),
      botHeapPerChannelKiB: Math.round(heapPerChannel / 1024),
      snapshotKiB: Math.round((snapshot ?? []).reduce((bytes, entry) => bytes + entry.bytes.length, 0) / 1024),
    };
    console.log(`late join into ${size} edits:`, JSON.stringify(results[size]));
  }
  console.table(
    Object.fromEntries(
      Object.entries(results).map(([size, r]) => [
        `${size} edits`,
        {
          'xsync + bot ms': r.xsyncBotMs.median,
          'of which after login': r.xsyncBotAfterLoginMs.median,
          'xsync archive ms': r.xsyncArchiveMs.median,
          'y-websocket ms': r.yWebsocketMs.median,
          'bot / y-ws': r.ratioBotToYWebsocket,
          'archive / y-ws': r.ratioArchiveToYWebsocket,
          'bot heap KiB': r.botHeapPerChannelKiB,
        },
      ]),
    ),
  );
  record('lateJoin', { runs: RUNS, sizes: results });
} finally {
  for (const close of closers.reverse()) await close();
  await yws.stop();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
