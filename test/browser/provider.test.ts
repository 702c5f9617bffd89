import { Channel } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { launchBrowser, servePages } from '../support/browser.js';
import { Fixture, createAccount } from '../support/fixtures.js';
import { waitForDoc } from '../support/yjs.js';

const fixture = new Fixture('browser-yjs');
let pages: Awaited<ReturnType<typeof servePages>>;
let browser: Browser;
let page: Page;
let channelJid: string;
let nodeProvider: XmppProvider;
const pageErrors: string[] = [];

type PageState = {
  provider: {
    doc: { getText(name: string): { toString(): string; insert(i: number, s: string): void; length: number } };
    unsyncedChanges: number;
    status: string;
  };
};

beforeAll(async () => {
  pages = await servePages(new URL('./page/', import.meta.url).href);
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(pages.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  channelJid = await fixture.createChannel(await fixture.connect());
  const channel = new Channel(await fixture.connect(), { jid: channelJid });
  nodeProvider = new XmppProvider(channel, new Y.Doc(), { doc: 'shared', connect: false });
  await nodeProvider.connect();
});
afterAll(async () => {
  nodeProvider?.destroy();
  await page?.evaluate(() => (window as unknown as { cleanup?: () => Promise<void> }).cleanup?.());
  await browser?.close();
  await pages?.close();
  await fixture.close();
});

const pageText = () => page.evaluate(() => (window as unknown as PageState).provider.doc.getText('t').toString());

describe('XmppProvider in Chromium', () => {
  it('[YP1] a page and a Node client converge through concurrent typing and a dropped WebSocket', async () => {
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('page');
    nodeProvider.doc.getText('t').insert(0, 'from node before. ');
    await page.evaluate(
      async ({ wsUrl, domain, account, channelJid }) => {
        const { Connection, Channel } = window.xsync;
        const { XmppProvider } = window.xsyncYjs;
        const connection = await Connection.open({ service: wsUrl, domain, ...account });
        const provider = new XmppProvider(new Channel(connection, { jid: channelJid }), new window.Y.Doc(), {
          doc: 'shared',
          connect: false,
        });
        await provider.connect();
        const state = window as unknown as Record<string, unknown>;
        const statuses: string[] = [];
        state.statuses = statuses;
        connection.on('status', (status) => statuses.push(status));
        state.provider = provider;
        state.cleanup = async () => {
          provider.destroy();
          await connection.close();
        };
        const text = provider.doc.getText('t');
        for (let i = 0; i < 30; i++) text.insert(text.length, 'p');
        // Drop the WebSocket mid-edit: the client reconnects and resumes the stream.
        (connection.xmpp.socket as unknown as { socket: WebSocket }).socket.close();
        for (let i = 0; i < 30; i++) text.insert(text.length, 'q');
      },
      { wsUrl, domain, account, channelJid },
    );
    for (let i = 0; i < 30; i++) nodeProvider.doc.getText('t').insert(0, 'n');
    const expectedLength = 'from node before. '.length + 90;
    await waitForDoc(nodeProvider.doc, () => nodeProvider.doc.getText('t').length === expectedLength, 30_000);
    await page.waitForFunction(
      (length) => (window as unknown as PageState).provider.doc.getText('t').length === length,
      expectedLength,
      { timeout: 30_000 },
    );
    expect(await pageText()).toBe(nodeProvider.doc.getText('t').toString());
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses).toEqual(['connecting', 'online']);
    expect(pageErrors).toEqual([]);
  });
});
