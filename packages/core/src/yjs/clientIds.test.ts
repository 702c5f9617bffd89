import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRegistry } from '../events/builtin.js';
import { yjsUpdate } from '../events/types/yjsUpdate.js';
import { SESSION_BITS, clientIdPrefix, newClientId, ownsClientId, shareablePart } from './clientIds.js';

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

  it("keeps of an update only the participant's own structs, and every deletion", () => {
    const theirs = new Y.Doc();
    theirs.clientID = newClientId('bob', new Set());
    theirs.getText('t').insert(0, 'bob ');
    const mine = new Y.Doc();
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    mine.clientID = newClientId('alice', mine.store.clients);
    mine.getText('t').insert(4, 'alice');
    mine.getText('t').delete(0, 1);
    // A restored document's whole state, as storage hands it back.
    const whole = Y.encodeStateAsUpdate(mine);
    expect(shareablePart('alice', whole)).not.toBe(whole);
    const part = shareablePart('alice', whole)!;
    expect([...Y.parseUpdateMeta(part).to.keys()]).toEqual([mine.clientID]);
    expect(Y.decodeUpdate(part).ds.clients.has(theirs.clientID)).toBe(true);
    // Applied where Bob's text is, it gives the same document.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(theirs));
    Y.applyUpdate(other, part);
    expect(other.getText('t').toString()).toBe('ob alice');
    // Only Bob's structs and no deletion: nothing to publish; all Alice's: the update itself.
    expect(shareablePart('alice', Y.encodeStateAsUpdate(theirs))).toBeUndefined();
    const alone = new Y.Doc();
    alone.clientID = newClientId('alice', new Set());
    alone.getText('t').insert(0, 'x');
    const own = Y.encodeStateAsUpdate(alone);
    expect(shareablePart('alice', own)).toBe(own);
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
