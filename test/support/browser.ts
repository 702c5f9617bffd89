import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type ViteDevServer, createServer } from 'vite';

/** Debian's Chromium: the project never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Serves a directory of test pages with Vite on a free loopback port. */
export async function servePages(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: fileURLToPath(dir),
    // Keep Vite's dependency cache out of the source tree.
    cacheDir: fileURLToPath(new URL('../../node_modules/.vite/browser-tests', import.meta.url)),
    logLevel: 'error',
    resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not listen');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Launches headless Chromium with the flags this machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
