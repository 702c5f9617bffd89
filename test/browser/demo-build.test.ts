import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemo, launchBrowser } from '../support/browser.js';

// `npm run build` makes a static demo that any web server can host, under any path.
let outDir: string;
let http: Server;
let browser: Browser;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** The plainest static file server: files under `root`, served below `/some/path/`. */
function serveStatic(root: string, prefix: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(prefix)) return void response.writeHead(404).end();
    const file = join(root, normalize(path.slice(prefix.length) || 'index.html').replace(/^(\.\.[/\\])+/, ''));
    stat(file).then(
      () => {
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'xsync-demo-build-'));
  const { wsUrl, domain, mucDomain } = inject('server');
  await buildDemo(
    {
      VITE_XSYNC_SERVICE: wsUrl,
      VITE_XSYNC_DOMAIN: domain,
      VITE_XSYNC_ROOM_SERVICE: mucDomain,
      VITE_XSYNC_GUESTS: 'register',
    },
    outDir,
  );
  http = await serveStatic(outDir, '/some/path/');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the static demo', () => {
  it('runs from a plain web server under a sub-path and opens a room', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const { port } = http.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/some/path/?room=static-build`);
    await page.getByLabel('Your name').fill('Static');
    await page.getByRole('button', { name: 'Enter room', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('demo-room')?.status.state === 'synced', null, {
      timeout: 30_000,
    });
    expect(page.url()).toBe(`http://127.0.0.1:${port}/some/path/?room=static-build`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
