import {
  Room,
  compareArchiveIds,
  type RoomEvent,
  DomState,
  EventRejectedError,
  Replica,
  domOperations,
  jsonPatch,
  xml,
  yjsUpdate,
} from '@xsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Fixture, collectEvents, waitFor } from '../support/fixtures.js';
import { docOf } from '../support/yjs.js';

const fixture = new Fixture('channel');
let channelJid: string;

beforeAll(async () => {
  channelJid = await fixture.createChannel(await fixture.connect());
});
afterAll(() => fixture.close());

describe('a MIX channel carrying events', () => {
  it('[ORD1] [ORD2] delivers every event to every participant; replicas converge on the archive order', async () => {
    const clients = await Promise.all([0, 1, 2, 3].map((i) => fixture.join(channelJid, `client-${i}`)));
    const perClient = 15;
    const received = Promise.all(clients.map((client) => collectEvents(client, perClient * clients.length + 1)));
    await clients[0]!.publish(jsonPatch, [{ op: 'add', path: '/log', value: [] }]);
    // Every client sends its patches back to back, without waiting for reflections.
    await Promise.all(
      clients.flatMap((client, i) =>
        [...Array(perClient).keys()].map((n) =>
          // Each patch depends on the state: the order of application matters.
          client.publish(jsonPatch, [{ op: 'add', path: `/log/-`, value: `c${i}-${n}` }]),
        ),
      ),
    );
    const perReceiver = await received;
    const archiveOrder = perReceiver[0]!.map((event) => event.archiveId).sort(compareArchiveIds);
    expect(new Set(archiveOrder).size).toBe(perClient * clients.length + 1);
    const history = await clients[0]!.history({ after: undefined });
    const historyIds = history.events.map((event) => event.archiveId);
    expect(historyIds.slice(-archiveOrder.length)).toEqual(archiveOrder);
    for (const events of perReceiver) {
      expect([...events.map((event) => event.archiveId)].sort(compareArchiveIds)).toEqual(archiveOrder);
      // [ORD2] events of one sender arrive in the order it sent them, in archive order.
      for (const [i, client] of clients.entries()) {
        const fromClient = events.filter((event) => event.sender.id === client.participantId).slice(i === 0 ? 1 : 0);
        expect(fromClient.map((event) => (event.payload as Array<{ value: string }>)[0]!.value)).toEqual(
          [...Array(perClient).keys()].map((n) => `c${i}-${n}`),
        );
        expect(fromClient.map((event) => event.archiveId)).toEqual(
          [...fromClient.map((e) => e.archiveId)].sort(compareArchiveIds),
        );
      }
    }
    // Whatever order each receiver got, its replica holds the state of the archive order.
    const inArchive = history.events.filter((event) => archiveOrder.includes(event.archiveId));
    const expected = replicaOf(inArchive).state as { log: string[] };
    expect(expected.log).toEqual(
      inArchive.slice(1).map((event) => (event.payload as Array<{ value: string }>)[0]!.value),
    );
    for (const events of perReceiver) expect(replicaOf(events).state).toEqual(expected);
  });

  it('[ECHO1] resolves publish with the archive id and marks the echo as own', async () => {
    const [alice, bob] = [await fixture.join(channelJid, 'alice'), await fixture.join(channelJid, 'bob')];
    const aliceSees = collectEvents(alice, 1);
    const bobSees = collectEvents(bob, 1);
    const published = await alice.publish(yjsUpdate, updateInserting(alice, 'hello'));
    const [own] = await aliceSees;
    const [remote] = await bobSees;
    expect(own!.archiveId).toBe(published.archiveId);
    expect(own!.own).toBe(true);
    expect(remote!.own).toBe(false);
    expect(remote!.archiveId).toBe(published.archiveId);
    expect(remote!.sender.id).toBe(alice.participantId);
    expect(remote!.sender.nick).toBe('alice');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, remote!.payload as Uint8Array);
    expect(doc.getText('t').toString()).toBe('hello');
  });

  it('[ENV3] keeps the doc attribute and carries every built-in type', async () => {
    const [alice, bob] = [await fixture.join(channelJid), await fixture.join(channelJid)];
    const bobSees = collectEvents(bob, 2);
    await alice.publish(
      domOperations,
      [{ op: 'insert-markup', parent: 'root', id: 'g1', markup: '<g><rect x="1"/></g>' }],
      {
        doc: 'board',
      },
    );
    await alice.publish(domOperations, [{ op: 'set-attribute', id: 'g1.0', name: 'x', value: '2' }], { doc: 'board' });
    const events = await bobSees;
    expect(events.map((event: RoomEvent) => event.doc)).toEqual(['board', 'board']);
    const replica = new Replica(domOperations, 'board');
    for (const event of events) expect(replica.apply(event)).toMatchObject({ applied: true });
    expect((replica.state as DomState).toString()).toBe('<root><g><rect x="2"/></g></root>');
  });

  it('[ENV4] sends a fallback body at most once per interval, unless given one', async () => {
    const alice = await fixture.join(channelJid);
    const bob = await fixture.join(channelJid);
    const bodies: Array<string | undefined> = [];
    bob.connection.on('stanza', (stanza) => {
      if (stanza.getChild('event', 'urn:xsync:1')) bodies.push(stanza.getChildText('body') ?? undefined);
    });
    const bobSees = collectEvents(bob, 4);
    await alice.publish(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]);
    await alice.publish(jsonPatch, [{ op: 'add', path: '/b', value: 2 }]);
    await alice.publish(jsonPatch, [{ op: 'add', path: '/c', value: 3 }], { body: 'explicit' });
    await alice.publish(jsonPatch, [{ op: 'add', path: '/d', value: 4 }], { body: false });
    await bobSees;
    expect(bodies).toEqual(['[xsync] data change (1 operations)', undefined, 'explicit', undefined]);
  });

  it('refuses to publish a payload over its type limit, before sending', async () => {
    const alice = await fixture.join(channelJid);
    const huge = new Uint8Array(700 * 1024);
    await expect(alice.publish(yjsUpdate, huge)).rejects.toBeInstanceOf(EventRejectedError);
  });

  it('tracks participants joining and leaving', async () => {
    const watcher = await fixture.join(channelJid, 'watcher');
    const joined = waitFor(watcher, 'participants', 1);
    const visitor = await fixture.join(channelJid, 'visitor');
    const [joinChange] = await joined;
    expect(joinChange).toMatchObject({ kind: 'joined', participant: { id: visitor.participantId, nick: 'visitor' } });
    expect(watcher.participants.get(visitor.participantId!)?.nick).toBe('visitor');
    const visitorId = visitor.participantId!;
    const left = waitFor(watcher, 'participants', 1);
    await visitor.leave();
    expect(await left).toEqual([{ kind: 'left', id: visitorId }]);
    expect(watcher.participants.has(visitorId)).toBe(false);
  });

  it('[LIM2] a nick over 1,023 bytes: xsync does not send one, and shows a raw client that sets one by id alone', async () => {
    await expect(fixture.join(channelJid, 'n'.repeat(1024))).rejects.toBeInstanceOf(RangeError);
    const watcher = await fixture.join(channelJid, 'nick-watcher');
    const joined = waitFor(watcher, 'participants', 1);
    // A client that is not xsync joins with a 900 KB nick, which the channel accepts.
    const raw = await fixture.connect();
    await raw.request(
      xml(
        'iq',
        { type: 'set', to: raw.bareJid },
        xml(
          'client-join',
          { xmlns: 'urn:xmpp:mix:pam:2', channel: channelJid },
          xml(
            'join',
            { xmlns: 'urn:xmpp:mix:core:1' },
            xml('subscribe', { node: 'urn:xmpp:mix:nodes:messages' }),
            xml('nick', {}, 'n'.repeat(900_000)),
          ),
        ),
      ),
    );
    const [change] = await joined;
    expect(change).toMatchObject({ kind: 'joined' });
    const id = (change as { participant: { id: string } }).participant.id;
    expect(watcher.participants.get(id)).toEqual({ id, jid: raw.bareJid });
    // Its events carry the channel's stamp of that nick; receivers leave the nick out.
    const sender = new Room(raw, { jid: channelJid, kind: 'mix' });
    const received = collectEvents(watcher, 1);
    await sender.publish(jsonPatch, [{ op: 'add', path: '/n', value: 1 }]);
    sender.destroy();
    expect((await received)[0]!.sender).toEqual({ id, jid: raw.bareJid });
  });

  it('fails pending publishes when destroyed', async () => {
    const alice = await fixture.join(channelJid);
    const pending = alice.publish(jsonPatch, [{ op: 'add', path: '/x', value: 1 }]);
    alice.destroy();
    await expect(pending).rejects.toMatchObject({ name: 'PublishError', condition: 'closed' });
    await expect(alice.publish(jsonPatch, [{ op: 'add', path: '/x', value: 1 }])).rejects.toMatchObject({
      condition: 'closed',
    });
  });
});

/** A json-patch replica fed `events` in the order given. */
function replicaOf(events: RoomEvent[]): Replica<unknown, unknown> {
  const replica = new Replica(jsonPatch);
  for (const event of events) replica.apply(event);
  return replica as Replica<unknown, unknown>;
}

function updateInserting(room: Room, text: string): Uint8Array {
  const doc = docOf(room);
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

export type { Room };
