import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Debian packages of the servers xsync runs. Debian 13 (trixie) ships ejabberd 24.12 and
 * Prosody 13 in main; Debian 12 (bookworm) ships ejabberd 23.01 and Prosody 0.12, and reaches
 * the same versions as trixie through bookworm-backports.
 */

/** Packages that come from bookworm-backports on Debian 12, for the versions Debian 13 ships. */
export const BACKPORTED_PACKAGES: readonly string[] = [
  'ejabberd',
  'erlang-p1-sqlite3',
  'erlang-p1-pgsql',
  'prosody',
  'prosody-modules',
];

/** A Debian release as `/etc/os-release` names it. */
export type DebianRelease = 'bookworm' | 'trixie' | 'other';

const BACKPORTS_SOURCES = '/etc/apt/sources.list.d/bookworm-backports.sources';
const BACKPORTS_ENTRY = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

/** The Debian release of this machine. */
export function debianRelease(): DebianRelease {
  if (!existsSync('/etc/os-release')) return 'other';
  const codename = /^VERSION_CODENAME=(\S+)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  return codename === 'bookworm' || codename === 'trixie' ? codename : 'other';
}

/**
 * The shell command that installs `packages`; on bookworm those in `fromBackports` come from
 * bookworm-backports, which the command enables first.
 */
export function installCommand(
  packages: readonly string[],
  fromBackports = BACKPORTED_PACKAGES,
  release = debianRelease(),
): string {
  const backports = release === 'bookworm' ? packages.filter((name) => fromBackports.includes(name)) : [];
  const main = packages.filter((name) => !backports.includes(name));
  const steps: string[] = [];
  if (backports.length > 0) {
    steps.push(`printf '${BACKPORTS_ENTRY.replace(/\n/g, '\\n')}' > ${BACKPORTS_SOURCES}`);
  }
  steps.push('apt-get update');
  if (main.length > 0) steps.push(`apt-get install -y ${main.join(' ')}`);
  if (backports.length > 0) steps.push(`apt-get install -y -t bookworm-backports ${backports.join(' ')}`);
  return steps.join(' && ');
}

/** Whether this process may install Debian packages itself (root, with apt-get). */
export function canInstallPackages(): boolean {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

/**
 * Installs `packages` with apt-get (as root); on bookworm, those in `fromBackports` from
 * bookworm-backports, enabling it with a message first.
 */
export function installPackages(
  packages: readonly string[],
  fromBackports = BACKPORTED_PACKAGES,
  log: (line: string) => void = console.log,
): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const backports = debianRelease() === 'bookworm' ? packages.filter((name) => fromBackports.includes(name)) : [];
  const main = packages.filter((name) => !backports.includes(name));
  if (backports.length > 0 && !existsSync(BACKPORTS_SOURCES)) {
    log(
      `Debian 12 ships older versions of ${backports.join(', ')}: enabling bookworm-backports ` +
        `(${BACKPORTS_SOURCES}) for the versions Debian 13 ships.`,
    );
    writeFileSync(BACKPORTS_SOURCES, BACKPORTS_ENTRY);
  }
  log(`Installing ${packages.join(', ')} with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (main.length > 0) execFileSync('apt-get', ['install', '-y', '-qq', ...main], { stdio: 'inherit', env });
  if (backports.length > 0) {
    execFileSync('apt-get', ['install', '-y', '-qq', '-t', 'bookworm-backports', ...backports], {
      stdio: 'inherit',
      env,
    });
  }
}
