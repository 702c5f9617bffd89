import { describe, expect, it } from 'vitest';
import { installCommand } from './debian.js';

describe('installCommand', () => {
  it('on Debian 12 enables bookworm-backports and takes the servers from there', () => {
    const command = installCommand(['ejabberd', 'sqlite3', 'prosody'], undefined, 'bookworm');
    expect(command).toContain('Suites: bookworm-backports');
    expect(command).toContain('> /etc/apt/sources.list.d/bookworm-backports.sources');
    expect(command).toContain('apt-get install -y sqlite3');
    expect(command).toContain('apt-get install -y -t bookworm-backports ejabberd prosody');
    expect(command.indexOf('apt-get update')).toBeLessThan(command.indexOf('apt-get install'));
  });

  it('on Debian 13 installs everything from main', () => {
    expect(installCommand(['ejabberd', 'sqlite3'], undefined, 'trixie')).toBe(
      'apt-get update && apt-get install -y ejabberd sqlite3',
    );
  });

  it('needs no backports for packages that are not backported', () => {
    expect(installCommand(['chromium'], undefined, 'bookworm')).toBe('apt-get update && apt-get install -y chromium');
  });
});
