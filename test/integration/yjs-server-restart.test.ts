import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Room, Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { type EjabberdServer, startEjabberd } from '@xsync/servers';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { waitForConvergence } from '../support/convergence.js';
import { type PageProvider, type TestPage, openPageProvider, openTestPage } from '../support/browser.js';
import { waitForDoc, waitForEmit } from '../support/yjs.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xsync-restart-'));
let server: EjabberdServer | undefined;
const providers: XmppProvider[] = [];
const connections: Connection[] = [];
let testPage: TestPage | undefined;

afterAll(async () => {
  await testPage?.close();
  for (const provider of providers) provider.destroy();
  await Promise.all(connections.map((connection) => connection.close()));
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('XmppProvider across a server restart', () => {
  it('[YP10] converges with every edit after ejabberd restarts mid-session', async () => {
    server = await startEjabberd({ dataDir });
    const { c2sPort, httpPort } = server;
    const channelJid = await server.createChannel('restart-room');
    for (const name of ['left', 'right']) {
      const account = await server.createAccount(name);
      const connection = await Connection.open({ service: server.tcpUrl, domain: server.domain, ...account });
      connections.push(connection);
      const provider = new XmppProvider(new Room(connection, { jid: channelJid }), new Y.Doc(), { connect: false });
      providers.push(provider);
      await provider.connect();
    }
    const [left, right] = providers as [XmppProvider, XmppProvider];
    // A page in Chromium takes part too, over WebSocket.
    testPage = await openTestPage();
    const inPage: PageProvider = await openPageProvider(testPage.page, {
      wsUrl: server.wsUrl,
      domain: server.domain,
      account: await server.createAccount('page'),
      channelJid,
    });
    left.doc.getText('t').insert(0, 'before restart. ');
    await waitForConvergence(providers);
    await inPage.waitForLength(left.doc.getText('t').length);

    await server.stop();
    await inPage.append('page while down. ');
    left.doc.getText('t').insert(0, 'left while down. ');
    right.doc.getText('t').insert(0, 'right while down. ');
    expect(left.unsyncedChanges + right.unsyncedChanges).toBe(2);

    const restarted = providers.map((p) => waitForEmit(p.room.connection as never, 'restarted', () => true, 30_000));
    server = await startEjabberd({ dataDir, c2sPort, httpPort });
    await Promise.all(restarted);
    await waitForConvergence(providers);
    const expectedLength = 'before restart. left while down. right while down. page while down. '.length;
    await waitForDoc(left.doc, () => left.doc.getText('t').length === expectedLength, 30_000);
    await waitForConvergence(providers);
    await inPage.waitForLength(expectedLength);
    const text = left.doc.getText('t').toString();
    for (const part of ['before restart. ', 'left while down. ', 'right while down. ', 'page while down. ']) {
      expect(text).toContain(part);
    }
    expect(right.doc.getText('t').toString()).toBe(text);
    expect(await inPage.text()).toBe(text);
  });
});
