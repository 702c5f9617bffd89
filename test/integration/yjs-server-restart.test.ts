import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, Room } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { type EjabberdServer, type XmppServer, startEjabberd, startProsody } from '@xsync/servers';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { waitForConvergence } from '../support/convergence.js';
import { type PageProvider, type TestPage, openPageProvider, openTestPage } from '../support/browser.js';
import { waitForDoc, waitForEmit } from '../support/yjs.js';

/** A server that can be stopped and started again on the same data dir and ports. */
interface RestartTarget {
  name: string;
  start(options: { dataDir: string; c2sPort?: number; httpPort?: number }): Promise<XmppServer>;
  /** Makes the room the test edits in; `owner` is connected to `server`. */
  createRoom(server: XmppServer, owner: Connection): Promise<string>;
}

const targets: RestartTarget[] = [
  {
    name: 'ejabberd, MUC room',
    start: (options) => startEjabberd(options),
    createRoom: (server, owner) => Room.create(owner, server.mucDomain, 'restart-room'),
  },
  {
    name: 'ejabberd, MIX channel',
    start: (options) => startEjabberd(options),
    createRoom: (server, owner) => Room.create(owner, (server as EjabberdServer).mixDomain, 'restart-room'),
  },
  {
    name: 'Prosody, MUC room',
    start: (options) => startProsody(options),
    createRoom: (server, owner) => Room.create(owner, server.mucDomain, 'restart-room'),
  },
];

let dataDir: string | undefined;
let server: XmppServer | undefined;
let providers: XmppProvider[] = [];
let connections: Connection[] = [];
let testPage: TestPage | undefined;

afterEach(async () => {
  await testPage?.close();
  for (const provider of providers) provider.destroy();
  await Promise.all(connections.map((connection) => connection.close()));
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  [testPage, server, dataDir, providers, connections] = [undefined, undefined, undefined, [], []];
});

describe.each(targets)('XmppProvider across a server restart ($name)', (target) => {
  it('[YP10] converges with every edit after the server restarts mid-session', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xsync-restart-'));
    server = await target.start({ dataDir });
    const { c2sPort, httpPort } = server;
    const open = async (name: string) => {
      const account = await server!.createAccount(name);
      const connection = await Connection.open({ service: server!.tcpUrl, domain: server!.domain, ...account });
      connections.push(connection);
      return connection;
    };
    const roomJid = await target.createRoom(server, await open('owner'));
    for (const name of ['left', 'right']) {
      const provider = new XmppProvider(new Room(await open(name), { jid: roomJid }), new Y.Doc(), { connect: false });
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
      channelJid: roomJid,
    });
    left.doc.getText('t').insert(0, 'before restart. ');
    await waitForConvergence(providers);
    await inPage.waitForLength(left.doc.getText('t').length);

    const identities = providers.map((provider) => provider.room.participantId);
    await server.stop();
    await inPage.append('page while down. ');
    left.doc.getText('t').insert(0, 'left while down. ');
    right.doc.getText('t').insert(0, 'right while down. ');
    expect(left.unsyncedChanges + right.unsyncedChanges).toBe(2);

    const restarted = providers.map((p) => waitForEmit(p.room.connection as never, 'restarted', () => true, 30_000));
    server = await target.start({ dataDir, c2sPort, httpPort });
    await Promise.all(restarted);
    await waitForConvergence(providers);
    // Everyone is still who they were: XEP-0421 ids survive the restart, so edits made
    // while the server was down still carry their authors' client ids ([YJS4]).
    expect(providers.map((provider) => provider.room.participantId)).toEqual(identities);
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
    // Nothing was lost on the way: a newcomer after the restart reads the same text from the archive.
    const late = new XmppProvider(new Room(await open('late'), { jid: roomJid }), new Y.Doc(), { connect: false });
    providers.push(late);
    await late.connect();
    await waitForDoc(late.doc, () => late.doc.getText('t').length === expectedLength, 30_000);
    expect(late.doc.getText('t').toString()).toBe(text);
  });
});
