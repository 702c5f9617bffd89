#!/usr/bin/env node
// Prepares a fresh clone for `npm start` and `npm test`: npm dependencies, a build of the
// packages, the Debian packages of the local ejabberd and, for tests, Debian's Chromium
// (installed when running as root, otherwise named in a precise message).
// Usage: node scripts/setup.mjs [--browser]
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

const installed = `${root}/node_modules/.package-lock.json`;
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(`${root}/package-lock.json`).mtimeMs) {
  console.log('Installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

run('npx', ['tsc', '-b']);

const { ensureInstalled, EjabberdNotInstalledError } = await import('../packages/ejabberd/dist/index.js');
try {
  ensureInstalled({ log: (line) => console.log(line) });
} catch (error) {
  if (!(error instanceof EjabberdNotInstalledError)) throw error;
  console.error(`\n${error.message}\n\nThen run this command again.`);
  process.exit(1);
}

// Browser tests drive Debian's Chromium; nothing ever downloads a browser.
if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing chromium with apt-get…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  } else {
    console.error(
      "\nThe browser tests need Debian's Chromium. Install it as root with:\n  apt-get update && apt-get install -y chromium\n\nThen run this command again.",
    );
    process.exit(1);
  }
}
