#!/usr/bin/env node
// Keystroke-to-remote-render latency with 10 editors typing at human speed (8 keys/s each),
// side by side in one run: <xmpp-editor> over the local ejabberd, and CodeMirror with the same
// y-codemirror.next binding over y-websocket's reference server. Each editor has its own
// Chromium page (test/bench/page), as each person has their own; times are wall-clock, so they
// compare between pages. Every run ends by checking that all editors hold the same text.
// Usage: node test/bench/editor.mjs [--quick]
/* global window, document -- page.evaluate callbacks run in the page */
import { startEjabberd } from '@xsync/servers';
import { startYWebsocketServer } from './baselines/yWebsocket.mjs';
import { launchChromium, servePages } from './browser.mjs';
import { record } from './results.mjs';

const quick = process.argv.includes('--quick');
const EDITORS = Number(process.env.BENCH_EDITORS ?? 10);
const KEYS_PER_SECOND = 8;
const SECONDS = quick ? 4 : 10;
const RUNS = quick ? 1 : 3;

const percentile = (sorted, q) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;

const server = await startEjabberd();
const yws = await startYWebsocketServer();
const pages = await servePages(new URL('./page/', import.meta.url));
const browser = await launchChromium();
try {
  const url = pages.url;
  const keystrokes = KEYS_PER_SECOND * SECONDS;
  /** One page per editor; returns the latency of every keystroke at every other editor. */
  const measure = async (editors) => {
    const pages = [];
    for (const editor of editors) {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      await page.evaluate((config) => window.bench.open(config), editor);
      pages.push(page);
    }
    await Promise.all(
      pages.map((page, i) =>
        page.evaluate(([n, first]) => window.bench.prepareLines(n, first), [pages.length, i === 0]),
      ),
    );
    const startAt = Date.now() + 500;
    await Promise.all(
      pages.map((page, i) =>
        page.evaluate(
          ([line, count, rate, at]) => window.bench.typeLine(line, count, rate, at),
          [i, keystrokes, KEYS_PER_SECOND, startAt + (i * 1000) / KEYS_PER_SECOND / pages.length],
        ),
      ),
    );
    await Promise.all(
      pages.map((page) => page.evaluate(([n, k]) => window.bench.waitForAll(n, k), [pages.length, keystrokes])),
    );
    const results = await Promise.all(pages.map((page) => page.evaluate(() => window.bench.results())));
    for (const page of pages) await page.close();
    if (!results.every((result) => result.text === results[0].text))
      throw new Error('editors ended with different texts');
    const latencies = [];
    results.forEach((receiver, j) =>
      results.forEach((sender, i) => {
        if (i === j) return;
        sender.sentAt.forEach((sent, k) => {
          const arrived = receiver.arrivals[i][k];
          if (arrived === undefined) throw new Error(`keystroke ${k} of editor ${i} never showed at editor ${j}`);
          latencies.push(arrived - sent);
        });
      }),
    );
    const sorted = latencies.sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      samples: sorted.length,
    };
  };
  const xsyncRuns = [];
  const ywsRuns = [];
  for (let run = 0; run < RUNS; run++) {
    const channel = await server.createChannel(`bench-editor-${run}`);
    const editors = [];
    for (let i = 0; i < EDITORS; i++) {
      const account = await server.createAccount();
      editors.push({
        xsync: {
          service: server.wsUrl,
          jid: `${account.username}@${server.domain}`,
          password: account.password,
          room: channel,
        },
      });
    }
    xsyncRuns.push(await measure(editors));
    ywsRuns.push(
      await measure([...Array(EDITORS)].map(() => ({ yws: { url: yws.url, room: `bench-editor-${run}` } }))),
    );
    console.log(`run ${run + 1}: xsync`, xsyncRuns.at(-1), 'y-websocket', ywsRuns.at(-1));
  }
  const median = (runs, key) => [...runs.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const summary = (runs) => ({ p50: median(runs, 'p50'), p95: median(runs, 'p95'), p99: median(runs, 'p99') });
  const xsync = summary(xsyncRuns);
  const yWebsocket = summary(ywsRuns);
  const ratio = (key) => Math.round((xsync[key] / yWebsocket[key]) * 10) / 10;
  console.table({
    'xsync <xmpp-editor>': xsync,
    'y-websocket': yWebsocket,
    'ratio xsync / y-websocket': { p50: ratio('p50'), p95: ratio('p95'), p99: ratio('p99') },
  });
  record('editorLatency', {
    editors: EDITORS,
    keysPerSecond: KEYS_PER_SECOND,
    seconds: SECONDS,
    runs: RUNS,
    xsyncMs: xsync,
    yWebsocketMs: yWebsocket,
    ratio: { p50: ratio('p50'), p95: ratio('p95'), p99: ratio('p99') },
    perRun: { xsync: xsyncRuns, yWebsocket: ywsRuns },
  });
} finally {
  await browser.close();
  await pages.close();
  await yws.stop();
  await server.stop();
}
