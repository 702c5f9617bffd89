import { describe, expect, it } from 'vitest';
import { type Element, textOf, xml } from '../xml/index.js';
import { BUILTIN_EVENT_TYPES, createRegistry } from './builtin.js';
import { defineEventType } from './EventType.js';
import { DEFAULT_LIMITS, EventTypeRegistry, MAX_DOC_LENGTH, NS_EVENT, type RefusedEvent } from './registry.js';
import { reject } from './rejection.js';
import { jsonPatch } from './types/jsonPatch.js';

interface StickyNote {
  text: string;
  color: string;
}

/** A plugin event type, as a third party would write it. */
const stickyNote = defineEventType<StickyNote>({
  name: 'sticky-note',
  namespace: 'urn:example:sticky:1',
  element: 'note',
  encode: (note) => xml('note', { xmlns: 'urn:example:sticky:1', color: note.color }, note.text),
  decode(element) {
    const color = element.attrs.color as string | undefined;
    if (!color || !/^#[0-9a-f]{6}$/.test(color)) throw reject('invalid-payload', 'bad color');
    return { text: textOf(element), color };
  },
});

const envelope = (...children: Element[]) => xml('event', { xmlns: NS_EVENT }, ...children);
const note = (attrs: Record<string, string>, ...children: Array<Element | string>) =>
  xml('note', { xmlns: 'urn:example:sticky:1', ...attrs }, ...children);
const nested = (depth: number): Element => (depth === 1 ? xml('n') : xml('n', {}, nested(depth - 1)));

function registryWithSticky(): EventTypeRegistry {
  const registry = createRegistry();
  registry.register(stickyNote);
  return registry;
}

function refused(result: ReturnType<EventTypeRegistry['decode']>): RefusedEvent {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.payload)}`);
  return result;
}

describe('EventTypeRegistry.register', () => {
  it('createRegistry holds the built-in types', () => {
    const registry = createRegistry();
    expect(registry.types().map((type) => type.name)).toEqual(['yjs-update', 'json-patch', 'dom-ops', 'channel-info']);
    expect(registry.types()).toEqual([...BUILTIN_EVENT_TYPES]);
    expect(registry.get('json-patch')).toBe(jsonPatch);
    expect(registry.get('sticky-note')).toBeUndefined();
  });

  it('adds a plugin type with one call', () => {
    const registry = createRegistry();
    expect(registry.register(stickyNote)).toBe(stickyNote);
    expect(registry.get('sticky-note')).toBe(stickyNote);
    expect(registry.types()).toHaveLength(BUILTIN_EVENT_TYPES.length + 1);
  });

  it('refuses a second type with the same name', () => {
    const registry = registryWithSticky();
    const other = { ...stickyNote, element: 'other-note' };
    expect(() => registry.register(other)).toThrow(/sticky-note is already registered/);
    expect(registry.get('sticky-note')).toBe(stickyNote);
  });

  it('refuses a second type with the same namespace and element', () => {
    const registry = registryWithSticky();
    expect(() => registry.register({ ...stickyNote, name: 'sticky-copy' })).toThrow(
      /\{urn:example:sticky:1\}note is already registered/,
    );
    expect(registry.get('sticky-copy')).toBeUndefined();
    const result = registry.decode(envelope(note({ color: '#000000' })));
    expect(result.ok && result.type).toBe(stickyNote);
  });

  it('accepts the same element name in another namespace', () => {
    const registry = registryWithSticky();
    const v2 = registry.register({ ...stickyNote, name: 'sticky-note-2', namespace: 'urn:example:sticky:2' });
    const result = registry.decode(envelope(xml('note', { xmlns: 'urn:example:sticky:2', color: '#123456' }, 'hi')));
    expect(result.ok && result.type).toBe(v2);
  });

  it.each(['Sticky', '1note', '', 'sticky note', 'sticky_note'])('refuses the invalid name %j', (name) => {
    expect(() => new EventTypeRegistry().register({ ...stickyNote, name })).toThrow(TypeError);
  });

  it.each([NS_EVENT, ''])('[ENV1] refuses the namespace %j', (namespace) => {
    expect(() => new EventTypeRegistry().register({ ...stickyNote, namespace })).toThrow(TypeError);
  });
});

describe('EventTypeRegistry.encode', () => {
  it('[ENV1] wraps the payload in <event xmlns="urn:xsync:1"/>, with doc when given', () => {
    const registry = registryWithSticky();
    const element = registry.encode(stickyNote, { text: 'buy milk', color: '#ffcc00' }, { doc: 'board-1' });
    expect(element.toString()).toBe(
      '<event xmlns="urn:xsync:1" doc="board-1"><note xmlns="urn:example:sticky:1" color="#ffcc00">buy milk</note></event>',
    );
    expect(registry.encode(stickyNote, { text: '', color: '#ffcc00' }).attrs).toEqual({ xmlns: NS_EVENT });
  });

  it('refuses a type that is not registered, or a copy of a registered one', () => {
    const registry = registryWithSticky();
    expect(() => createRegistry().encode(stickyNote, { text: 'x', color: '#000000' })).toThrow(/not registered/);
    expect(() => registry.encode({ ...stickyNote }, { text: 'x', color: '#000000' })).toThrow(/not registered/);
  });

  it('refuses an encode function that returns another element', () => {
    const registry = new EventTypeRegistry();
    const wrong = registry.register({ ...stickyNote, encode: () => xml('note', { xmlns: 'urn:example:other' }) });
    expect(() => registry.encode(wrong, { text: 'x', color: '#000000' })).toThrow(
      /must return <note xmlns='urn:example:sticky:1'\/>/,
    );
  });

  it('[LIM1] applies the limits receivers apply', () => {
    const registry = new EventTypeRegistry();
    const small = registry.register({ ...stickyNote, limits: { maxSize: 100 } });
    // 'note' + 'color' + '#000000' = 16 characters before the text (the xmlns declaration does not count)
    expect(() => registry.encode(small, { text: 'x'.repeat(84), color: '#000000' })).not.toThrow();
    expect(() => registry.encode(small, { text: 'x'.repeat(85), color: '#000000' })).toThrow(
      expect.objectContaining({ name: 'EventRejectedError', reason: 'oversized' }),
    );
  });

  it('[ENV3] refuses an invalid doc attribute', () => {
    const registry = registryWithSticky();
    expect(() => registry.encode(stickyNote, { text: 'x', color: '#000000' }, { doc: '' })).toThrow(
      expect.objectContaining({ reason: 'malformed' }),
    );
  });
});

describe('EventTypeRegistry.decode', () => {
  it('round-trips a plugin payload with its doc', () => {
    const registry = registryWithSticky();
    const payload = { text: 'call <Bob> & "Alice"', color: '#00ff00' };
    const result = registry.decode(registry.encode(stickyNote, payload, { doc: 'wall' }));
    expect(result).toEqual({ ok: true, type: stickyNote, payload, doc: 'wall' });
  });

  it('round-trips a built-in payload without doc', () => {
    const registry = createRegistry();
    const patch = [{ op: 'add' as const, path: '/a', value: [1, { b: null }] }];
    const result = registry.decode(registry.encode(jsonPatch, patch));
    expect(result).toEqual({ ok: true, type: jsonPatch, payload: patch, doc: undefined });
  });

  it('runs the plugin decode validation', () => {
    const result = refused(registryWithSticky().decode(envelope(note({ color: 'red' }, 'x'))));
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-payload',
      message: 'bad color',
      payloadName: '{urn:example:sticky:1}note',
    });
  });

  it('refuses an envelope without a payload as malformed (text does not count)', () => {
    const result = refused(createRegistry().decode(xml('event', { xmlns: NS_EVENT }, '  some text  ')));
    expect(result.reason).toBe('malformed');
    expect(result.payloadName).toBeUndefined();
  });

  it('refuses an envelope with two payloads as malformed', () => {
    const registry = registryWithSticky();
    const result = refused(registry.decode(envelope(note({ color: '#000000' }), note({ color: '#000000' }))));
    expect(result.reason).toBe('malformed');
    expect(result.message).toContain('found 2');
  });

  it('refuses an unknown namespace or a payload without namespace as unknown-type', () => {
    const registry = registryWithSticky();
    const unknown = refused(
      registry.decode(envelope(xml('note', { xmlns: 'urn:example:sticky:9', color: '#000000' }))),
    );
    expect(unknown).toMatchObject({ reason: 'unknown-type', payloadName: '{urn:example:sticky:9}note' });
    const bare = refused(registry.decode(envelope(xml('note', { color: '#000000' }))));
    expect(bare).toMatchObject({ reason: 'unknown-type', payloadName: '{}note' });
  });

  it('[LIM1] refuses a payload over the default size limit as oversized', () => {
    const registry = registryWithSticky();
    // 'note' + 'color' + '#000000' + text; the xmlns declaration does not count
    const overhead = 4 + 5 + 7;
    const atLimit = note({ color: '#000000' }, 'x'.repeat(DEFAULT_LIMITS.maxSize - overhead));
    expect(registry.decode(envelope(atLimit)).ok).toBe(true);
    const over = note({ color: '#000000' }, 'x'.repeat(DEFAULT_LIMITS.maxSize - overhead + 1));
    expect(refused(registry.decode(envelope(over))).reason).toBe('oversized');
  });

  it('[LIM1] uses the type limits, merged with the defaults', () => {
    const registry = new EventTypeRegistry();
    registry.register({ ...stickyNote, limits: { maxSize: 100 } });
    expect(refused(registry.decode(envelope(note({ color: '#000000' }, 'x'.repeat(100))))).reason).toBe('oversized');
    // maxDepth still defaults to 8
    expect(registry.decode(envelope(note({ color: '#000000' }, nested(7)))).ok).toBe(true);
    expect(refused(registry.decode(envelope(note({ color: '#000000' }, nested(8))))).reason).toBe('too-deep');
  });

  it('[LIM1] refuses a payload nested deeper than its type allows as too-deep', () => {
    const registry = createRegistry();
    const update = xml('update', { xmlns: 'urn:xsync:yjs:1' }, xml('x'));
    expect(refused(registry.decode(envelope(update))).reason).toBe('too-deep');
  });

  it.each([
    ['empty', ''],
    ['too long', 'd'.repeat(MAX_DOC_LENGTH + 1)],
    ['with a newline', 'a\nb'],
    ['with NUL', 'a\u0000'],
  ])('[ENV3] refuses a doc attribute that is %s as malformed', (_, doc) => {
    const registry = registryWithSticky();
    const result = refused(registry.decode(xml('event', { xmlns: NS_EVENT, doc }, note({ color: '#000000' }))));
    expect(result.reason).toBe('malformed');
  });

  it('[ENV3] accepts a doc attribute of the longest length', () => {
    const doc = 'd'.repeat(MAX_DOC_LENGTH);
    const result = registryWithSticky().decode(xml('event', { xmlns: NS_EVENT, doc }, note({ color: '#000000' })));
    expect(result.ok && result.doc).toBe(doc);
  });

  it('never throws: a codec throwing a plain Error yields invalid-payload', () => {
    const registry = new EventTypeRegistry();
    registry.register({
      ...stickyNote,
      decode: () => {
        throw new Error('codec bug');
      },
    });
    const result = refused(registry.decode(envelope(note({ color: '#000000' }))));
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-payload',
      message: 'Error: codec bug',
      payloadName: '{urn:example:sticky:1}note',
    });
  });

  it('never throws: a codec throwing a non-Error value yields invalid-payload', () => {
    const registry = new EventTypeRegistry();
    registry.register({
      ...stickyNote,
      decode: () => {
        throw 'a string';
      },
    });
    expect(refused(registry.decode(envelope(note({ color: '#000000' })))).reason).toBe('invalid-payload');
  });
});
