import { type Room, type RoomEvent, Replica, domOperations, xml, yjsUpdate } from '@xsync/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { type TestPage, openTestPage } from '../support/browser.js';
import { Fixture, collectEvents, createAccount, waitFor } from '../support/fixtures.js';

const fixture = new Fixture('browser');
let testPage: TestPage;
let page: Page;
let channelJid: string;
let nodeClient: Room;
let pageErrors: string[] = [];

beforeAll(async () => {
  testPage = await openTestPage();
  page = testPage.page;
  pageErrors = testPage.errors;
  channelJid = await fixture.createChannel(await fixture.connect());
  nodeClient = await fixture.join(channelJid, 'node');
});
afterAll(async () => {
  await page?.evaluate(() => (window as unknown as { cleanup?: () => Promise<void> }).cleanup?.());
  await testPage?.close();
  await fixture.close();
});

describe('@xsync/core in Chromium over WebSocket', () => {
  it('[TRN2] joins, publishes and receives events in order with a Node client', async () => {
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('page');
    const nodeSees = collectEvents(nodeClient, 1);
    const joined = page.evaluate(
      async ({ wsUrl, domain, account, channelJid }) => {
        const { Connection, Room, Replica, domOperations, yjsUpdate } = window.xsync;
        const connection = await Connection.open({ service: wsUrl, domain, ...account });
        const channel = new Room(connection, { jid: channelJid, nick: 'page' });
        await channel.join();
        const board = new Replica(domOperations, 'board');
        const log: string[] = [];
        const state = window as unknown as Record<string, unknown>;
        state.log = log;
        state.board = board;
        channel.on('event', (event) => {
          log.push(`event:${event.type.name}`);
          board.apply(event);
        });
        channel.on('rejected', (rejection) => log.push(`rejected:${rejection.reason}`));
        state.cleanup = async () => {
          channel.destroy();
          await connection.close();
        };
        // A Yjs update made in the page.
        const { Doc, encodeStateAsUpdate } = window.Y;
        const doc = new Doc();
        doc.clientID = window.xsync.newClientId(channel.participantId!, new Set());
        doc.getText('t').insert(0, 'typed in a browser');
        const published = await channel.publish(yjsUpdate, encodeStateAsUpdate(doc));
        return { participantId: channel.participantId, archiveId: published.archiveId, jid: connection.jid };
      },
      { wsUrl, domain, account, channelJid },
    );
    const result = await joined;
    expect(result.jid).toMatch(new RegExp(`^${account.username}@${domain}/`));
    const [fromPage] = await nodeSees;
    expect(fromPage!.archiveId).toBe(result.archiveId);
    expect(fromPage!.sender.nick).toBe('page');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (fromPage as RoomEvent<Uint8Array>).payload);
    expect(doc.getText('t').toString()).toBe('typed in a browser');
  });

  it('[REJ1] applies valid DOM operations and rejects hostile ones without a page error', async () => {
    await nodeClient.publish(
      domOperations,
      [{ op: 'insert-markup', parent: 'root', id: 's1', markup: '<rect width="5"/>' }],
      {
        doc: 'board',
      },
    );
    await nodeClient.connection.send(
      xml(
        'message',
        { type: 'groupchat', to: channelJid, id: crypto.randomUUID() },
        xml(
          'event',
          { xmlns: 'urn:xsync:1', doc: 'board' },
          xml(
            'ops',
            { xmlns: 'urn:xsync:dom:1' },
            xml('insert-markup', { parent: 'root', id: 'x' }, '<svg onload="alert(1)"/>'),
          ),
        ),
      ),
    );
    const lastSeen = waitFor(nodeClient, 'event', 1);
    await nodeClient.publish(domOperations, [{ op: 'set-attribute', id: 's1', name: 'width', value: '9' }], {
      doc: 'board',
    });
    await lastSeen;
    await page.waitForFunction(() => ((window as unknown as { log: string[] }).log ?? []).length >= 4);
    const { log, board } = await page.evaluate(() => {
      const state = window as unknown as { log: string[]; board: { state: { toString(): string } } };
      return { log: state.log, board: state.board.state.toString() };
    });
    expect(log).toEqual(['event:yjs-update', 'event:dom-ops', 'rejected:forbidden', 'event:dom-ops']);
    expect(board).toBe('<root><rect width="9"/></root>');
    const local = new Replica(domOperations, 'board');
    for (const event of (await nodeClient.history()).events) local.apply(event);
    expect(local.state.toString()).toBe(board);
    expect(pageErrors).toEqual([]);
  });
  it('[SES9] keeps FAST tokens sealed in IndexedDB: the next login takes one round trip', async () => {
    const { wsUrl, domain } = inject('server');
    const account = await createAccount('page-fast');
    const result = await page.evaluate(
      async ({ wsUrl, domain, account }) => {
        const { Connection } = window.xsync;
        const first = await Connection.open({ service: wsUrl, domain, ...account });
        const firstLogin = first.login;
        await first.close();
        const second = await Connection.open({ service: wsUrl, domain, ...account });
        const secondLogin = second.login;
        await second.close();
        // What IndexedDB holds: the sealed record, never the token's text.
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const opening = indexedDB.open('xsync-fast-tokens');
          opening.onsuccess = () => resolve(opening.result);
          opening.onerror = () => reject(opening.error);
        });
        const records = await new Promise<unknown[]>((resolve) => {
          const all = db.transaction('tokens').objectStore('tokens').getAll();
          all.onsuccess = () => resolve(all.result);
        });
        const keys = await new Promise<unknown[]>((resolve) => {
          const all = db.transaction('keys').objectStore('keys').getAll();
          all.onsuccess = () => resolve(all.result);
        });
        db.close();
        const key = keys[0] as CryptoKey;
        return {
          firstLogin,
          secondLogin,
          records: records.length,
          recordFields: Object.keys(records[0] as object).sort(),
          clearText: JSON.stringify(records).includes('HT-SHA-256'),
          keyExtractable: key.extractable,
        };
      },
      { wsUrl, domain, account },
    );
    expect(result.firstLogin).toMatchObject({ profile: 'sasl2', mechanism: 'SCRAM-SHA-1' });
    expect(result.secondLogin).toMatchObject({ profile: 'sasl2', mechanism: 'HT-SHA-256-NONE' });
    // The page has seen the server's features: the login leaves with the stream header (SES11).
    expect(result.secondLogin!.exchanges).toEqual(['stream+authenticate']);
    expect(result.records).toBeGreaterThanOrEqual(1);
    expect(result.recordFields).toEqual(['iv', 'sealed']);
    expect(result.clearText).toBe(false);
    expect(result.keyExtractable).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});

export type { yjsUpdate };
