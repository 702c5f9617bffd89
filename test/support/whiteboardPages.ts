import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchBrowser, servePages } from './browser.js';
import { createAccount } from './fixtures.js';

/** Where browser tests save the screenshots they take. */
export const SCREENSHOTS = 'test-results/screenshots';

export interface OpenedBoard {
  page: Page;
  /** Errors the page threw. */
  errors: string[];
  /** Puts the whiteboard on the page again (a reload), with the same account. */
  reload(): Promise<void>;
}

/**
 * Pages of `test/browser/page/whiteboard.html` in Chromium, each in its own browser context as
 * its own user; `close` ends them all.
 */
export class WhiteboardPages {
  #browser: Browser | undefined;
  #pages: { url: string; close: () => Promise<void> } | undefined;
  readonly #contexts: BrowserContext[] = [];

  async start(): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    this.#pages = await servePages(new URL('../browser/page/', import.meta.url).href);
    this.#browser = await launchBrowser();
  }

  async close(): Promise<void> {
    for (const context of this.#contexts.splice(0)) await context.close();
    await this.#browser?.close();
    await this.#pages?.close();
  }

  /** A page showing one `<xmpp-whiteboard>` in `channel`, synced, as a new user called `name`. */
  async open(
    channel: string,
    name: string,
    viewport = { width: 960, height: 640 },
    fill = false,
  ): Promise<OpenedBoard> {
    const context = await this.#browser!.newContext({ viewport });
    this.#contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('board');
    const load = async () => {
      await page.goto(`${this.#pages!.url}whiteboard.html`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      await page.evaluate(
        ({ attributes, fill }) => {
          const board = document.createElement('xmpp-whiteboard');
          for (const [key, value] of Object.entries(attributes)) board.setAttribute(key, value);
          // As a page that gives the board all of its width would.
          if (fill) Object.assign(board.style, { width: 'auto', height: 'calc(100vh - 2rem)' });
          document.body.append(board);
        },
        {
          attributes: {
            service: wsUrl,
            jid: `${account.username}@${domain}`,
            password: account.password,
            room: channel,
            'user-name': name,
          },
          fill,
        },
      );
      await page.waitForFunction(() => document.querySelector('xmpp-whiteboard')?.status.state === 'synced');
    };
    await load();
    return { page, errors, reload: load };
  }
}

/** The board's shapes on a page, as plain objects. */
export const shapesOn = (page: Page) =>
  page.evaluate(() =>
    document
      .querySelector('xmpp-whiteboard')!
      .board!.all()
      .map((shape) => ({ ...shape })),
  );

/** Drags the mouse across the canvas through `points` (canvas pixels), with the given tool. */
export async function dragOn(page: Page, tool: string, points: Array<[number, number]>, release = true): Promise<void> {
  await page.evaluate((name) => (document.querySelector('xmpp-whiteboard')!.tool = name), tool);
  const box = (await page.locator('xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
  const [first, ...rest] = points;
  await page.mouse.move(box.x + first![0], box.y + first![1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
  if (release) await page.mouse.up();
}

/** Waits until the page draws `count` shapes. */
export const waitForShapesOn = (page: Page, count: number) =>
  page.waitForFunction(
    (n) => document.querySelector('xmpp-whiteboard')!.shadowRoot!.querySelectorAll('svg.layer > g > *').length === n,
    count,
    { timeout: 20_000 },
  );
