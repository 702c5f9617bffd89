import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { xml } from '../xml/index.js';
import { createRegistry } from './builtin.js';
import { ChainTracker, canonicalXml, sealOf } from './integrity.js';
import { Replica } from './Replica.js';
import { jsonPatch } from './types/jsonPatch.js';
import type { RoomEvent } from '../room/types.js';

describe('[INT2] seals', () => {
  it('serializes a payload one way, whatever order its attributes came in', () => {
    const a = xml('ops', { xmlns: 'urn:x', b: '2', a: '1 < "3"' }, 'x & y', xml('n', {}));
    const b = xml('ops', { a: '1 < "3"', xmlns: 'urn:x', b: '2' }, 'x ', '& y', xml('n', {}));
    expect(canonicalXml(a)).toBe('<ops a="1 &lt; &quot;3&quot;" b="2" xmlns="urn:x">x &amp; y<n></n></ops>');
    expect(canonicalXml(b)).toBe(canonicalXml(a));
  });

  it('seals chain, place, document and payload together (a conformance vector)', () => {
    const payload = xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, '[{"op":"add","path":"/a","value":1}]');
    const seal = sealOf({ id: 'AAAAAAAAAAAA', seq: 1 }, 'notes', payload);
    const canonical =
      '<patch xmlns="urn:xsync:json-patch:1">[{&quot;op&quot;:&quot;add&quot;,&quot;path&quot;:&quot;/a&quot;,&quot;value&quot;:1}]</patch>';
    expect(canonicalXml(payload)).toBe(canonical);
    // The vector of docs/protocol.md, checked against Node's own SHA-256.
    const expected = createHash('sha256').update(`AAAAAAAAAAAA\n1\nnotes\n${canonical}`).digest().subarray(0, 16);
    expect(seal).toBe(expected.toString('base64url'));
    expect(seal).toBe('tsLYbM2QfJqAhnRTh9v_3A');
    expect(sealOf({ id: 'AAAAAAAAAAAA', seq: 2 }, 'notes', payload)).not.toBe(seal);
    expect(sealOf({ id: 'AAAAAAAAAAAA', seq: 1 }, undefined, payload)).not.toBe(seal);
  });

  it('refuses a changed payload as tampered and malformed chain attributes as malformed', () => {
    const registry = createRegistry();
    const envelope = registry.encode(jsonPatch, [{ op: 'add', path: '/a', value: 1 }], {
      chain: { id: 'c1', seq: 3 },
    });
    expect(registry.decode(envelope)).toMatchObject({ ok: true, chain: { id: 'c1', seq: 3 } });
    const changed = registry.encode(jsonPatch, [{ op: 'add', path: '/a', value: 2 }]);
    changed.attrs = { ...envelope.attrs };
    expect(registry.decode(changed)).toMatchObject({ ok: false, reason: 'tampered' });
    const moved = registry.encode(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]);
    moved.attrs = { ...envelope.attrs, seq: '4' };
    expect(registry.decode(moved)).toMatchObject({ ok: false, reason: 'tampered' });
    for (const attrs of [{ seq: '0' }, { seq: '01' }, { seal: 'short' }, { chain: 'has space' }, { seal: undefined }]) {
      const bad = registry.encode(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]);
      bad.attrs = { ...envelope.attrs, ...attrs };
      expect(registry.decode(bad)).toMatchObject({ ok: false, reason: 'malformed' });
    }
    // Envelopes without a chain are read as before.
    expect(registry.decode(registry.encode(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]))).toMatchObject({
      ok: true,
      chain: undefined,
    });
  });
});

describe('[INT3] chains', () => {
  it('tells new, met again and stored twice apart, and keeps holes until a later event fills them', () => {
    const chains = new ChainTracker(true);
    expect(chains.check({ id: 'c', seq: 1 }, 'a1')).toBe('new');
    expect(chains.check({ id: 'c', seq: 2 }, 'a2')).toBe('new');
    expect(chains.check({ id: 'c', seq: 2 }, 'a2')).toBe('again');
    expect(chains.check({ id: 'c', seq: 2 }, 'a9')).toBe('duplicated');
    // A live copy before the archived ones a catch-up reads: 5 first, then 3.
    expect(chains.check({ id: 'c', seq: 5 }, 'a5')).toBe('new');
    expect(chains.check({ id: 'c', seq: 3 }, 'a3')).toBe('new');
    // Read from the archive's start, a chain must begin at 1.
    expect(chains.check({ id: 'd', seq: 3 }, 'b3')).toBe('new');
    expect(chains.takeGaps()).toEqual([
      { chain: 'c', from: 4, to: 4 },
      { chain: 'd', from: 1, to: 2 },
    ]);
    // Each gap once.
    expect(chains.takeGaps()).toEqual([]);
    // Read from somewhere later, a chain may have begun before, and its earlier places may
    // still come (a live copy first, then the archived ones before it).
    const later = new ChainTracker(false);
    later.check({ id: 'd', seq: 5 }, 'b5');
    expect(later.check({ id: 'd', seq: 2 }, 'b2')).toBe('new');
    expect(later.takeGaps()).toEqual([{ chain: 'd', from: 3, to: 4 }]);
    expect(later.check({ id: 'd', seq: 2 }, 'bX')).toBe('duplicated');
  });

  it('keeps a replica from applying an event the archive holds twice, and reports gaps', () => {
    let id = 10;
    const event = (value: number, seq: number, archiveId = String(id++)): RoomEvent => ({
      type: jsonPatch as RoomEvent['type'],
      payload: [{ op: 'add', path: `/v${value}`, value }],
      doc: undefined,
      archiveId,
      sender: { id: 'p' },
      own: false,
      source: 'history',
      timestamp: undefined,
      chain: { id: 'c', seq },
    });
    const replica = new Replica(jsonPatch, undefined);
    expect(replica.apply(event(1, 1))).toEqual({ applied: true, rebuilt: false });
    expect(replica.apply(event(1, 1))).toEqual({ applied: false, reason: 'duplicated' });
    expect(replica.apply(event(3, 3))).toEqual({ applied: true, rebuilt: false });
    expect(replica.takeGaps()).toEqual([{ chain: 'c', from: 2, to: 2 }]);
    expect(replica.state).toEqual({ v1: 1, v3: 3 });
  });
});
