import { describe, expect, it } from 'vitest';
import type { ChannelEvent } from '../channel/Channel.js';
import { compareArchiveIds } from '../channel/archiveOrder.js';
import { Replica } from './Replica.js';
import { jsonPatch } from './types/jsonPatch.js';
import { yjsUpdate } from './types/yjsUpdate.js';
import * as Y from 'yjs';

function event<P>(type: ChannelEvent<P>['type'], archiveId: string, payload: P, doc?: string): ChannelEvent {
  return {
    type: type as ChannelEvent['type'],
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
});
