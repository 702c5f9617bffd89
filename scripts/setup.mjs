#!/usr/bin/env node
// Prepares a fresh clone for `npm start` and `npm test`: npm dependencies, a build of the
// packages, the Debian packages of the local ejabberd and, for tests and benchmarks,
// Debian's Chromium, PostgreSQL and Prosody (installed when running as root, from
// bookworm-backports on Debian 12 where needed, otherwise named in a precise message).
// Usage: node scripts/setup.mjs [--browser] [--postgres] [--prosody]
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

const {
  ensureInstalled,
  ensureProsodyInstalled,
  findInstallation,
  EjabberdNotInstalledError,
  ProsodyNotInstalledError,
  canInstallPackages,
  installCommand,
  installPackages,
} = await import('../packages/servers/dist/index.js');
try {
  ensureInstalled({ log: (line) => console.log(line) });
  // The login tests also run on Prosody 13.
  if (process.argv.includes('--prosody')) ensureProsodyInstalled({ log: (line) => console.log(line) });
} catch (error) {
  if (!(error instanceof EjabberdNotInstalledError) && !(error instanceof ProsodyNotInstalledError)) throw error;
  console.error(`\n${error.message}\n\nThen run this command again.`);
  process.exit(1);
}

// Browser tests drive Debian's Chromium (nothing ever downloads a browser); tests and
// benchmarks also run ejabberd on a PostgreSQL cluster of their own.
const wanted = [
  ...(process.argv.includes('--browser') ? [{ name: 'chromium', present: existsSync('/usr/bin/chromium') }] : []),
  ...(process.argv.includes('--postgres')
    ? [
        {
          name: 'postgresql',
          present: existsSync('/usr/share/postgresql-common') && existsSync('/usr/lib/postgresql'),
        },
        { name: 'erlang-p1-pgsql', present: !('missing' in findInstallation(true)) },
      ]
    : []),
];
const missing = wanted.filter((item) => !item.present).map((item) => item.name);
if (missing.length > 0) {
  if (canInstallPackages()) {
    installPackages(missing);
  } else {
    console.error(
      `\nThe tests need the Debian packages ${missing.join(', ')}. Install them as root with:\n  ${installCommand(missing)}\n\nThen run this command again.`,
    );
    process.exit(1);
  }
}
