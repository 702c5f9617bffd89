import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ANALYZER = fileURLToPath(import.meta.resolve('@custom-elements-manifest/analyzer/cem.js'));

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
}

/** Runs the analyzer on a package's sources into a temporary directory and reads the result. */
function freshManifest(packageDir: string): string {
  const out = mkdtempSync(join(tmpdir(), 'xsync-manifest-'));
  try {
    // The analyzer joins --outdir to the working directory.
    execFileSync(process.execPath, [ANALYZER, 'analyze', '--outdir', relative(packageDir, out)], {
      cwd: packageDir,
      stdio: 'pipe',
    });
    return readFileSync(join(out, 'custom-elements.json'), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('custom-elements.json', () => {
  for (const [name, tag, parts] of [
    ['editor', 'xmpp-editor', ['toolbar', 'editor', 'preview', 'status', 'role', 'export']],
    ['whiteboard', 'xmpp-whiteboard', ['toolbar', 'properties', 'canvas', 'presence', 'status', 'role', 'export']],
  ] as const) {
    it(`of @xsync/${name} matches its sources and documents <${tag}>`, () => {
      const packageDir = fileURLToPath(new URL(`../../packages/${name}/`, import.meta.url));
      const fresh = freshManifest(packageDir);
      expect(fresh).toBe(readFileSync(join(packageDir, 'custom-elements.json'), 'utf8'));
      const element = (JSON.parse(fresh) as { modules: Array<{ declarations?: Declaration[] }> }).modules
        .flatMap((module) => module.declarations ?? [])
        .find((declaration) => declaration.tagName === tag)!;
      expect(element.attributes!.map((attribute) => attribute.name)).toEqual(
        expect.arrayContaining(['service', 'jid', 'password', 'room', 'doc', 'readonly', 'user-name']),
      );
      expect(element.events!.map((event) => event.name).sort()).toEqual(['change', 'error', 'status']);
      expect(element.cssParts!.map((part) => part.name).sort()).toEqual([...parts].sort());
    }, 30_000);
  }
});
