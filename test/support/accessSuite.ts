import {
  type Connection,
  MucJoinError,
  PublishError,
  Room,
  RoomAccessError,
  type RoomCreation,
  type RoomEvent,
  channelInfo,
  jsonPatch,
  yjsUpdate,
} from '@xsync/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type RoomTarget, openConnection } from './roomSuite.js';
import { docOf, waitForEmit } from './yjs.js';

/** A one-character Yjs update of `room`'s participant, valid on both lanes. */
function anUpdate(room: Room): Uint8Array {
  const doc = docOf(room);
  doc.getText('t').insert(0, 'v');
  return Y.encodeStateAsUpdate(doc);
}

/**
 * Access and roles as the server enforces them ([ACC1]–[ACC4]): who enters, who reads the
 * archive, who publishes on either lane, and what ending a room leaves behind.
 */
export function mucAccessSuite(name: string, target: () => RoomTarget & { kind: 'ejabberd' | 'prosody' }): void {
  const connections: Connection[] = [];
  const rooms: Room[] = [];
  afterAll(async () => {
    for (const room of rooms) room.destroy();
    await Promise.all(connections.map((connection) => connection.close()));
  });

  async function connect(prefix: string): Promise<Connection> {
    const connection = await openConnection(target(), prefix);
    connections.push(connection);
    return connection;
  }
  /** A room created by `owner` with `creation`, which the owner then stays in. */
  async function ownedRoom(prefix: string, creation: RoomCreation): Promise<Room> {
    const owner = await connect(`${prefix}-owner`);
    const jid = await Room.create(
      owner,
      target().service,
      `${prefix}-${Math.random().toString(36).slice(2, 10)}`,
      creation,
    );
    return enter(owner, jid);
  }
  async function enter(connection: Connection, jid: string): Promise<Room> {
    const room = new Room(connection, { jid });
    rooms.push(room);
    await room.join();
    return room;
  }

  describe(`access and roles in MUC rooms on ${name}`, () => {
    it('[ACC1] a private room admits its members alone, and shows its archive to them alone', async () => {
      const owner = await ownedRoom('acc-private', { access: 'private' });
      expect(owner.role).toBe('owner');
      await owner.publish(jsonPatch, [{ op: 'add', path: '/secret', value: 1 }]);
      const outsider = await connect('acc-outsider');
      await expect(enter(outsider, owner.jid)).rejects.toMatchObject({ condition: 'registration-required' });
      await expect(new Room(outsider, { jid: owner.jid, kind: 'muc' }).history()).rejects.toMatchObject({
        condition: 'forbidden',
      });
      // Not listed: nobody finds it in the service's directory.
      expect(await Room.list(outsider, target().service)).not.toContain(owner.jid);

      const member = await connect('acc-member');
      await owner.setRole(member.bareJid, 'editor');
      expect(await owner.members()).toEqual(
        expect.arrayContaining([
          { jid: owner.connection.bareJid, role: 'owner' },
          { jid: member.bareJid, role: 'editor' },
        ]),
      );
      const inside = await enter(member, owner.jid);
      expect(inside.role).toBe('editor');
      expect((await inside.history()).events).toHaveLength(1);
      await inside.publish(jsonPatch, [{ op: 'add', path: '/reply', value: 2 }]);

      // A members-only room has no viewers: members edit.
      await expect(owner.setRole(member.bareJid, 'viewer')).rejects.toMatchObject({ condition: 'not-acceptable' });

      // Membership taken away: the room puts the member out at once.
      const removed = waitForEmit<string>(inside as never, 'removed', () => true);
      await owner.setRole(member.bareJid, 'none');
      expect(await removed).toMatch(/321/);
      await expect(inside.join()).rejects.toBeInstanceOf(MucJoinError);
    });

    it("[ACC1] in a members-only room, a member's invitation lets the invitee in", async () => {
      const owner = await ownedRoom('acc-invite', { access: 'members-only' });
      const member = await connect('acc-inviter');
      await owner.setRole(member.bareJid, 'editor');
      const inviter = await enter(member, owner.jid);
      const invitee = await connect('acc-invitee');
      await expect(enter(invitee, owner.jid)).rejects.toMatchObject({ condition: 'registration-required' });
      const invited = new Promise<void>((resolve) =>
        invitee.on('stanza', (stanza) => {
          if (stanza.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChild('invite')) resolve();
        }),
      );
      await inviter.invite(invitee.bareJid);
      await invited;
      const joined = await enter(invitee, owner.jid);
      expect(joined.role).toBe('editor');
    });

    it("[ACC1] in a private room, a member's invitation lets nobody in", async () => {
      const owner = await ownedRoom('acc-no-invite', { access: 'private' });
      const member = await connect('acc-inviter');
      await owner.setRole(member.bareJid, 'editor');
      const inviter = await enter(member, owner.jid);
      const invitee = await connect('acc-invitee');
      await inviter.invite(invitee.bareJid).catch(() => undefined);
      // The owner's next event follows whatever the room did with the invitation.
      await owner.publish(jsonPatch, [{ op: 'add', path: '/after', value: true }]);
      await expect(enter(invitee, owner.jid)).rejects.toMatchObject({ condition: 'registration-required' });
    });

    it('[ACC2] in a public room edited by its members, everyone else views: the server refuses their events on both lanes', async () => {
      const owner = await ownedRoom('acc-viewers', { access: 'public', editors: 'members' });
      const arrived = waitForEmit<{ kind: string }>(
        owner as never,
        'participants',
        (change) => change.kind === 'joined',
      );
      const viewer = await enter(await connect('acc-viewer'), owner.jid);
      await arrived;
      expect(viewer.role).toBe('viewer');
      expect(owner.participants.get(viewer.participantId!)?.role).toBe('viewer');

      const seen: string[] = [];
      owner.on('event', (event: RoomEvent) => seen.push(`durable ${event.type.name}`));
      owner.on('live', (event) => seen.push(`live ${event.type.name}`));
      await expect(viewer.publish(yjsUpdate, anUpdate(viewer))).rejects.toEqual(
        expect.objectContaining({ condition: 'forbidden' }),
      );
      await expect(viewer.publish(yjsUpdate, anUpdate(viewer))).rejects.toBeInstanceOf(PublishError);
      await viewer.broadcast(yjsUpdate, anUpdate(viewer));
      // The owner's own event comes after anything the room relayed before it.
      await owner.publish(jsonPatch, [{ op: 'add', path: '/owner', value: true }]);
      expect(seen).toEqual(['durable json-patch']);
      expect((await owner.history()).events.map((event) => event.type.name)).toEqual(['json-patch']);

      // Made an editor, the same person publishes at once.
      const promoted = waitForEmit<{ kind: string }>(
        viewer as never,
        'participants',
        (change) => change.kind === 'changed',
      );
      await owner.setRole(viewer.connection.bareJid, 'editor');
      await promoted;
      expect(viewer.role).toBe('editor');
      await viewer.publish(yjsUpdate, anUpdate(viewer));
    });

    it('[ACC1] an owner reads how the room is set up, and nobody else does', async () => {
      const modes = [
        { access: 'public', editors: 'everyone', listed: true },
        { access: 'public', editors: 'members', listed: false },
        { access: 'members-only', editors: 'everyone', listed: false },
        { access: 'private', editors: 'everyone', listed: false },
      ] as const;
      for (const mode of modes) {
        const owner = await ownedRoom('acc-settings', mode);
        expect(await owner.settings()).toEqual(mode);
        if (mode.access !== 'public') continue;
        const other = await enter(await connect('acc-settings-other'), owner.jid);
        await expect(other.settings()).rejects.toBeInstanceOf(RoomAccessError);
      }
    });

    it('[ACC2] only an owner changes roles', async () => {
      const owner = await ownedRoom('acc-owners', { access: 'public' });
      const editor = await enter(await connect('acc-editor'), owner.jid);
      const other = await connect('acc-other');
      await expect(editor.setRole(other.bareJid, 'owner')).rejects.toBeInstanceOf(RoomAccessError);
      await expect(editor.destroyRoom()).rejects.toBeInstanceOf(RoomAccessError);
    });

    it('[INFO2] only an owner renames the room, and everyone reads the name from the server', async () => {
      const owner = await ownedRoom('acc-info', { access: 'public' });
      await owner.setInfo({ name: 'Planning', description: 'Weekly planning' });
      const editor = await enter(await connect('acc-renamer'), owner.jid);
      expect(await editor.info()).toEqual({ name: 'Planning', description: 'Weekly planning' });
      await expect(editor.setInfo({ name: 'Hijacked' })).rejects.toMatchObject({
        name: 'RoomAccessError',
        condition: 'forbidden',
      });
      // A channel-info event is an event like any other here: it names nothing.
      await editor.publish(channelInfo, { name: 'Hijacked' });
      expect(await owner.info()).toEqual({ name: 'Planning', description: 'Weekly planning' });
      // The room stays as configured: still archived, still there for its members.
      await owner.setInfo({ name: 'Planning, week 2' });
      expect((await editor.history()).events.map((event) => event.type.name)).toEqual(['channel-info']);
      expect(await editor.info()).toEqual({ name: 'Planning, week 2', description: 'Weekly planning' });
    });

    it('[LIM2] a nick is a JID resource: the server refuses one over 1023 bytes', async () => {
      const owner = await ownedRoom('lim-nick', { access: 'public' });
      const long = new Room(await connect('lim-nick'), { jid: owner.jid, nick: 'n'.repeat(1024) });
      rooms.push(long);
      await expect(long.join()).rejects.toBeInstanceOf(MucJoinError);
    });

    it('[ACC4] destroying a room takes its archive with it', async () => {
      const owner = await ownedRoom('acc-destroy', { access: 'public' });
      const { archiveId } = await owner.publish(jsonPatch, [{ op: 'add', path: '/gone', value: true }]);
      expect(await owner.archiveHolds(archiveId)).toBe(true);
      const occupant = await enter(await connect('acc-occupant'), owner.jid);
      const removed = waitForEmit<string>(occupant as never, 'removed', () => true);
      await owner.destroyRoom('done');
      expect(await removed).toBe('destroyed');
      const name = owner.jid.split('@')[0]!;
      if (target().kind === 'prosody') {
        // Prosody keeps a tombstone: the name cannot be taken again.
        await expect(Room.create(owner.connection, target().service, name)).rejects.toMatchObject({
          condition: 'gone',
        });
      } else {
        // ejabberd: the name makes a new, empty room.
        await Room.create(occupant.connection, target().service, name);
        const again = await enter(occupant.connection, owner.jid);
        expect((await again.history()).events).toEqual([]);
        expect(await again.archiveHolds(archiveId)).toBe(false);
        expect(again.role).toBe('owner');
      }
    });
  });
}
