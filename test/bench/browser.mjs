// Browser set-up shared by the benchmarks: pages served by Vite from TypeScript sources, and
// Debian's Chromium driven by playwright-core (the project never downloads a browser).
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

/** Serves a directory of pages on a free loopback port; resolves with its URL and `close()`. */
export async function servePages(directory) {
  const root = fileURLToPath(directory);
  const vite = await createServer({
    configFile: false,
    root,
    // One dependency cache per served directory.
    cacheDir: fileURLToPath(new URL(`../../node_modules/.vite/bench-${basename(dirname(root))}`, import.meta.url)),
    logLevel: 'error',
    resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
    server: { host: '127.0.0.1', port: 0, hmr: false },
  });
  await vite.listen();
  return { url: `http://127.0.0.1:${vite.httpServer.address().port}/`, close: () => vite.close() };
}

/** Headless Chromium with the flags this machine needs. */
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
