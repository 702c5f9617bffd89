import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { USER_COLORS, announceUser, userOf } from './awarenessUser.js';

describe('awareness users', () => {
  it('announces a name and colour in the format Yjs editors read', () => {
    const awareness = new Awareness(new Y.Doc());
    announceUser(awareness, { name: 'Ada', color: '#b3261e' });
    expect(awareness.getLocalState()).toMatchObject({
      user: { name: 'Ada', color: '#b3261e', colorLight: '#b3261e33' },
    });
    announceUser(awareness, {});
    expect(awareness.getLocalState()?.user).toMatchObject({
      name: 'Anonymous',
      color: USER_COLORS[awareness.clientID % USER_COLORS.length],
    });
    awareness.destroy();
  });

  it("reads others' users defensively", () => {
    expect(userOf({ user: { name: 'Grace', color: '#146c2e' } })).toEqual({ name: 'Grace', color: '#146c2e' });
    expect(userOf({ user: { name: 'x'.repeat(100), color: 'red; background: url(evil)' } })).toEqual({
      name: 'x'.repeat(40),
      color: '#888888',
    });
    expect(userOf({ user: { name: 42 } })).toEqual({ name: 'Anonymous', color: '#888888' });
    expect(userOf({ pointer: { x: 1, y: 2 } })).toBeUndefined();
    expect(userOf(null)).toBeUndefined();
  });
});
