import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { reasonOf } from '../testing/reasonOf.js';
import { AWARENESS_LIMITS, decodeAwareness, encodeAwareness } from './awareness.js';

function rawUpdate(entries: Array<[number, number, string]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

const decode = (update: Uint8Array) => decodeAwareness(encodeAwareness(update, 'doc'));

describe('awareness sidecar', () => {
  it('[AW1] round-trips a y-protocols awareness update with its doc', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalStateField('user', { name: 'Alice', color: '#e33' });
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    expect(decode(update)).toEqual({ update, doc: 'doc' });
    awareness.destroy();
  });

  it('[AW2] refuses hostile updates', () => {
    expect(reasonOf(() => decode(rawUpdate([[1, 1, '{"__proto__":{"x":1}}']])))).toBe('forbidden');
    expect(reasonOf(() => decode(rawUpdate([[1, 1, 'not json']])))).toBe('invalid-payload');
    expect(reasonOf(() => decode(rawUpdate([[1, 1, '[1,2]']])))).toBe('invalid-payload');
    expect(reasonOf(() => decode(rawUpdate([[1, 1, `${'{"a":'.repeat(20)}1${'}'.repeat(20)}`]])))).toBe('too-deep');
    const many = [...Array(AWARENESS_LIMITS.maxClients + 1).keys()].map((i): [number, number, string] => [
      i,
      1,
      'null',
    ]);
    expect(reasonOf(() => decode(rawUpdate(many)))).toBe('oversized');
    expect(reasonOf(() => decode(rawUpdate([[1, 1, 'null']]).slice(0, 3)))).toBe('invalid-payload');
    const trailing = new Uint8Array([...rawUpdate([[1, 1, 'null']]), 7]);
    expect(reasonOf(() => decode(trailing))).toBe('invalid-payload');
    expect(reasonOf(() => decode(new Uint8Array(AWARENESS_LIMITS.maxSize)))).toBe('oversized');
    expect(decode(rawUpdate([[1, 2, 'null']])).update).toEqual(rawUpdate([[1, 2, 'null']]));
  });
});
