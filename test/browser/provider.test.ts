import { Room } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { type TestPage, openTestPage } from '../support/browser.js';
import { Fixture, createAccount } from '../support/fixtures.js';
import { waitForDoc } from '../support/yjs.js';

const fixture = new Fixture('browser-yjs');
let testPage: TestPage;
let page: Page;
let channelJid: string;
let nodeProvider: XmppProvider;
let pageErrors: string[] = [];

type PageState = {
  provider: {
    doc: { getText(name: string): { toString(): string; insert(i: number, s: string): void; length: number } };
    unsyncedChanges: number;
    status: string;
  };
};

beforeAll(async () => {
  testPage = await openTestPage();
  page = testPage.page;
  pageErrors = testPage.errors;
  channelJid = await fixture.createChannel(await fixture.connect());
  const channel = new Room(await fixture.connect(), { jid: channelJid });
  nodeProvider = new XmppProvider(channel, new Y.Doc(), { doc: 'shared', connect: false });
  await nodeProvider.connect();
});
afterAll(async () => {
  nodeProvider?.destroy();
  await page?.evaluate(() => (window as unknown as { cleanup?: () => Promise<void> }).cleanup?.());
  await testPage?.close();
  await fixture.close();
});

const pageText = () => page.evaluate(() => (window as unknown as PageState).provider.doc.getText('t').toString());

/** In the page: a connection and a provider for `docName`, its document kept in IndexedDB. */
function startPersistentProvider(options: {
  wsUrl: string;
  domain: string;
  account: { username: string; password: string };
  channelJid: string;
  docName: string;
}): Promise<void> {
  return page.evaluate(async ({ wsUrl, domain, account, channelJid, docName }) => {
    const { Connection, Room } = window.xsync;
    const { XmppProvider } = window.xsyncYjs;
    const { IndexeddbPersistence, storeState } = window.yIndexeddb;
    const doc = new window.Y.Doc();
    const persistence = new IndexeddbPersistence(docName, doc);
    await persistence.whenSynced;
    const connection = await Connection.open({ service: wsUrl, domain, ...account });
    const provider = new XmppProvider(new Room(connection, { jid: channelJid }), doc, {
      doc: docName,
      connect: false,
    });
    await provider.connect();
    const state = window as unknown as Record<string, unknown>;
    state.persistent = provider;
    state.flush = () => storeState(persistence, true);
  }, options);
}

describe('XmppProvider in Chromium', () => {
  it('[YP1] a page and a Node client converge through concurrent typing and a dropped WebSocket', async () => {
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('page');
    nodeProvider.doc.getText('t').insert(0, 'from node before. ');
    await page.evaluate(
      async ({ wsUrl, domain, account, channelJid }) => {
        const { Connection, Room } = window.xsync;
        const { XmppProvider } = window.xsyncYjs;
        const connection = await Connection.open({ service: wsUrl, domain, ...account });
        const provider = new XmppProvider(new Room(connection, { jid: channelJid }), new window.Y.Doc(), {
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

  it('[YP4] edits made offline survive a page reload (y-indexeddb) and reach the channel', async () => {
    const { wsUrl, domain } = inject('server');
    const options = { wsUrl, domain, account: await createAccount('reload'), channelJid, docName: 'persisted' };
    const reader = new XmppProvider(new Room(await fixture.connect(), { jid: channelJid }), new Y.Doc(), {
      doc: 'persisted',
      connect: false,
    });
    await reader.connect();
    await startPersistentProvider(options);
    await page.evaluate(async () => {
      const provider = (window as unknown as { persistent: XmppProvider }).persistent;
      provider.doc.getText('t').insert(0, 'online. ');
      await new Promise<void>((resolve) => provider.on('unsynced', (n) => n === 0 && resolve()));
      provider.disconnect();
      provider.doc.getText('t').insert(8, 'offline. ');
      await (window as unknown as { flush: () => Promise<void> }).flush();
    });
    await waitForDoc(reader.doc, () => reader.doc.getText('t').toString() === 'online. ');
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await startPersistentProvider(options);
    await waitForDoc(reader.doc, () => reader.doc.getText('t').toString() === 'online. offline. ');
    reader.destroy();
    expect(pageErrors).toEqual([]);
  });

  // Uses the provider the previous test left on the page.
  it('[YP8] goes quiet while the page is hidden (XEP-0352) and back when visible', async () => {
    const result = await page.evaluate(async () => {
      const provider = (window as unknown as { persistent: XmppProvider }).persistent;
      const sent: string[] = [];
      let bothSent: () => void;
      const done = new Promise<void>((resolve) => (bothSent = resolve));
      provider.room.connection.xmpp.on('send', (element: { name: string; attrs: { xmlns?: string } }) => {
        if (element.attrs.xmlns !== 'urn:xmpp:csi:0') return;
        sent.push(element.name);
        if (sent.length === 2) bothSent();
      });
      const setVisibility = (state: 'hidden' | 'visible') => {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      setVisibility('hidden');
      const quietWhileHidden = provider.quiet;
      setVisibility('visible');
      await done; // each state change is one stanza on the wire
      return { quietWhileHidden, quietNow: provider.quiet, sent };
    });
    expect(result).toEqual({ quietWhileHidden: true, quietNow: false, sent: ['inactive', 'active'] });
  });
});
