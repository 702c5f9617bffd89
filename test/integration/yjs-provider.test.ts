import { Room, type Connection } from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Fixture, createAccount } from '../support/fixtures.js';
import { sameState, waitForDoc, waitForEmit } from '../support/yjs.js';

const fixture = new Fixture('yjs');
const providers: XmppProvider[] = [];
let channelJid: string;

beforeAll(async () => {
  channelJid = await fixture.createChannel(await fixture.connect());
});
afterAll(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  await fixture.close();
});

/** A provider for `doc` on a new connection, synced. */
async function open(
  doc = new Y.Doc(),
  docName = 'text',
  account?: { username: string; password: string },
): Promise<XmppProvider> {
  const connection: Connection = await fixture.connect(account);
  const channel = new Room(connection, { jid: channelJid });
  const provider = new XmppProvider(channel, doc, { doc: docName, connect: false });
  providers.push(provider);
  await provider.connect();
  expect(provider.synced).toBe(true);
  expect(provider.status).toBe('connected');
  return provider;
}

/** Resolves once the channel acknowledged every local update of the provider. */
const acknowledged = (provider: XmppProvider) =>
  provider.unsyncedChanges === 0 ? Promise.resolve() : waitForEmit<number>(provider, 'unsynced', (n) => n === 0);

const text = (provider: XmppProvider) => provider.doc.getText('t').toString();

describe('XmppProvider', () => {
  it('[YP1] converges two documents through concurrent edits at the same position', async () => {
    const [a, b] = [await open(), await open()];
    a.doc.getText('t').insert(0, 'hello ');
    b.doc.getText('t').insert(0, 'world ');
    for (let i = 0; i < 50; i++) {
      a.doc.getText('t').insert(0, 'a');
      b.doc.getText('t').insert(0, 'b');
    }
    await Promise.all([
      waitForDoc(a.doc, () => text(a).length === 112),
      waitForDoc(b.doc, () => text(b).length === 112),
    ]);
    expect(text(a)).toBe(text(b));
    expect(sameState(a.doc, b.doc, Y)).toBe(true);
    await Promise.all([a, b].map(acknowledged));
    expect(a.unsyncedChanges + b.unsyncedChanges).toBe(0);
  });

  it('[YP3] merges a burst of keystrokes into a few stanzas', async () => {
    const writer = await open(new Y.Doc(), 'burst');
    let stanzas = 0;
    writer.room.connection.xmpp.on('send', (element: { name: string; getChild(name: string): unknown }) => {
      if (element.name === 'message' && element.getChild('event')) stanzas++;
    });
    const reader = await open(new Y.Doc(), 'burst');
    const typed = 'the quick brown fox jumps over the lazy dog '.repeat(5);
    for (const char of typed) writer.doc.getText('t').insert(writer.doc.getText('t').length, char);
    await waitForDoc(reader.doc, () => text(reader) === typed);
    expect(stanzas).toBeGreaterThan(0);
    expect(stanzas).toBeLessThanOrEqual(5);
    expect(typed.length).toBe(220);
  });

  it('[YP2] a late joiner catches up from the archive', async () => {
    const first = await open(new Y.Doc(), 'late');
    first.doc.getText('t').insert(0, 'written before anyone else came');
    await acknowledged(first);
    const late = await open(new Y.Doc(), 'late');
    expect(text(late)).toBe('written before anyone else came');
    expect(late.lastArchiveId).toBeDefined();
  });

  it('[YP4] keeps offline edits and sends them when connected again', async () => {
    const [a, b] = [await open(new Y.Doc(), 'offline'), await open(new Y.Doc(), 'offline')];
    a.disconnect();
    expect(a.status).toBe('disconnected');
    a.doc.getText('t').insert(0, 'offline edit. ');
    b.doc.getText('t').insert(0, 'remote edit. ');
    expect(a.unsyncedChanges).toBe(1);
    await acknowledged(b);
    await a.connect();
    await Promise.all([waitForDoc(a.doc, () => text(a).length === 27), waitForDoc(b.doc, () => text(b).length === 27)]);
    expect(text(a)).toBe(text(b));
    await acknowledged(a);
    expect(a.unsyncedChanges).toBe(0);
  });

  it('[AW3] [YP13] carries awareness on the update stanza that leaves with it', async () => {
    const doc = new Y.Doc();
    const connection = await fixture.connect();
    const stanzas: Array<{ event: boolean; awareness: boolean }> = [];
    let announced: () => void;
    const joinAnnounced = new Promise<void>((resolve) => (announced = resolve));
    connection.xmpp.on('send', (element: { name: string; getChild(name: string): unknown }) => {
      if (element.name !== 'message') return;
      stanzas.push({ event: Boolean(element.getChild('event')), awareness: Boolean(element.getChild('awareness')) });
      if (stanzas.length === 1) announced();
    });
    const writer = new XmppProvider(new Room(connection, { jid: channelJid }), doc, { doc: 'piggyback' });
    providers.push(writer);
    await joinAnnounced; // the awareness sent alone after joining
    writer.awareness.setLocalStateField('cursor', { index: 5 });
    writer.doc.getText('t').insert(0, 'Hello');
    await waitForEmit<number>(writer, 'unsynced', (n) => n === 0);
    expect(stanzas).toEqual([
      { event: false, awareness: true },
      { event: true, awareness: true },
      // With a live lane (MUC), the update went live with the awareness, then was committed alone.
      ...(writer.room.kind === 'muc' ? [{ event: true, awareness: false }] : []),
    ]);
  });

  it('[YP4] sends edits that were saved but never sent, after a reload', async () => {
    // The page comes back as the same person: only they may publish their edits ([YJS4]).
    const account = await createAccount('reload');
    const [writer, reader] = [await open(new Y.Doc(), 'reload', account), await open(new Y.Doc(), 'reload')];
    writer.doc.getText('t').insert(0, 'sent. ');
    await acknowledged(writer);
    writer.disconnect();
    writer.doc.getText('t').insert(6, 'saved offline. ');
    writer.doc.getText('t').delete(0, 2); // deletions of sent text too
    // What y-indexeddb would have stored; then the page goes away with its queue.
    const saved = Y.encodeStateAsUpdate(writer.doc);
    writer.destroy();
    const restored = new Y.Doc();
    Y.applyUpdate(restored, saved);
    const reloaded = await open(restored, 'reload', account);
    await waitForDoc(reader.doc, () => text(reader) === 'nt. saved offline. ');
    expect(text(reloaded)).toBe('nt. saved offline. ');
  });

  it('[YJS4] edits made before the first join cannot be shared, and say so', async () => {
    const connection = await fixture.connect();
    const doc = new Y.Doc();
    const provider = new XmppProvider(new Room(connection, { jid: channelJid }), doc, { doc: 'early', connect: false });
    providers.push(provider);
    expect(provider.identified).toBe(false);
    doc.getText('t').insert(0, 'too early');
    const random = doc.clientID;
    const report = waitForEmit(provider as never, 'integrity', () => true);
    await provider.connect();
    expect(await report).toEqual({ kind: 'unshareable', client: random, changes: 9 });
    expect(provider.identified).toBe(true);
    expect(provider.intact).toBe(false);
    // From the join on, edits go out under the participant's own id and reach everyone; the
    // early ones are left out rather than sent to be refused.
    doc.getText('later').insert(0, 'in time');
    await acknowledged(provider);
    const reader = await open(new Y.Doc(), 'early');
    expect(reader.doc.getText('later').toString()).toBe('in time');
    expect(text(reader)).toBe('');
    expect((await reader.room.history()).rejected).toEqual([]);
  });

  it('[YP5] drops only the awareness states of a participant who leaves the channel', async () => {
    const [a, b, c] = [
      await open(new Y.Doc(), 'leaving'),
      await open(new Y.Doc(), 'leaving'),
      await open(new Y.Doc(), 'leaving'),
    ];
    a.awareness.setLocalStateField('user', { name: 'A' });
    c.awareness.setLocalStateField('user', { name: 'C' });
    const name = (clientID: number) =>
      (b.awareness.getStates().get(clientID) as { user?: { name: string } } | undefined)?.user?.name;
    await waitForEmit(
      b.awareness as never,
      'change',
      () => name(a.doc.clientID) === 'A' && name(c.doc.clientID) === 'C',
    );
    const gone = waitForEmit(b.awareness as never, 'change', () => name(a.doc.clientID) === undefined);
    a.disconnect(); // stops sending, so only the channel's leave notification can remove A
    await a.room.leave();
    await gone;
    expect(name(c.doc.clientID)).toBe('C');
  });

  it('[YP5] shares awareness and drops it when a client leaves', async () => {
    const [a, b] = [await open(new Y.Doc(), 'aware'), await open(new Y.Doc(), 'aware')];
    a.awareness.setLocalStateField('user', { name: 'Alice', color: '#e33' });
    const seen = () => b.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined;
    await waitForEmit(b.awareness as never, 'change', () => seen()?.user?.name === 'Alice');
    a.destroy();
    await waitForEmit(b.awareness as never, 'change', () => seen() === undefined);
    expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
  });
});
