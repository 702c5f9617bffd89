#!/usr/bin/env node
// `npm run bench [-- --quick]`: every benchmark in turn, each with its own server; figures go
// to the console and test-results/bench.json.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const suites = ['core.mjs', 'login.mjs', 'provider.mjs', 'latejoin.mjs', 'editor.mjs', 'whiteboard.mjs'];
rmSync('test-results/bench.json', { force: true });
for (const suite of suites) {
  console.log(`\n## ${suite}`);
  execFileSync(process.execPath, ['--expose-gc', new URL(suite, import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
}
