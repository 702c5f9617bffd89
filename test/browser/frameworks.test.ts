import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, servePages } from '../support/browser.js';
import { Fixture, createAccount } from '../support/fixtures.js';

const fixture = new Fixture('frameworks');
let browser: Browser;
let pages: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  mkdirSync('test-results/screenshots', { recursive: true });
  pages = await servePages(new URL('./page/', import.meta.url).href);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await fixture.close();
});

async function room(channel: string) {
  const { wsUrl, domain } = inject('server');
  const account = await createAccount('framework');
  return { service: wsUrl, jid: `${account.username}@${domain}`, password: account.password, room: channel };
}

describe('the elements inside React and Vue apps', () => {
  it('mount, connect, report events to the framework, and sync with each other', async () => {
    const channel = await fixture.createChannel(await fixture.connect());
    const page: Page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${pages.url}frameworks.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await page.evaluate((room) => window.mountReact(room), await room(channel));
    await page.evaluate((room) => window.mountVue(room), await room(channel));
    await page.waitForFunction(() => window.seen.react.status === 'synced' && window.seen.vue.status === 'synced');
    const boards = page.locator('xmpp-whiteboard');
    expect(await boards.count()).toBe(2);
    // Draw a rectangle in the React app's board; the Vue app's board shows it.
    await page.evaluate(
      () => (document.querySelector<HTMLElementTagNameMap['xmpp-whiteboard']>('#react xmpp-whiteboard')!.tool = 'rect'),
    );
    const box = (await page.locator('#react xmpp-whiteboard svg[part="canvas"]').boundingBox())!;
    await page.mouse.move(box.x + 50, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 150, box.y + 120, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(
      () => document.querySelector<HTMLElementTagNameMap['xmpp-whiteboard']>('#vue xmpp-whiteboard')!.board!.size === 1,
    );
    await page.waitForFunction(() => window.seen.react.changes > 0 && window.seen.vue.changes > 0);
    // The editors connected through the same room session as their boards.
    expect(await page.evaluate(() => [...document.querySelectorAll('xmpp-editor')].map((e) => e.status.state))).toEqual(
      ['synced', 'synced'],
    );
    await page.screenshot({ path: 'test-results/screenshots/frameworks.png' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
