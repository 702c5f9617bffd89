import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { xml } from '../../xml/index.js';
import { reasonOf } from '../../testing/reasonOf.js';
import { REMOTE_UPDATE_ORIGIN, yjsUpdate } from './yjsUpdate.js';

const NS = 'urn:xsync:yjs:1';
const element = (text: string) => xml('update', { xmlns: NS }, text);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function sampleUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'a fairly long text so the update has some structure to truncate');
  doc.getMap('m').set('answer', 42);
  doc.getText('t').delete(0, 2);
  return Y.encodeStateAsUpdate(doc);
}

/** Deterministic pseudo-random bytes (LCG), so a failure is reproducible. */
function garbage(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed >> 16;
  }
  return bytes;
}

describe('yjs-update codec', () => {
  it('[YJS1] encodes an update as <update xmlns="urn:xsync:yjs:1"> with base64 text, and decodes it back', () => {
    const update = sampleUpdate();
    const encoded = yjsUpdate.encode(update);
    expect(encoded.name).toBe('update');
    expect(encoded.attrs.xmlns).toBe(NS);
    expect(encoded.children).toEqual([base64(update)]);
    expect(yjsUpdate.decode(encoded)).toEqual(update);
  });

  it('the decoded update rebuilds the document', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, yjsUpdate.decode(yjsUpdate.encode(sampleUpdate())));
    expect(doc.getText('t').toString()).toBe('fairly long text so the update has some structure to truncate');
    expect(doc.getMap('m').get('answer')).toBe(42);
  });

  it.each([
    ['not base64', '%%%not-base64'],
    ['base64 with whitespace', ` ${base64(sampleUpdate())}`],
    ['base64 without padding', 'AAE'],
  ])('refuses %s as invalid-payload', (_, text) => {
    expect(reasonOf(() => yjsUpdate.decode(element(text)))).toBe('invalid-payload');
  });

  it('refuses an empty update as invalid-payload', () => {
    expect(reasonOf(() => yjsUpdate.decode(element('')))).toBe('invalid-payload');
    expect(reasonOf(() => yjsUpdate.decode(xml('update', { xmlns: NS })))).toBe('invalid-payload');
  });

  it('refuses every truncation of a real update as invalid-payload', () => {
    const update = sampleUpdate();
    for (let length = 1; length < update.length; length++) {
      expect(
        reasonOf(() => yjsUpdate.decode(element(base64(update.slice(0, length))))),
        `prefix of ${length} bytes`,
      ).toBe('invalid-payload');
    }
  });

  it('refuses garbage bytes as invalid-payload', () => {
    expect(reasonOf(() => yjsUpdate.decode(element(base64(new Uint8Array(16).fill(0xff)))))).toBe('invalid-payload');
    expect(reasonOf(() => yjsUpdate.decode(element(base64(new TextEncoder().encode('hello world')))))).toBe(
      'invalid-payload',
    );
    for (let seed = 1; seed <= 50; seed++) {
      expect(
        reasonOf(() => yjsUpdate.decode(element(base64(garbage(seed, 48))))),
        `seed ${seed}`,
      ).toBe('invalid-payload');
    }
  });

  it('describes an update by its size', () => {
    expect(yjsUpdate.describe!(new Uint8Array(12))).toBe('[xsync] document edit (12 bytes)');
  });
});

describe('yjs-update reducer', () => {
  const reducer = yjsUpdate.reducer!;

  it('starts from an empty Y.Doc', () => {
    const doc = reducer.init();
    expect(doc).toBeInstanceOf(Y.Doc);
    expect(doc.getText('t').toString()).toBe('');
  });

  it('applies an update to the same doc, with the remote origin', () => {
    const doc = reducer.init();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    expect(reducer.apply(doc, sampleUpdate())).toBe(doc);
    expect(doc.getMap('m').get('answer')).toBe(42);
    expect(origins).toEqual([REMOTE_UPDATE_ORIGIN]);
  });

  it('converges two replicas that receive concurrent edits in different orders', () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    alice.getText('t').insert(0, 'hello');
    const fromAlice = yjsUpdate.decode(yjsUpdate.encode(Y.encodeStateAsUpdate(alice)));
    bob.getText('t').insert(0, 'world');
    bob.getMap('m').set('k', 'bob');
    const fromBob = yjsUpdate.decode(yjsUpdate.encode(Y.encodeStateAsUpdate(bob)));

    const first = reducer.apply(reducer.apply(reducer.init(), fromAlice), fromBob);
    const second = reducer.apply(reducer.apply(reducer.init(), fromBob), fromAlice);
    const text = first.getText('t').toString();
    // Concurrent inserts at the same position are ordered by client id, the same way on both replicas.
    expect(['helloworld', 'worldhello']).toContain(text);
    expect(second.getText('t').toString()).toBe(text);
    expect(second.getMap('m').get('k')).toBe('bob');
    expect(Y.encodeStateVector(first)).toEqual(Y.encodeStateVector(second));
  });

  it('refuses, as a rejection, a decodable update whose item names a parent its client never wrote', () => {
    const source = new Y.Doc();
    source.clientID = 1;
    source.getText('t').insert(0, 'hi');
    const update = Y.encodeStateAsUpdate(source);
    // 1 client, 1 struct, client 1, clock 0, info 4 (string content), parent is a root type (1) named "t", "hi", no deletes
    expect([...update]).toEqual([1, 1, 1, 0, 4, 1, 1, 116, 2, 104, 105, 0]);
    const hostile = update.slice();
    hostile[5] = 0; // the parent is now read as the item id (client 1, clock 116), which does not exist

    const doc = reducer.init();
    doc.getText('t').insert(0, 'kept');
    // Either decode refuses it, or the reducer throws a rejection (EventType contract); never a TypeError.
    const reason = reasonOf(() => reducer.apply(doc, yjsUpdate.decode(element(base64(hostile)))));
    expect(['invalid-payload', 'conflict']).toContain(reason);
    expect(doc.getText('t').toString()).toBe('kept');
  });
});
