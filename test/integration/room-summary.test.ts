import { randomBytes } from 'node:crypto';
import { type Connection, Room, jsonPatch } from '@xsync/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Fixture } from '../support/fixtures.js';

// Room.summary as an account outside the rooms reads it: on ejabberd (the `integration`
// project) and on Prosody 13 (`integration-prosody`), MUC rooms on both, MIX on ejabberd.
const fixture = new Fixture('summary');
const owned: Room[] = [];
let owner: Connection;
let outsider: Connection;

beforeAll(async () => {
  [owner, outsider] = await Promise.all([fixture.connect(), fixture.connect()]);
});

afterAll(async () => {
  for (const room of owned.splice(0)) {
    await room.destroyRoom().catch(() => undefined);
    room.destroy();
  }
  await fixture.close();
});

/** A MUC room made by the owner, who stays out of it; destroyed at the end. */
async function mucRoom(prefix: string, access: 'public' | 'private' = 'public'): Promise<string> {
  const name = `summary-${prefix}-${randomBytes(4).toString('hex')}`;
  const jid = await Room.create(owner, inject('server').mucDomain, name, { access, listed: access === 'public' });
  owned.push(new Room(owner, { jid, kind: 'muc' }));
  return jid;
}

describe('Room.summary of MUC rooms, read from outside', () => {
  it('tells who is in a room and when its archive last stored a message; an empty room says so', async () => {
    const [busy, quiet] = await Promise.all([mucRoom('busy'), mucRoom('quiet')]);
    const ada = await fixture.join(busy, 'Ada');
    const before = Date.now();
    await ada.publish(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]);
    const after = Date.now();

    const summary = await Room.summary(outsider, busy);
    expect(summary).toMatchObject({ kind: 'muc', occupants: 1 });
    // ejabberd lists a public room's occupants in disco#items; Prosody 13 lists nobody.
    expect(summary.nicks).toEqual(inject('server').kind === 'ejabberd' ? ['Ada'] : undefined);
    expect(summary.lastActivity).toBeInstanceOf(Date);
    // The archive's stamp, on this machine's clock; whole milliseconds at least.
    expect(summary.lastActivity!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(summary.lastActivity!.getTime()).toBeLessThanOrEqual(after + 1000);

    expect(await Room.summary(outsider, quiet)).toEqual({
      kind: 'muc',
      occupants: 0,
      nicks: [],
      lastActivity: null,
    });

    // Once Ada has left, the room is empty and keeps its last activity.
    await ada.leave();
    expect(await Room.summary(outsider, busy)).toEqual({ ...summary, occupants: 0, nicks: [] });
  });

  it('shows no activity time for a private room whose archive the account may not read', async () => {
    const jid = await mucRoom('private', 'private');
    const member = new Room(owner, { jid, kind: 'muc' });
    await member.join();
    await member.publish(jsonPatch, [{ op: 'add', path: '/secret', value: 1 }]);
    const summary = await Room.summary(outsider, jid);
    expect(summary.lastActivity).toBeUndefined();
    // Its owner reads it.
    expect((await Room.summary(owner, jid)).lastActivity).toBeInstanceOf(Date);
    await member.leave();
    member.destroy();
  });

  it('rejects for a room that does not exist', async () => {
    const missing = `summary-missing-${randomBytes(4).toString('hex')}@${inject('server').mucDomain}`;
    await expect(Room.summary(outsider, missing)).rejects.toMatchObject({ condition: 'item-not-found' });
  });
});

describe.skipIf(inject('server').mixDomain === undefined)('Room.summary of MIX channels', () => {
  it('tells participants and activity to a participant, and neither to anyone else', async () => {
    const jid = await Room.create(owner, inject('server').mixDomain!, `summary-mix-${randomBytes(4).toString('hex')}`);
    const ada = await fixture.join(jid, 'Ada');
    await ada.publish(jsonPatch, [{ op: 'add', path: '/a', value: 1 }]);
    // ejabberd answers the participants node and the archive to participants alone.
    expect(await Room.summary(outsider, jid)).toEqual({
      kind: 'mix',
      occupants: undefined,
      nicks: undefined,
      lastActivity: undefined,
    });
    const inside = await Room.summary(ada.connection, jid);
    expect(inside).toMatchObject({ kind: 'mix', occupants: 1, nicks: ['Ada'] });
    expect(inside.lastActivity).toBeInstanceOf(Date);
    await ada.leave();
  });
});
