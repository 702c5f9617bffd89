import { Awareness } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readUsers } from './presence.js';

describe('readUsers', () => {
  it("reads others' pointers and views as far as they are well formed, and never its own", () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'Me', color: '#0a5dc2' }, pointer: { x: 1, y: 1 } });
    const user = { name: 'Bo', color: '#b3261e' };
    awareness.states.set(11, { user, pointer: { x: 5, y: 6 }, view: { x: 0, y: 0, w: 800, h: 600 }, drawing: true });
    awareness.states.set(12, { user, pointer: { x: '5', y: 6 }, view: { x: 0, y: 0, w: 0, h: 600 } });
    awareness.states.set(13, { user, pointer: { x: 1e12, y: -1e12 }, view: { x: 1, y: 2, w: Number.NaN, h: 1 } });
    awareness.states.set(14, { pointer: { x: 1, y: 1 } });
    const users = readUsers(awareness);
    expect(users.map((found) => found.clientId)).toEqual([awareness.clientID, 11, 12, 13]);
    const [me, good, odd, far] = users;
    expect([me!.pointer, me!.view]).toEqual([undefined, undefined]);
    expect(good).toMatchObject({ pointer: { x: 5, y: 6 }, view: { x: 0, y: 0, w: 800, h: 600 }, drawing: true });
    expect([odd!.pointer, odd!.view, odd!.drawing]).toEqual([undefined, undefined, false]);
    expect(far!.pointer).toEqual({ x: 1_000_000, y: -1_000_000 });
    expect(far!.view).toBeUndefined();
    awareness.destroy();
  });
});
