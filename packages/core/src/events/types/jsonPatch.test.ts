import type { Operation } from 'fast-json-patch';
import { afterEach, describe, expect, it } from 'vitest';
import { xml } from '../../xml/index.js';
import { reasonOf } from '../../testing/reasonOf.js';
import { type JsonValue, MAX_JSON_DEPTH, jsonPatch } from './jsonPatch.js';

const element = (text: string) => xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, text);
const decodeText = (text: string) => jsonPatch.decode(element(text));
const reducer = jsonPatch.reducer!;

/** `n` arrays nested in each other. */
const nestedArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

describe('json-patch codec', () => {
  it('[JSON1] encodes operations as JSON text in <patch xmlns="urn:xsync:json-patch:1"> and decodes them back', () => {
    const operations: Operation[] = [
      { op: 'add', path: '/a', value: { b: [1, 'two', null, true] } },
      { op: 'replace', path: '/a/b/0', value: 3 },
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'move', from: '/c', path: '/d' },
      { op: 'test', path: '/d/b/1', value: 'two' },
      { op: 'remove', path: '/d' },
    ];
    const encoded = jsonPatch.encode(operations);
    expect(encoded.name).toBe('patch');
    expect(encoded.attrs.xmlns).toBe('urn:xsync:json-patch:1');
    expect(JSON.parse(encoded.children[0] as string)).toEqual(operations);
    expect(jsonPatch.decode(encoded)).toEqual(operations);
  });

  it.each([
    ['/__proto__/polluted', 'add'],
    ['/a/__proto__', 'add'],
    ['/constructor/prototype/polluted', 'add'],
    ['/constructor', 'replace'],
    ['/a/prototype', 'add'],
    ['/a~0b/__proto__/x', 'add'],
    ['/a~1b/constructor/prototype', 'add'],
  ])('[JSON3] refuses the path %j as forbidden', (path, op) => {
    expect(reasonOf(() => decodeText(JSON.stringify([{ op, path, value: 1 }])))).toBe('forbidden');
  });

  it('[JSON3] refuses a prototype pointer in from as forbidden', () => {
    expect(reasonOf(() => decodeText('[{"op":"copy","from":"/__proto__","path":"/x"}]'))).toBe('forbidden');
    expect(reasonOf(() => decodeText('[{"op":"move","from":"/constructor/prototype","path":"/x"}]'))).toBe('forbidden');
  });

  it('[JSON3] refuses an own "__proto__" key in a value, at any depth, as forbidden', () => {
    const text = '[{"op":"add","path":"/a","value":{"__proto__":{"polluted":1}}}]';
    // JSON.parse makes "__proto__" an own data property, which merging would turn into a prototype.
    expect(Object.keys((JSON.parse(text) as Array<{ value: object }>)[0]!.value)).toEqual(['__proto__']);
    expect(reasonOf(() => decodeText(text))).toBe('forbidden');
    expect(reasonOf(() => decodeText('[{"op":"add","path":"/a","value":[{"x":{"__proto__":{}}}]}]'))).toBe('forbidden');
    expect(reasonOf(() => decodeText('[{"op":"add","path":"/a","value":1,"__proto__":{"polluted":1}}]'))).toBe(
      'forbidden',
    );
  });

  it('[JSON3] reads ~-escaped segments as plain keys, per RFC 6901', () => {
    // "/constructor~1prototype" is the single key "constructor/prototype", not two segments.
    const operations = decodeText(
      '[{"op":"add","path":"/constructor~1prototype","value":1},{"op":"add","path":"/~0","value":2}]',
    );
    expect(reducer.apply({}, operations)).toEqual({ 'constructor/prototype': 1, '~': 2 });
  });

  it(`[JSON2] accepts JSON nested ${MAX_JSON_DEPTH} deep and refuses one more as too-deep`, () => {
    // The patch array is depth 1, the operation object depth 2, so the value may nest 62 more.
    const deepest = decodeText(`[{"op":"add","path":"/a","value":${nestedArrays(MAX_JSON_DEPTH - 2)}}]`);
    expect(deepest).toHaveLength(1);
    expect(reasonOf(() => decodeText(`[{"op":"add","path":"/a","value":${nestedArrays(MAX_JSON_DEPTH - 1)}}]`))).toBe(
      'too-deep',
    );
    expect(reasonOf(() => decodeText(nestedArrays(10_000)))).toBe('too-deep');
  });

  it.each([
    ['not JSON', '[{"op":'],
    ['empty text', ''],
    ['an object, not an array', '{"op":"add","path":"/a","value":1}'],
    ['a string', '"add"'],
    ['an empty array', '[]'],
    ['an operation that is a number', '[1]'],
    ['an operation that is null', '[null]'],
    ['an operation that is an array', '[["add"]]'],
    ['an unknown op', '[{"op":"frobnicate","path":"/a"}]'],
    ['add without value', '[{"op":"add","path":"/a"}]'],
    ['a path not starting with /', '[{"op":"add","path":"a","value":1}]'],
    ['a path that is not a string', '[{"op":"add","path":1,"value":1}]'],
    ['move without from', '[{"op":"move","path":"/a"}]'],
  ])('refuses %s as invalid-payload', (_, text) => {
    expect(reasonOf(() => decodeText(text))).toBe('invalid-payload');
  });

  it('describes a patch by its length', () => {
    expect(jsonPatch.describe!([{ op: 'remove', path: '/a' }])).toBe('[xsync] data change (1 operations)');
  });
});

describe('json-patch reducer', () => {
  it('starts from an empty object and applies patches in order', () => {
    let state: JsonValue = reducer.init();
    expect(state).toEqual({});
    state = reducer.apply(state, [{ op: 'add', path: '/list', value: [] }]);
    state = reducer.apply(state, [
      { op: 'add', path: '/list/-', value: 'a' },
      { op: 'add', path: '/list/0', value: 'b' },
    ]);
    state = reducer.apply(state, [{ op: 'replace', path: '/list/1', value: 'c' }]);
    expect(state).toEqual({ list: ['b', 'c'] });
  });

  it('can replace the whole document', () => {
    expect(reducer.apply({ a: 1 }, [{ op: 'replace', path: '', value: [1, 2] }])).toEqual([1, 2]);
  });

  it.each<[string, Operation]>([
    ['a failing test', { op: 'test', path: '/x', value: 2 }],
    ['removing a missing path', { op: 'remove', path: '/missing' }],
    ['replacing a missing path', { op: 'replace', path: '/missing', value: 1 }],
    ['moving from a missing path', { op: 'move', from: '/missing', path: '/y' }],
    ['adding under a missing parent', { op: 'add', path: '/no/such/parent', value: 1 }],
    ['adding past the end of an array', { op: 'add', path: '/list/5', value: 1 }],
  ])('is atomic: a patch whose second operation is %s is a conflict and leaves the state unchanged', (_, second) => {
    const state: JsonValue = { x: 1, list: ['a'], nested: { keep: true } };
    const before = structuredClone(state);
    const patch: Operation[] = [{ op: 'add', path: '/nested/added', value: 'first op' }, second];
    expect(reasonOf(() => reducer.apply(state, patch))).toBe('conflict');
    expect(state).toEqual(before);
  });

  it('refuses a path through a primitive as a conflict', () => {
    expect(reasonOf(() => reducer.apply({ a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }]))).toBe('conflict');
    expect(reasonOf(() => reducer.apply({ a: null }, [{ op: 'add', path: '/a/b', value: 1 }]))).toBe('conflict');
  });

  it('[JSON3] does not pollute Object.prototype, even when handed a prototype path without decoding', () => {
    expect(() => reducer.apply({}, [{ op: 'add', path: '/__proto__/polluted', value: 1 }])).toThrow();
    expect(() => reducer.apply({}, [{ op: 'add', path: '/constructor/prototype/polluted', value: 1 }])).toThrow();
    // the afterEach hook checks Object.prototype
  });

  it('[JSON3] keeps a "constructor" key in a value as plain data', () => {
    const operations = decodeText('[{"op":"add","path":"/a","value":{"constructor":{"prototype":{"polluted":1}}}}]');
    const state = reducer.apply({}, operations) as { a: object };
    expect(Object.getPrototypeOf(state.a)).toBe(Object.prototype);
    expect(state).toEqual({ a: { constructor: { prototype: { polluted: 1 } } } });
  });
});
