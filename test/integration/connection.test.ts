import { Socket } from 'node:net';
import { Room, Connection, type ConnectionStatus, jsonPatch } from '@xsync/core';
import { inject } from 'vitest';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { Fixture, collectEvents, createAccount } from '../support/fixtures.js';

const fixture = new Fixture('connection');
afterAll(() => fixture.close());

describe('Connection', () => {
  it('reports its status and sets TCP_NODELAY on the Node socket', async () => {
    const { tcpUrl, domain } = inject('server');
    const statuses: ConnectionStatus[] = [];
    const account = await createAccount('status');
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const connection = await Connection.open({ service: tcpUrl, domain, ...account, resource: 'test' });
    connection.on('status', (status) => statuses.push(status));
    expect(connection.status).toBe('online');
    expect(connection.jid).toBe(`${account.username}@${domain}/test`); // an asked-for resource is bound exactly
    expect(setNoDelay.mock.contexts).toContain(connection.xmpp.socket);
    expect(setNoDelay).toHaveBeenCalledWith(true);
    setNoDelay.mockRestore();
    await connection.close();
    await connection.close();
    expect(statuses).toEqual(['offline']);
    expect(connection.xmpp.socket).toBeFalsy();
  });

  it('rejects bad credentials with an XMPP SASL error', async () => {
    const { tcpUrl, domain } = inject('server');
    const account = await createAccount('badpass');
    await expect(
      Connection.open({ service: tcpUrl, domain, username: account.username, password: 'wrong', reconnect: false }),
    ).rejects.toMatchObject({ condition: 'not-authorized' });
  });

  it('[SES5] tells the server when nobody is looking (XEP-0352) and keeps delivering events', async () => {
    const watcher = await fixture.connect();
    const jid = await fixture.createChannel(watcher);
    const sent: string[] = [];
    watcher.xmpp.on('send', (element: { name: string; attrs: { xmlns?: string } }) => {
      if (element.attrs.xmlns === 'urn:xmpp:csi:0') sent.push(element.name);
    });
    expect(watcher.csiSupported).toBe(true);
    const watching = new Room(watcher, { jid });
    await watching.join();
    const publisher = new Room(await fixture.connect(), { jid });
    await publisher.join();
    await watcher.setActive(false);
    await watcher.setActive(false);
    const seen = collectEvents(watching, 1);
    const { archiveId } = await publisher.publish(jsonPatch, [{ op: 'add', path: '/hidden', value: true }]);
    await watcher.setActive(true);
    expect((await seen)[0]!.archiveId).toBe(archiveId);
    expect(sent).toEqual(['inactive', 'active']);
    watching.destroy();
    publisher.destroy();
  });

  it('[TRN3] keeps multi-byte characters intact when they span TCP reads', async () => {
    const sender = await fixture.connect();
    const jid = await fixture.createChannel(sender);
    const publishing = new Room(sender, { jid });
    await publishing.join();
    const receiving = new Room(await fixture.connect(), { jid });
    await receiving.join();
    // ~180 KB of 2-, 3- and 4-byte characters: far more than one read, so reads split characters.
    const text = 'ü€😀'.repeat(20_000);
    const seen = collectEvents(receiving, 3);
    for (let i = 0; i < 3; i++) await publishing.publish(jsonPatch, [{ op: 'add', path: '/t', value: text }]);
    for (const event of await seen) expect((event.payload as Array<{ value: string }>)[0]!.value === text).toBe(true);
    publishing.destroy();
    receiving.destroy();
  });

  it('[TRN1] carries events over WebSocket (RFC 7395) between a WebSocket and a TCP client', async () => {
    const { wsUrl, domain } = inject('server');
    const tcpClient = await fixture.connect();
    const jid = await fixture.createChannel(tcpClient);
    const tcpChannel = new Room(tcpClient, { jid });
    await tcpChannel.join();
    const wsClient = await fixture.connect({ service: wsUrl, domain, WebSocket });
    const wsChannel = new Room(wsClient, { jid });
    await wsChannel.join();
    const tcpSees = collectEvents(tcpChannel, 1);
    const published = await wsChannel.publish(jsonPatch, [{ op: 'add', path: '/via', value: 'websocket' }]);
    const [event] = await tcpSees;
    expect(event!.archiveId).toBe(published.archiveId);
    expect(event!.payload).toEqual([{ op: 'add', path: '/via', value: 'websocket' }]);
    tcpChannel.destroy();
    wsChannel.destroy();
  });
});
