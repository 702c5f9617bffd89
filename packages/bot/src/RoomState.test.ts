import {
  type RoomEvent,
  type EventType,
  channelInfo,
  createRegistry,
  domOperations,
  jsonPatch,
  xml,
  yjsUpdate,
} from '@xsync/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomState } from './RoomState.js';
import { exportDocument } from './exportDocument.js';

let nextId = 100;
function event<P>(type: EventType<P, unknown>, payload: P, doc?: string): RoomEvent {
  return {
    type: type as RoomEvent['type'],
    payload,
    doc,
    archiveId: String(nextId++),
    sender: { id: 'p1' },
    own: false,
    source: 'live',
    timestamp: undefined,
  };
}

function textUpdate(text: string, root = 'content'): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(root).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('RoomState', () => {
  it('keeps one replica per type and document, up to maxDocuments', () => {
    const state = new RoomState(createRegistry(), 2);
    expect(state.apply(event(yjsUpdate, textUpdate('a'), 'one'))).toMatchObject({ applied: true });
    expect(state.apply(event(jsonPatch, [{ op: 'add', path: '/x', value: 1 }], 'one'))).toMatchObject({
      applied: true,
    });
    expect(state.apply(event(yjsUpdate, textUpdate('b'), 'two'))).toEqual({
      applied: false,
      reason: 'too-many-documents',
    });
    // Existing documents still take events.
    expect(state.apply(event(yjsUpdate, textUpdate('c'), 'one'))).toMatchObject({ applied: true });
    expect(state.size).toBe(2);
  });

  it('tells a document it never heard of from one it refused ([CU5])', () => {
    const registry = createRegistry();
    const state = new RoomState(registry, 1);
    expect(state.knows(yjsUpdate.name, 'new')).toBe('empty');
    state.apply(event(yjsUpdate, textUpdate('a'), 'one'));
    expect(state.knows(yjsUpdate.name, 'one')).toBe('held');
    expect(state.knows(yjsUpdate.name, 'new')).toBe('empty');
    state.apply(event(yjsUpdate, textUpdate('b'), 'two'));
    // Once one was refused, an absent document may hold events the state never kept.
    expect(state.knows(yjsUpdate.name, 'two')).toBe('unknown');
    expect(state.knows(yjsUpdate.name, 'new')).toBe('unknown');
    // A snapshot remembers it, even when restored with room to spare.
    const restored = RoomState.restore(registry, 10, '1', state.snapshot()!, state.refusedDocuments);
    expect(restored.knows(yjsUpdate.name, 'new')).toBe('unknown');
  });

  it('restores a snapshot holding an update whose dependency never came, and applies it when it does', () => {
    const registry = createRegistry();
    const author = new Y.Doc();
    author.getText('content').insert(0, 'first ');
    const first = Y.encodeStateAsUpdate(author);
    const before = Y.encodeStateVector(author);
    author.getText('content').insert(6, 'second');
    const second = Y.encodeStateAsUpdate(author, before);
    const state = new RoomState(registry, 10);
    expect(state.apply(event(yjsUpdate, second))).toMatchObject({ applied: true });
    expect(state.yjsDoc(undefined)!.store.pendingStructs).not.toBeNull();
    const settled = String(nextId - 1);
    state.compact(settled);
    const restored = RoomState.restore(registry, 10, settled, state.snapshot()!);
    expect(restored.yjsDoc(undefined)!.getText('content').toString()).toBe('');
    restored.apply(event(yjsUpdate, first));
    expect(restored.yjsDoc(undefined)!.getText('content').toString()).toBe('first second');
  });

  it('restores every document from its snapshot entries', () => {
    const registry = createRegistry();
    const state = new RoomState(registry, 10);
    state.apply(event(yjsUpdate, textUpdate('hello')));
    state.apply(event(jsonPatch, [{ op: 'add', path: '/theme', value: 'dark' }], 'settings'));
    state.apply(event(domOperations, [{ op: 'insert-markup', parent: 'root', id: 'n', markup: '<svg/>' }], 'board'));
    state.apply(event(channelInfo, { name: 'Room' }));
    state.compact(String(nextId));
    const restored = RoomState.restore(registry, 10, String(nextId), state.snapshot()!);
    for (const [format, doc] of [
      ['text', undefined],
      ['json', 'settings'],
      ['xml', 'board'],
    ] as const) {
      expect(exportDocument(restored, { format, ...(doc && { doc }) })).toBe(
        exportDocument(state, { format, ...(doc && { doc }) }),
      );
    }
    expect(exportDocument(restored, { format: 'json', type: 'channel-info' })).toContain('"name": "Room"');
  });

  it("makes no snapshot while a document's type has no state codec", () => {
    const registry = createRegistry();
    const counter = registry.register({
      name: 'counter',
      namespace: 'urn:example:counter:1',
      element: 'add',
      encode: () => xml('add', { xmlns: 'urn:example:counter:1' }),
      decode: () => 1,
      reducer: { init: () => 0, apply: (total: number, n: number) => total + n },
    });
    const state = new RoomState(registry, 10);
    state.apply(event(yjsUpdate, textUpdate('a')));
    expect(state.snapshot()).toHaveLength(1);
    state.apply(event(counter, 1));
    expect(state.snapshot()).toBeUndefined();
  });

  it('refuses snapshot entries of unknown types', () => {
    expect(() =>
      RoomState.restore(createRegistry(), 10, '1', [{ type: 'sticky-note', doc: undefined, bytes: new Uint8Array() }]),
    ).toThrow(/unknown event type sticky-note/);
  });
});

describe('exportDocument', () => {
  it('exports Yjs documents as JSON, text and SVG, and says when a format does not fit', () => {
    const state = new RoomState(createRegistry(), 10);
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'notes');
    doc.getMap('meta').set('title', 'T');
    const svg = new Y.XmlElement('svg');
    doc.getXmlFragment('drawing').insert(0, [svg]);
    state.apply(event(yjsUpdate, Y.encodeStateAsUpdate(doc)));
    expect(JSON.parse(exportDocument(state, { format: 'json' }))).toEqual({
      content: 'notes',
      meta: { title: 'T' },
      drawing: '<svg></svg>',
    });
    expect(exportDocument(state, { format: 'text' })).toBe('notes');
    expect(exportDocument(state, { format: 'svg' })).toBe('<svg></svg>\n');
    expect(() => exportDocument(state, { format: 'text', root: 'meta' })).toThrow(/no text root named meta/);
    expect(() => exportDocument(state, { format: 'json', doc: 'missing' })).toThrow(/no document missing/);
  });
});
