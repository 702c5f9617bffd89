#!/usr/bin/env node
// xsync beside y-websocket's reference server and Hocuspocus: the same workloads, seeds and
// checks for each, in one run on this machine. Prints one table with absolute figures and
// ratios, merges the figures into test-results/bench.json, and writes the table to
// docs/benchmarks.md (full runs) or test-results/benchmarks-quick.md (--quick).
// Usage: node test/bench/compare.mjs [--quick]
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as prettier from 'prettier';
import { record } from './results.mjs';
import { SYSTEM_NAMES, startSystem, versionOf } from './systems.mjs';
import { archiveRows, cost, lateJoin, login, paced, reconnect, throughput } from './workloads.mjs';
import { renderReport } from './report.mjs';

const quick = process.argv.includes('--quick');
/** `--systems a,b` runs only those; quick runs leave out the PostgreSQL variant. */
const only = process.argv
  .find((arg) => arg.startsWith('--systems='))
  ?.slice('--systems='.length)
  .split(',');
const systemNames = only ?? SYSTEM_NAMES.filter((name) => !(quick && name === 'xsync-postgresql'));
/** `--workloads a,b` runs only workloads whose key starts with one of these. */
const onlyWorkloads = process.argv
  .find((arg) => arg.startsWith('--workloads='))
  ?.slice('--workloads='.length)
  .split(',');
const RUNS = quick ? 1 : 3;
const SEED = 20261122;

/** name → { label, unit, better, run(system) }: each workload, as the table shows it. */
const WORKLOADS = [
  ...(quick ? [10] : [2, 10, 50]).map((receivers) => ({
    key: `throughput-${receivers}`,
    label: `edits/s delivered to ${receivers} clients, p99 ≤ 100 ms`,
    unit: 'edits/s',
    better: 'higher',
    run: (system) => throughput(system, { receivers, stepSeconds: quick ? 1 : 2, seed: SEED }),
    value: (result) => result.editsPerSecond,
  })),
  ...[
    { kind: 'type', hz: 10, what: 'typing at 10 Hz' },
    { kind: 'draw', hz: 60, what: 'drawing at 60 Hz' },
  ].flatMap(({ kind, hz, what }) => {
    const run = (system) => paced(system, { clients: 10, hz, kind, seconds: quick ? 3 : 10, seed: SEED });
    return ['p50', 'p95', 'p99'].map((percentile) => ({
      key: `${kind}-${percentile}`,
      label: `latency ${percentile}, 10 clients ${what}`,
      unit: 'ms',
      better: 'lower',
      run,
      shared: `${kind}-paced`,
      value: (result) => result[percentile],
    }));
  }),
  {
    key: 'archive-rows',
    label: 'archive rows per second, one client drawing at 60 Hz',
    unit: 'rows/s',
    better: 'lower',
    run: (system) => archiveRows(system, { hz: 60, seconds: quick ? 3 : 10, seed: SEED }),
    value: (result) => result.rowsPerSecond,
  },
  {
    key: 'bytes-per-edit',
    label: 'bytes on the wire per edit, 10 clients typing (all clients, both ways)',
    unit: 'B',
    better: 'lower',
    shared: 'type-paced',
    run: (system) => paced(system, { clients: 10, hz: 10, kind: 'type', seconds: quick ? 3 : 10, seed: SEED }),
    value: (result) => result.bytesPerEdit,
  },
  ...(quick ? [1000] : [1000, 10_000, 100_000]).map((edits) => ({
    key: `latejoin-${edits}`,
    label: `late join into ${edits.toLocaleString('en')} edits`,
    unit: 'ms',
    better: 'lower',
    run: (system) => lateJoin(system, { edits, seed: SEED }),
    runs: edits >= 100_000 ? 1 : undefined,
    value: (result) => result.ms,
  })),
  {
    key: 'reconnect',
    label: 'reconnect to caught up after 1,000 missed edits',
    unit: 'ms',
    better: 'lower',
    run: (system) => reconnect(system, { missed: 1000, seed: SEED }),
    value: (result) => result.ms,
  },
  {
    key: 'login',
    label: 'connect (and log in) to a synced empty document',
    unit: 'ms',
    better: 'lower',
    run: (system) => login(system),
    value: (result) => result.ms,
  },
  ...['server', 'database', 'bot', 'clients'].flatMap((part) => [
    {
      key: `cpu-${part}`,
      label: `${part === 'clients' ? 'both clients' : part === 'database' ? 'PostgreSQL' : part} CPU per 10,000 edits`,
      unit: 's',
      better: 'lower',
      run: (system) => cost(system, { edits: quick ? 2000 : 10_000, hz: 500, seed: SEED }),
      shared: 'cost',
      value: (result) => result[`${part}CpuSeconds`],
    },
    ...(part === 'clients'
      ? []
      : [
          {
            key: `memory-${part}`,
            label: `${part === 'database' ? 'PostgreSQL' : part} peak memory (PSS) during those edits`,
            unit: 'MiB',
            better: 'lower',
            shared: 'cost',
            run: (system) => cost(system, { edits: quick ? 2000 : 10_000, hz: 500, seed: SEED }),
            value: (result) => result[`${part}PeakMemoryMiB`],
          },
        ]),
  ]),
];

const started = performance.now();
const results = {};
const versions = { node: process.version, yjs: versionOf('yjs') };
const workloads = WORKLOADS.filter((w) => !onlyWorkloads || onlyWorkloads.some((prefix) => w.key.startsWith(prefix)));
for (const name of systemNames) {
  results[name] = {};
  // Workloads that read several figures from one run share it: group → the results of its runs.
  const shared = new Map();
  // Quick runs keep one system per column for all workloads, to stay under two minutes.
  let kept;
  try {
    for (const workload of workloads) {
      const group = workload.shared ?? workload.key;
      if (!shared.has(group)) {
        // Full runs start a fresh system for each workload: nothing an earlier one left (the
        // bot's documents, the server's archive and sessions) weighs on it.
        const fresh = !kept;
        const system = kept ?? (await startSystem(name));
        if (quick) kept = system;
        Object.assign(versions, system.versions);
        try {
          // Warm-up: the JIT, the server's caches, the first room; discarded.
          if (fresh) await paced(system, { clients: 2, hz: 100, kind: 'type', seconds: 1, seed: 1 });
          const runs = [];
          for (let i = 0; i < (workload.runs ?? RUNS); i++) runs.push(await workload.run(system));
          shared.set(group, runs);
        } finally {
          if (!quick) await system.stop();
        }
      }
      const runs = shared.get(group);
      const failed = runs.some((result) => result.converged === false);
      results[name][workload.key] = summarize(runs.map(workload.value), failed);
      const { median, min, max } = results[name][workload.key];
      if (median !== null) {
        console.log(
          `${name.padEnd(12)} ${workload.label}: ${median} ${workload.unit} (min ${min}, max ${max})${failed ? ' NOT CONVERGED' : ''}`,
        );
      }
    }
  } finally {
    await kept?.stop();
  }
}

function summarize(values, failed) {
  const numbers = values.filter((value) => typeof value === 'number' && !Number.isNaN(value));
  if (numbers.length === 0) return { median: null, min: null, max: null, failed };
  const sorted = [...numbers].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted.at(-1),
    runs: sorted.length,
    failed,
  };
}

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};
const report = renderReport({
  quick,
  runs: RUNS,
  machine,
  versions,
  workloads,
  results,
  seconds: Math.round((performance.now() - started) / 1000),
});
console.log(`\n${report.table}`);
record('compare', { quick, machine, versions, results });
if (quick) {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/benchmarks-quick.md', report.document);
} else if (!only && !onlyWorkloads) {
  // Formatted as the repository's lint expects.
  const file = new URL('../../docs/benchmarks.md', import.meta.url);
  const options = { ...(await prettier.resolveConfig(file)), parser: 'markdown' };
  writeFileSync(file, await prettier.format(report.document, options));
}
console.log(`\n${Math.round((performance.now() - started) / 1000)} s`);
