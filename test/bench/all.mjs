#!/usr/bin/env node
// `npm run bench [-- --quick]`: first xsync beside y-websocket and Hocuspocus (compare.mjs,
// the table in docs/benchmarks.md; rtt.mjs, login and reconnect over a slow link, a section
// of that file), then, in full runs, the suites that look inside xsync.
// Each suite starts its own servers; figures go to the console and test-results/bench.json.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const quick = process.argv.includes('--quick');
const suites = quick
  ? ['compare.mjs', 'rtt.mjs']
  : ['compare.mjs', 'rtt.mjs', 'core.mjs', 'login.mjs', 'provider.mjs', 'latejoin.mjs', 'editor.mjs', 'whiteboard.mjs'];
rmSync('test-results/bench.json', { force: true });
for (const suite of suites) {
  console.log(`\n## ${suite}`);
  execFileSync(process.execPath, ['--expose-gc', new URL(suite, import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
}
