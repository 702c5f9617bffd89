import { Room } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { type TestPage, openTestPage } from '../support/browser.js';
import { Fixture, createAccount } from '../support/fixtures.js';
import { waitForDoc } from '../support/yjs.js';

const fixture = new Fixture('binding');
let testPage: TestPage;
let page: Page;
let nodeProvider: XmppProvider;
let pageErrors: string[] = [];

beforeAll(async () => {
  testPage = await openTestPage();
  page = testPage.page;
  pageErrors = testPage.errors;
});
afterAll(async () => {
  nodeProvider?.destroy();
  await testPage?.close();
  await fixture.close();
});

describe('an unchanged Yjs editor binding over XmppProvider', () => {
  it('[YP1] y-codemirror.next syncs text and shows a remote cursor', async () => {
    const channelJid = await fixture.createChannel(await fixture.connect());
    nodeProvider = new XmppProvider(new Room(await fixture.connect(), { jid: channelJid }), new Y.Doc(), {
      doc: 'code',
      connect: false,
    });
    await nodeProvider.connect();
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('editor');
    await page.evaluate(
      async ({ wsUrl, domain, account, channelJid }) => {
        const { Connection, Room } = window.xsync;
        const { XmppProvider } = window.xsyncYjs;
        const { EditorState, EditorView, yCollab } = window.codemirror;
        const connection = await Connection.open({ service: wsUrl, domain, ...account });
        const doc = new window.Y.Doc();
        const provider = new XmppProvider(new Room(connection, { jid: channelJid }), doc, {
          doc: 'code',
          connect: false,
        });
        await provider.connect();
        provider.awareness.setLocalStateField('user', { name: 'Page', color: '#3a3' });
        const ytext = doc.getText('t');
        const view = new EditorView({
          state: EditorState.create({ doc: ytext.toString(), extensions: [yCollab(ytext, provider.awareness)] }),
          parent: document.body,
        });
        view.dispatch({ changes: { from: 0, insert: 'typed in CodeMirror' } });
        (window as unknown as { view: typeof view }).view = view;
      },
      { wsUrl, domain, account, channelJid },
    );
    await waitForDoc(nodeProvider.doc, () => nodeProvider.doc.getText('t').toString() === 'typed in CodeMirror');
    // A remote edit with a cursor: the binding renders both.
    nodeProvider.awareness.setLocalStateField('user', { name: 'Node', color: '#33a' });
    const ytext = nodeProvider.doc.getText('t');
    ytext.insert(ytext.length, ' and in Node');
    nodeProvider.awareness.setLocalStateField('cursor', {
      anchor: Y.createRelativePositionFromTypeIndex(ytext, ytext.length),
      head: Y.createRelativePositionFromTypeIndex(ytext, ytext.length),
    });
    await page.waitForFunction(
      () =>
        (window as unknown as { view: { state: { doc: { toString(): string } } } }).view.state.doc.toString() ===
          'typed in CodeMirror and in Node' && document.querySelector('.cm-ySelectionInfo') !== null,
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.textContent('.cm-ySelectionInfo')).toBe('Node');
    expect(pageErrors).toEqual([]);
  });
});
