import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const FILE = 'test-results/bench.json';

/** Merges one benchmark's figures into test-results/bench.json, with the machine they ran on. */
export function record(name, figures) {
  mkdirSync('test-results', { recursive: true });
  let all = {};
  try {
    all = JSON.parse(readFileSync(FILE, 'utf8'));
  } catch {
    // first benchmark of the run
  }
  all.machine = { cpus: cpus().length, node: process.version };
  all[name] = { ...figures, at: new Date().toISOString() };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}
