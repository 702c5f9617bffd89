import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('custom-elements.json', () => {
  it('is current: the analyzer writes the same manifest from the sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'xsync-editor-manifest-'));
    try {
      execFileSync(
        process.execPath,
        [
          fileURLToPath(import.meta.resolve('@custom-elements-manifest/analyzer/cem.js')),
          'analyze',
          '--outdir',
          // The analyzer joins --outdir to the working directory.
          relative(packageDir, out),
        ],
        { cwd: packageDir, stdio: 'pipe' },
      );
      const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
      expect(fresh).toBe(readFileSync(join(packageDir, 'custom-elements.json'), 'utf8'));
      const element = (
        JSON.parse(fresh) as { modules: Array<{ declarations?: Array<Record<string, unknown>> }> }
      ).modules
        .flatMap((module) => module.declarations ?? [])
        .find((declaration) => declaration.tagName === 'xmpp-editor') as {
        attributes: Array<{ name: string }>;
        events: Array<{ name: string }>;
      };
      expect(element.attributes.map((attribute) => attribute.name)).toEqual(
        expect.arrayContaining(['service', 'jid', 'password', 'channel', 'doc', 'readonly', 'preview']),
      );
      expect(element.events.map((event) => event.name).sort()).toEqual(['change', 'error', 'status']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);
});
