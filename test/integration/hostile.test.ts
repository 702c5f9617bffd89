import { type Room, Connection, Replica, type RejectedEvent, jsonPatch, xml, yjsUpdate } from '@xsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Fixture, collectEvents, waitFor } from '../support/fixtures.js';
import { docOf } from '../support/yjs.js';

const fixture = new Fixture('hostile');
let channelJid: string;
let attacker: Connection;
let victims: Room[];
let honest: Room;

beforeAll(async () => {
  channelJid = await fixture.createChannel(await fixture.connect());
  const attackerChannel = await fixture.join(channelJid, 'mallory');
  attacker = attackerChannel.connection;
  victims = [await fixture.join(channelJid, 'victim-1'), await fixture.join(channelJid, 'victim-2')];
  honest = await fixture.join(channelJid, 'honest');
});
afterAll(() => fixture.close());

const validUpdate = (() => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'a fairly long text so the update has some structure to truncate');
  return Y.encodeStateAsUpdate(doc);
})();
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const nested = (depth: number): ReturnType<typeof xml> => (depth === 0 ? xml('leaf') : xml('n', {}, nested(depth - 1)));

/** Each hostile payload, with the rejection reason every receiver must report. */
const HOSTILE: Array<[string, ReturnType<typeof xml>, RejectedEvent['reason']]> = [
  ['invalid base64', xml('update', { xmlns: 'urn:xsync:yjs:1' }, '%%%not-base64'), 'invalid-payload'],
  [
    'truncated Yjs update',
    xml('update', { xmlns: 'urn:xsync:yjs:1' }, base64(validUpdate.slice(0, 20))),
    'invalid-payload',
  ],
  // Structs under a client id that is not the sender's: another participant's, or nobody's ([YJS4]).
  [
    'Yjs update under a foreign client id',
    xml('update', { xmlns: 'urn:xsync:yjs:1' }, base64(validUpdate)),
    'impersonation',
  ],
  [
    'prototype pollution',
    xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, '[{"op":"add","path":"/__proto__/polluted","value":1}]'),
    'forbidden',
  ],
  [
    'constructor path',
    xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, '[{"op":"add","path":"/constructor/prototype/x","value":1}]'),
    'forbidden',
  ],
  [
    'entity expansion',
    xml(
      'ops',
      { xmlns: 'urn:xsync:dom:1' },
      xml(
        'insert-markup',
        { parent: 'root', id: 'x' },
        '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>',
      ),
    ),
    'forbidden',
  ],
  ['deeply nested XML', xml('ops', { xmlns: 'urn:xsync:dom:1' }, nested(60)), 'too-deep'],
  [
    'huge payload',
    xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, `[{"op":"add","path":"/a","value":"${'x'.repeat(300 * 1024)}"}]`),
    'oversized',
  ],
  ['unknown type', xml('thing', { xmlns: 'urn:example:unknown:1' }), 'unknown-type'],
];

describe('hostile events', () => {
  it('[REJ1] are rejected with a typed reason by every receiver, and the stream goes on', async () => {
    const rejections = victims.map((victim) => waitFor(victim, 'rejected', HOSTILE.length + 1));
    const valid = victims.map((victim) => collectEvents(victim, 2));
    await honest.publish(jsonPatch, [{ op: 'add', path: '/before', value: 1 }]);
    for (const [, payload] of HOSTILE) {
      await attacker.send(
        xml(
          'message',
          { type: 'groupchat', to: channelJid, id: crypto.randomUUID() },
          xml('event', { xmlns: 'urn:xsync:1' }, payload),
          // Archived, so history holds them too (a MUC room keeps a bodiless message only then).
          xml('store', { xmlns: 'urn:xmpp:hints' }),
        ),
      );
    }
    // An envelope with two payloads.
    await attacker.send(
      xml(
        'message',
        { type: 'groupchat', to: channelJid, id: crypto.randomUUID() },
        xml('event', { xmlns: 'urn:xsync:1' }, xml('a'), xml('b')),
        xml('store', { xmlns: 'urn:xmpp:hints' }),
      ),
    );
    const own = docOf(honest);
    own.getText('t').insert(0, 'honest');
    await honest.publish(yjsUpdate, Y.encodeStateAsUpdate(own));

    const expected = [...HOSTILE.map(([, , reason]) => reason), 'malformed'];
    for (const received of await Promise.all(rejections)) {
      expect(received.map((rejection) => rejection.reason)).toEqual(expected);
      expect(new Set(received.map((rejection) => rejection.sender.nick))).toEqual(new Set(['mallory']));
      expect(received.every((rejection) => (rejection.archiveId ?? '').length > 0)).toBe(true);
    }
    for (const events of await Promise.all(valid)) {
      expect(events.map((event) => event.type.name)).toEqual(['json-patch', 'yjs-update']);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('[REJ2] history reports the same rejections and state is built from valid events only', async () => {
    const history = await victims[0]!.history();
    expect(history.rejected.map((rejection) => rejection.reason)).toContain('forbidden');
    const replica = new Replica(jsonPatch);
    for (const event of history.events) replica.apply(event);
    expect(replica.state).toEqual({ before: 1 });
  });

  it('a patch that cannot apply is refused by the reducer on every replica alike', async () => {
    const replicas = victims.map(() => new Replica(jsonPatch));
    const events = victims.map((victim) => collectEvents(victim, 2));
    await honest.publish(jsonPatch, [{ op: 'add', path: '/ok', value: true }]);
    await honest.publish(jsonPatch, [
      { op: 'add', path: '/x', value: 1 },
      { op: 'remove', path: '/missing' },
    ]);
    const results = (await Promise.all(events)).map((received, i) =>
      received.map((event) => replicas[i]!.apply(event)),
    );
    for (const result of results) expect(result.map((r) => r.applied)).toEqual([true, false]);
    for (const replica of replicas) expect(replica.state).toEqual({ ok: true });
  });
});
