import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type ViteDevServer, build, createServer } from 'vite';

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
  return listen(server);
}

const DEMO_ROOT = fileURLToPath(new URL('../../apps/demo/', import.meta.url));

/** Runs `make` with the `VITE_XSYNC_*` variables of `env` set, as `npm start` sets them. */
async function withDemoEnv<T>(env: Record<string, string>, make: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    // Vite reads the environment while it resolves the config, inside `make`.
    return await make();
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** Serves apps/demo with its own Vite config, for the server `env` names, on a free loopback port. */
export async function serveDemo(env: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await withDemoEnv(env, () =>
    createServer({
      root: DEMO_ROOT,
      configFile: `${DEMO_ROOT}vite.config.ts`,
      cacheDir: fileURLToPath(new URL('../../node_modules/.vite/demo-tests', import.meta.url)),
      logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    }),
  );
  return listen(server);
}

/** Builds the static demo (`npm run build`) for the server `env` names into `outDir`. */
export async function buildDemo(env: Record<string, string>, outDir: string): Promise<void> {
  await withDemoEnv(env, () =>
    build({ root: DEMO_ROOT, configFile: `${DEMO_ROOT}vite.config.ts`, logLevel: 'error', build: { outDir } }),
  );
}

async function listen(server: ViteDevServer): Promise<{ url: string; close: () => Promise<void> }> {
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

/** Where a page's provider connects. */
export interface PageProviderOptions {
  wsUrl: string;
  domain: string;
  account: { username: string; password: string };
  channelJid: string;
  docName?: string;
}

/** An XmppProvider living in a page (test/browser/page), driven from the test. */
export interface PageProvider {
  text(): Promise<string>;
  append(text: string): Promise<void>;
  disconnect(): Promise<void>;
  connect(): Promise<void>;
  /** Resolves when the page's text has `length` characters; rejects at the deadline. */
  waitForLength(length: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the page's provider is connected with every local edit acknowledged. */
  waitForAcknowledged(timeoutMs?: number): Promise<void>;
}

type PageWindow = { pageProviders: Record<string, import('@xsync/core/yjs').XmppProvider> };

/** Opens a connection and a provider in `page` (served by {@link servePages} from test/browser/page). */
export async function openPageProvider(
  page: import('playwright-core').Page,
  options: PageProviderOptions,
): Promise<PageProvider> {
  const id = `p${Math.random().toString(36).slice(2, 8)}`;
  await page.evaluate(
    async ({ id, wsUrl, domain, account, channelJid, docName }) => {
      const { Connection, Room } = window.xsync;
      const { XmppProvider } = window.xsyncYjs;
      const connection = await Connection.open({ service: wsUrl, domain, ...account });
      const provider = new XmppProvider(new Room(connection, { jid: channelJid }), new window.Y.Doc(), {
        ...(docName !== undefined && { doc: docName }),
        connect: false,
      });
      await provider.connect();
      const state = window as unknown as PageWindow;
      state.pageProviders ??= {};
      state.pageProviders[id] = provider;
    },
    { id, ...options },
  );
  const run = <T>(fn: (provider: import('@xsync/core/yjs').XmppProvider, arg: string) => T | Promise<T>, arg = '') =>
    page.evaluate(
      ({ id, source, arg }) => {
        const provider = (window as unknown as PageWindow).pageProviders[id]!;
        return (new Function('provider', 'arg', `return (${source})(provider, arg)`) as typeof fn)(provider, arg);
      },
      { id, source: fn.toString(), arg },
    );
  return {
    text: () => run((provider) => provider.doc.getText('t').toString()),
    append: (text) =>
      run((provider, arg) => void provider.doc.getText('t').insert(provider.doc.getText('t').length, arg), text),
    disconnect: () => run((provider) => provider.disconnect()),
    connect: () => run((provider) => provider.connect()),
    waitForLength: async (length, timeoutMs = 60_000) => {
      await page.waitForFunction(
        ({ id, length }) => (window as unknown as PageWindow).pageProviders[id]!.doc.getText('t').length === length,
        { id, length },
        { timeout: timeoutMs },
      );
    },
    waitForAcknowledged: async (timeoutMs = 60_000) => {
      await page.waitForFunction(
        (id) => {
          const provider = (window as unknown as PageWindow).pageProviders[id]!;
          return provider.status === 'connected' && provider.unsyncedChanges === 0;
        },
        id,
        { timeout: timeoutMs },
      );
    },
  };
}

/** A Chromium page showing test/browser/page, which exposes the packages on `window`. */
export interface TestPage {
  page: import('playwright-core').Page;
  /** Uncaught errors the page reported. */
  errors: string[];
  /** Closes the browser and the page server. */
  close(): Promise<void>;
}

/** Serves the test page, opens it in Chromium and waits until its modules are loaded. */
export async function openTestPage(): Promise<TestPage> {
  const pages = await servePages(new URL('../browser/page/', import.meta.url).href);
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await pages.close();
    throw error;
  });
  const close = async () => {
    await browser.close();
    await pages.close();
  };
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(pages.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    return { page, errors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
