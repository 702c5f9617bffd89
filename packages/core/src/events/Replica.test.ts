import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room/Room.js';
import { compareArchiveIds } from '../room/archiveOrder.js';
import { Replica } from './Replica.js';
import { domOperations } from './types/dom/index.js';
import { jsonPatch } from './types/jsonPatch.js';
import { yjsUpdate } from './types/yjsUpdate.js';
import * as Y from 'yjs';

function event<P>(type: RoomEvent<P>['type'], archiveId: string, payload: P, doc?: string): RoomEvent {
  return {
    type: type as RoomEvent['type'],
    payload,
    doc,
    archiveId,
    sender: { id: 'p1' },
    own: false,
    source: 'live',
    timestamp: undefined,
  };
}

const append = (archiveId: string, value: string) =>
  event(jsonPatch, archiveId, [{ op: 'add' as const, path: '/log/-', value }]);
const start = event(jsonPatch, '100', [{ op: 'add' as const, path: '/log', value: [] }]);

describe('compareArchiveIds', () => {
  it('[ORD1] compares decimal ids as numbers and others as strings', () => {
    expect(['1000', '999', '1795304595960623', '1795304595960466'].sort(compareArchiveIds)).toEqual([
      '999',
      '1000',
      '1795304595960466',
      '1795304595960623',
    ]);
    expect(compareArchiveIds('007', '7')).toBe(0);
    expect(['b', 'a', 'c'].sort(compareArchiveIds)).toEqual(['a', 'b', 'c']);
  });
});

describe('Replica', () => {
  it('[ORD2] rebuilds in archive order when an event arrives after later ones', () => {
    const inOrder = new Replica(jsonPatch);
    const shuffled = new Replica(jsonPatch);
    const events = [start, append('101', 'a'), append('102', 'b'), append('103', 'c')];
    for (const e of events) inOrder.apply(e);
    expect(shuffled.apply(events[0]!)).toEqual({ applied: true, rebuilt: false });
    shuffled.apply(events[2]!);
    shuffled.apply(events[3]!);
    expect(shuffled.apply(events[1]!)).toEqual({ applied: true, rebuilt: true });
    expect(shuffled.state).toEqual({ log: ['a', 'b', 'c'] });
    expect(shuffled.state).toEqual(inOrder.state);
    expect(shuffled.rebuilds).toBe(1);
    expect(inOrder.rebuilds).toBe(0);
    expect(shuffled.lastArchiveId).toBe('103');
  });

  it('re-decides conflicts in archive order', () => {
    const replica = new Replica(jsonPatch);
    // Arrives first but comes after the creation of /log in the archive.
    expect(replica.apply(append('101', 'a'))).toMatchObject({ applied: false, reason: 'conflict' });
    expect(replica.apply(start)).toEqual({ applied: true, rebuilt: true });
    expect(replica.state).toEqual({ log: ['a'] });
  });

  it('skips duplicates, other documents and other types', () => {
    const replica = new Replica(jsonPatch, 'notes');
    const inNotes = event(jsonPatch, '1', [{ op: 'add' as const, path: '/x', value: 1 }], 'notes');
    expect(replica.apply(inNotes)).toMatchObject({ applied: true });
    expect(replica.apply(inNotes)).toEqual({ applied: false, reason: 'duplicate' });
    expect(replica.apply(event(jsonPatch, '2', [{ op: 'add' as const, path: '/y', value: 1 }]))).toEqual({
      applied: false,
      reason: 'other-doc',
    });
    expect(replica.apply(event(yjsUpdate, '3', new Uint8Array([0, 0]), 'notes'))).toEqual({
      applied: false,
      reason: 'other-type',
    });
    expect(replica.state).toEqual({ x: 1 });
  });

  it('[ORD3] applies commutative events as they come, without rebuilding', () => {
    const update = (text: string) => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(doc);
    };
    const replica = new Replica(yjsUpdate);
    const doc = replica.state;
    replica.apply(event(yjsUpdate, '200', update('later')));
    expect(replica.apply(event(yjsUpdate, '100', update('earlier')))).toEqual({ applied: true, rebuilt: false });
    expect(replica.state).toBe(doc);
    expect(replica.rebuilds).toBe(0);
    expect(replica.lastArchiveId).toBe('200');
    expect(replica.state.getText('t').length).toBe('laterearlier'.length);
  });

  it('compaction folds settled events into a checkpoint and still rebuilds later ones in order', () => {
    const compacted = new Replica(jsonPatch);
    const reference = new Replica(jsonPatch);
    const events = [start, append('101', 'a'), append('102', 'b'), append('104', 'd'), append('103', 'c')];
    for (const e of events.slice(0, 3)) compacted.apply(e);
    compacted.compact('101');
    expect(compacted.logLength).toBe(1);
    for (const e of events.slice(3)) compacted.apply(e);
    for (const e of events) reference.apply(e);
    expect(compacted.rebuilds).toBe(1);
    expect(compacted.state).toEqual(reference.state);
    // Settled ids are duplicates from then on, though no longer remembered one by one.
    expect(compacted.apply(append('100', 'x'))).toEqual({ applied: false, reason: 'duplicate' });
    expect(compacted.apply(append('101', 'x'))).toEqual({ applied: false, reason: 'duplicate' });
  });

  it('a snapshot covers exactly the events up to the last compaction, and restores', () => {
    const replica = new Replica(jsonPatch);
    for (const e of [start, append('101', 'a'), append('102', 'b')]) replica.apply(e);
    replica.compact('101');
    const snapshot = replica.snapshot();
    expect(snapshot.archiveId).toBe('101');
    const restored = Replica.restore(jsonPatch, undefined, snapshot);
    expect(restored.state).toEqual({ log: ['a'] });
    // The tail after the snapshot brings it level; what the snapshot holds is not applied twice.
    for (const e of [append('101', 'a'), append('102', 'b')]) restored.apply(e);
    expect(restored.state).toEqual(replica.state);
  });

  it('snapshots Yjs documents and DOM trees through their codecs', () => {
    const yjs = new Replica(yjsUpdate);
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    yjs.apply(event(yjsUpdate, '5', Y.encodeStateAsUpdate(doc)));
    yjs.compact('5');
    const yjsRestored = Replica.restore(yjsUpdate, undefined, yjs.snapshot());
    expect(yjsRestored.state.getText('t').toString()).toBe('hello');

    const dom = new Replica(domOperations);
    dom.apply(
      event(domOperations, '7', [
        { op: 'set-attribute' as const, id: 'root', name: 'viewBox', value: '0 0 10 10' },
        { op: 'insert-markup' as const, parent: 'root', id: 'n1', markup: '<g><rect width="3"/>text</g>' },
      ]),
    );
    dom.compact('7');
    const domRestored = Replica.restore(domOperations, undefined, dom.snapshot());
    expect(domRestored.state.toString()).toBe(dom.state.toString());
    expect(domRestored.state.toSpec()).toEqual(dom.state.toSpec());
    // Ids survive: a later operation addresses a node inside the restored tree.
    domRestored.apply(event(domOperations, '8', [{ op: 'set-text' as const, id: 'n1.1', text: 'changed' }]));
    expect(domRestored.state.toString()).toContain('changed');
  });

  it('refuses snapshot bytes a codec did not produce', () => {
    for (const type of [yjsUpdate, jsonPatch, domOperations] as const) {
      expect(() =>
        Replica.restore(type as typeof jsonPatch, undefined, { archiveId: '1', bytes: new Uint8Array([1, 2, 3, 250]) }),
      ).toThrow();
    }
  });
});
