import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRegistry } from '../events/builtin.js';
import { yjsUpdate } from '../events/types/yjsUpdate.js';
import { SESSION_BITS, clientIdPrefix, newClientId, ownsClientId } from './clientIds.js';

describe('[YJS4] client ids that name their participant', () => {
  it('gives each participant its own prefix and each session its own id', () => {
    expect(clientIdPrefix('alice')).not.toBe(clientIdPrefix('bob'));
    // SHA-256("alice") begins 2bd806c9: the prefix is its first 32 bits.
    expect(clientIdPrefix('alice')).toBe(0x2bd806c9);
    const first = newClientId('alice', new Set());
    expect(ownsClientId('alice', first)).toBe(true);
    expect(ownsClientId('bob', first)).toBe(false);
    expect(Number.isSafeInteger(first)).toBe(true);
    expect(Math.floor(first / 2 ** SESSION_BITS)).toBe(0x2bd806c9);
  });

  it('never picks an id the document already holds', () => {
    const base = clientIdPrefix('carol') * 2 ** SESSION_BITS;
    const free = base + 12_345;
    expect(newClientId('carol', { has: (client) => client !== free })).toBe(free);
    expect(() => newClientId('carol', { has: () => true })).toThrow(/taken/);
  });

  it("refuses, through the registry, an update whose structs carry another participant's id", () => {
    const registry = createRegistry();
    const doc = new Y.Doc();
    doc.clientID = newClientId('alice', new Set());
    doc.getText('t').insert(0, 'hi');
    const envelope = registry.encode(yjsUpdate, Y.encodeStateAsUpdate(doc));
    expect(registry.decode(envelope, 'alice')).toMatchObject({ ok: true });
    expect(registry.decode(envelope, 'mallory')).toMatchObject({ ok: false, reason: 'impersonation' });
    // Deleting another's text is an edit like any other: a delete set names anyone's items.
    const bob = new Y.Doc();
    bob.clientID = newClientId('bob', new Set());
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(bob);
    bob.getText('t').delete(0, 1);
    const deletion = registry.encode(yjsUpdate, Y.encodeStateAsUpdate(bob, before));
    expect(registry.decode(deletion, 'bob')).toMatchObject({ ok: true });
  });
});
