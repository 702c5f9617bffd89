#!/usr/bin/env node
// Login time on loopback: stock @xmpp/client (SCRAM-SHA-1 in JavaScript) beside @xsync/core's
// Connection (WebCrypto PBKDF2), cold and with the salted password cached, side by side in one run.
// Usage: node test/bench/login.mjs [--quick]
import { performance } from 'node:perf_hooks';
import { client } from '@xmpp/client';
import { Connection, clearScramCache } from '@xsync/core';
import { startEjabberd } from '@xsync/servers';
import { median, record } from './results.mjs';

const runs = process.argv.includes('--quick') ? 5 : 15;
const server = await startEjabberd();
try {
  const account = await server.createAccount('login-bench');
  const options = { service: server.tcpUrl, domain: server.domain, ...account };
  const time = async (login) => {
    const started = performance.now();
    const close = await login();
    const elapsed = performance.now() - started;
    await close();
    return elapsed;
  };
  const stock = async () => {
    const xmpp = client(options);
    xmpp.reconnect.stop();
    await xmpp.start();
    return () => xmpp.stop();
  };
  const xsync = async () => {
    const connection = await Connection.open({ ...options, reconnect: false });
    return () => connection.close();
  };
  const samples = { stock: [], cold: [], cached: [] };
  await time(stock); // warm-up
  for (let i = 0; i < runs; i++) {
    samples.stock.push(await time(stock));
    clearScramCache();
    samples.cold.push(await time(xsync));
    samples.cached.push(await time(xsync));
  }
  const result = {
    runs,
    stockMs: median(samples.stock),
    xsyncColdMs: median(samples.cold),
    xsyncCachedMs: median(samples.cached),
  };
  result.cachedVsStock = Math.round((result.xsyncCachedMs / result.stockMs) * 100) / 100;
  console.table({
    'login, stock @xmpp/client (ms, median)': result.stockMs,
    'login, xsync cold (ms, median)': result.xsyncColdMs,
    'login, xsync cached salted password (ms, median)': result.xsyncCachedMs,
    'ratio cached / stock': result.cachedVsStock,
  });
  record('login', result);
} finally {
  await server.stop();
}
