import {
  Connection,
  EventRejectedError,
  type LiveEvent,
  type RejectedEvent,
  Room,
  type RoomEvent,
  jsonPatch,
  xml,
  yjsUpdate,
} from '@xsync/core';
import { XmppProvider } from '@xsync/core/yjs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dropSocket } from './fixtures.js';
import { sameState, waitForDoc, waitForEmit } from './yjs.js';

/** The server and MUC service a room suite runs against. */
export interface RoomTarget {
  tcpUrl: string;
  domain: string;
  /** MUC service domain, e.g. `muc.localhost`. */
  service: string;
  createAccount(prefix: string): Promise<{ username: string; password: string }>;
}

/** A connection to the target's server for a new account named after `prefix`. */
export async function openConnection(target: RoomTarget, prefix: string): Promise<Connection> {
  const { tcpUrl, domain } = target;
  return Connection.open({ service: tcpUrl, domain, ...(await target.createAccount(prefix)) });
}

/**
 * What a MUC room must do for xsync on every server ([MUC1]–[MUC4], [LANE1], [LANE2], [YP13]):
 * created persistent and archived, occupant ids as identities, a durable lane in the archive
 * and a live lane outside it, and a Yjs provider that converges over both.
 */
export function mucRoomSuite(name: string, target: () => RoomTarget): void {
  const connections: Connection[] = [];
  const rooms: Room[] = [];
  const providers: XmppProvider[] = [];
  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    for (const room of rooms) room.destroy();
    await Promise.all(connections.map((connection) => connection.close()));
  });

  async function connect(prefix: string): Promise<Connection> {
    const connection = await openConnection(target(), prefix);
    connections.push(connection);
    return connection;
  }
  async function createRoom(prefix: string): Promise<string> {
    const connection = await connect(`${prefix}-owner`);
    return Room.create(connection, target().service, `${prefix}-${Math.random().toString(36).slice(2, 10)}`);
  }
  async function join(jid: string, nick: string): Promise<Room> {
    const room = new Room(await connect(nick), { jid, nick });
    rooms.push(room);
    await room.join();
    return room;
  }
  function provider(room: Room, options: ConstructorParameters<typeof XmppProvider>[2] = {}): XmppProvider {
    const made = new XmppProvider(room, new Y.Doc(), { doc: 'shared', ...options });
    providers.push(made);
    return made;
  }
  const synced = (p: XmppProvider) =>
    p.synced ? Promise.resolve() : waitForEmit(p as never, 'synced', (s) => s === true);

  describe(`MUC rooms on ${name}`, () => {
    it('[KIND1] [MUC1] a room is found to be MUC, created persistent and archived, and joined with occupant ids', async () => {
      const jid = await createRoom('muc-create');
      const alice = await join(jid, 'alice');
      expect(alice.kind).toBe('muc');
      expect(alice.participantId).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
      const joined = waitForEmit<unknown>(alice as never, 'participants', () => true);
      const bob = await join(jid, 'bob');
      await joined;
      expect(bob.participantId).not.toBe(alice.participantId);
      for (const room of [alice, bob]) {
        expect([...room.participants.keys()].sort()).toEqual([alice.participantId, bob.participantId].sort());
      }
      // Members see each other's real JIDs: the room was created non-anonymous.
      expect(alice.participants.get(bob.participantId!)?.jid).toBe(bob.connection.bareJid);
      const left = waitForEmit<{ kind: string; id: string }>(
        alice as never,
        'participants',
        (change) => change.kind === 'left',
      );
      const bobId = bob.participantId;
      await bob.leave();
      expect((await left).id).toBe(bobId);
      expect([...alice.participants.keys()]).toEqual([alice.participantId]);
      // The room outlives its occupants, archive included.
      await alice.publish(jsonPatch, [{ op: 'add', path: '/kept', value: true }]);
      await alice.leave();
      expect(await Room.exists(alice.connection, jid)).toBe(true);
      const later = await join(jid, 'carol');
      expect((await later.history()).events.map((event) => event.payload)).toEqual([
        [{ op: 'add', path: '/kept', value: true }],
      ]);
    });

    it('joins asked for at once (two documents on one room) share one entry', async () => {
      const jid = await createRoom('muc-twice');
      const room = new Room(await connect('twice'), { jid, nick: 'twice' });
      rooms.push(room);
      const [first, second] = await Promise.all([room.join(), room.join()]);
      expect(second.participantId).toBe(first.participantId);
      expect(room.participantId).toBe(first.participantId);
    });

    it('[MUC4] two accounts asking for one nick both get in, under different nicks', async () => {
      const jid = await createRoom('muc-nick');
      const first = await join(jid, 'same');
      const second = new Room(await connect('same'), { jid, nick: 'same' });
      rooms.push(second);
      await second.join();
      expect(second.participantId).not.toBe(first.participantId);
      expect(second.participants.get(second.participantId!)?.nick).toMatch(/^same~/);
    });

    it("[LANE1] [MUC2] [MUC3] a durable event is acknowledged with its archive id, seen by all under the sender's occupant id, and archived", async () => {
      const jid = await createRoom('muc-durable');
      const alice = await join(jid, 'alice');
      const bob = await join(jid, 'bob');
      const seen = waitForEmit<RoomEvent>(bob as never, 'event', () => true);
      const published = await alice.publish(jsonPatch, [{ op: 'add', path: '/x', value: 1 }]);
      const event = await seen;
      expect(event.archiveId).toBe(published.archiveId);
      expect(event.sender).toMatchObject({ id: alice.participantId, nick: 'alice', jid: alice.connection.bareJid });
      expect(event.own).toBe(false);
      const history = await bob.history();
      expect(history.events.map((e) => [e.archiveId, e.sender.id])).toEqual([
        [published.archiveId, alice.participantId],
      ]);
    });

    it("[LANE2] a live event reaches everyone, is its sender's own echo, and never enters the archive", async () => {
      const jid = await createRoom('muc-live');
      const alice = await join(jid, 'alice');
      const bob = await join(jid, 'bob');
      const update = Y.encodeStateAsUpdate(new Y.Doc());
      const atBob = waitForEmit<LiveEvent>(bob as never, 'live', () => true);
      const echo = waitForEmit<LiveEvent>(alice as never, 'live', () => true);
      await alice.broadcast(yjsUpdate, update);
      expect(await atBob).toMatchObject({ own: false, sender: { id: alice.participantId } });
      expect((await echo).own).toBe(true);
      // A durable event after it: the archive holds that one alone.
      await alice.publish(jsonPatch, [{ op: 'add', path: '/y', value: 2 }]);
      expect((await bob.history()).events.map((event) => event.type.name)).toEqual(['json-patch']);
    });

    it('[LANE1] a type that rides the durable lane alone is neither sent nor accepted live', async () => {
      const jid = await createRoom('muc-lane');
      const alice = await join(jid, 'alice');
      const bob = await join(jid, 'bob');
      await expect(alice.broadcast(jsonPatch, [])).rejects.toBeInstanceOf(EventRejectedError);
      const refused = waitForEmit<RejectedEvent>(bob as never, 'rejected', () => true);
      // By hand, as a hostile client would: a json-patch with <no-store/>.
      await alice.connection.send(
        xml(
          'message',
          { type: 'groupchat', to: jid, id: 'forged-live' },
          xml('event', { xmlns: 'urn:xsync:1' }, jsonPatch.encode([{ op: 'add', path: '/a', value: 1 }])),
          xml('no-store', { xmlns: 'urn:xmpp:hints' }),
        ),
      );
      expect(await refused).toMatchObject({ reason: 'wrong-lane', lane: 'live', archiveId: undefined });
    });

    it('[MUC3] identity comes from the occupant id the room stamps, never from the message', async () => {
      const jid = await createRoom('muc-forge');
      const alice = await join(jid, 'alice');
      const mallory = await join(jid, 'mallory');
      const seen = waitForEmit<RoomEvent>(alice as never, 'event', () => true);
      await mallory.connection.send(
        xml(
          'message',
          { type: 'groupchat', to: jid, id: 'forged' },
          xml('event', { xmlns: 'urn:xsync:1' }, jsonPatch.encode([{ op: 'add', path: '/a', value: 1 }])),
          xml('occupant-id', { xmlns: 'urn:xmpp:occupant-id:0', id: alice.participantId }),
          xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: jid, id: 'forged-archive-id' }),
          xml('store', { xmlns: 'urn:xmpp:hints' }),
        ),
      );
      const event = await seen;
      expect(event.sender.id).toBe(mallory.participantId);
      expect(event.archiveId).not.toBe('forged-archive-id');
      expect(event.own).toBe(false);
    });

    it('[YP13] providers converge over both lanes and commit far fewer archive rows than updates', async () => {
      const jid = await createRoom('muc-yjs');
      const writer = provider(await join(jid, 'writer'), { commitInterval: 300, commitPause: 100 });
      const reader = provider(await join(jid, 'reader'));
      await Promise.all([synced(writer), synced(reader)]);
      let live = 0;
      reader.room.on('live', () => live++);
      const text = writer.doc.getText('t');
      const started = performance.now();
      for (let i = 0; i < 60; i++) {
        text.insert(text.length, String(i % 10));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const drawing = performance.now() - started;
      await waitForDoc(reader.doc, () => reader.doc.getText('t').length === 60);
      if (writer.unsyncedChanges > 0) await waitForEmit(writer as never, 'unsynced', (count) => count === 0);
      expect(live).toBeGreaterThan(0);
      const rows = (await reader.room.history()).events.length;
      expect(rows).toBeGreaterThan(0);
      // At most one commit per commit interval (300 ms) while the edits go on, and one after.
      expect(rows).toBeLessThanOrEqual(2 + Math.ceil(drawing / 300));
      expect(sameState(writer.doc, reader.doc, Y)).toBe(true);
    });

    it('[YP13] a reader that loses every live message still converges from the durable lane', async () => {
      const jid = await createRoom('muc-lossy');
      const writer = provider(await join(jid, 'writer'));
      const deafRoom = await join(jid, 'deaf');
      // Drop every live-lane message before the room sees it.
      const emit = deafRoom.connection.emit.bind(deafRoom.connection);
      type Stanza = { name: string; getChild(name: string, xmlns: string): unknown };
      (deafRoom.connection as unknown as { emit: (name: string, args: unknown[]) => void }).emit = (name, args) => {
        const stanza = args[0] as Stanza | undefined;
        if (name === 'stanza' && stanza?.name === 'message' && stanza.getChild('no-store', 'urn:xmpp:hints')) return;
        (emit as (name: string, args: unknown[]) => void)(name, args);
      };
      const deaf = provider(deafRoom);
      await Promise.all([synced(writer), synced(deaf)]);
      writer.doc.getText('t').insert(0, 'durable only');
      await waitForDoc(deaf.doc, () => deaf.doc.getText('t').toString() === 'durable only');
      expect(sameState(writer.doc, deaf.doc, Y)).toBe(true);
    });

    /** Two sessions of one account in a room, as two tabs of one person. */
    async function tabsOf(jid: string, nick: string): Promise<Room[]> {
      const { tcpUrl, domain } = target();
      const account = await target().createAccount(nick);
      const tabs: Room[] = [];
      for (let tab = 0; tab < 2; tab++) {
        const connection = await Connection.open({ service: tcpUrl, domain, ...account });
        connections.push(connection);
        const room = new Room(connection, { jid, nick });
        rooms.push(room);
        await room.join();
        tabs.push(room);
      }
      return tabs;
    }

    it('[YP14] a live edit whose commit never comes is committed by another session of its author', async () => {
      const jid = await createRoom('muc-rescue');
      // A tab whose commits would come only after a minute: as good as one that crashed.
      const [writerRoom, witnessRoom] = await tabsOf(jid, 'rescue');
      const writer = provider(writerRoom!, { commitInterval: 60_000, commitPause: 60_000 });
      const witness = provider(witnessRoom!);
      const other = provider(await join(jid, 'other'));
      await Promise.all([synced(writer), synced(witness), synced(other)]);
      writer.doc.getText('t').insert(0, 'seen live only');
      await waitForDoc(witness.doc, () => witness.doc.getText('t').toString() === 'seen live only');
      const rescued = await waitForEmit<RoomEvent>(witnessRoom as never, 'event', (event) => event.own, 10_000);
      expect(rescued.sender.id).toBe(witnessRoom!.participantId);
      // A newcomer reading only the archive has it.
      const late = provider(await join(jid, 'late'));
      await synced(late);
      expect(late.doc.getText('t').toString()).toBe('seen live only');
      expect(writer.unsyncedChanges).toBe(1);
      // Someone else saw it too, but may not publish another participant's structs ([YJS4]).
      expect(await countOwnDurable(other.room, jid)).toBe(0);
    });

    /** Durable events the room's archive holds from `room`'s participant. */
    async function countOwnDurable(room: Room, jid: string): Promise<number> {
      const history = await room.history();
      expect(room.jid).toBe(jid);
      return history.events.filter((event) => event.sender.id === room.participantId).length;
    }

    it("[YJS4] structs under another participant's client id are refused everywhere, and the victim loses nothing", async () => {
      const jid = await createRoom('muc-forge');
      const victim = provider(await join(jid, 'victim'));
      const observer = provider(await join(jid, 'observer'));
      const forgerRoom = await join(jid, 'forger');
      await Promise.all([synced(victim), synced(observer)]);
      victim.doc.getText('t').insert(0, 'a');
      await waitForDoc(observer.doc, () => observer.doc.getText('t').toString() === 'a');
      // The forger writes under the victim's client id at its next clocks, on both lanes.
      const forged = new Y.Doc();
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim.doc));
      forged.clientID = victim.doc.clientID;
      forged.getText('t').insert(1, 'FORGED');
      const update = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(victim.doc));
      const refusals = [
        waitForEmit<{ reason: string; lane: string }>(observer as never, 'rejected', (r) => r.lane === 'durable'),
        waitForEmit<{ reason: string; lane: string }>(observer as never, 'rejected', (r) => r.lane === 'live'),
      ];
      await forgerRoom.publish(yjsUpdate, update, { doc: 'shared' });
      await forgerRoom.broadcast(yjsUpdate, update, { doc: 'shared' });
      for (const refusal of await Promise.all(refusals)) expect(refusal.reason).toBe('impersonation');
      for (let i = 0; i < 60; i++) victim.doc.getText('t').insert(victim.doc.getText('t').length, String(i % 10));
      const expected = victim.doc.getText('t').toString();
      expect(expected).toHaveLength(61);
      await waitForDoc(observer.doc, () => observer.doc.getText('t').toString() === expected);
      await waitForEmit(victim as never, 'unsynced', (count) => count === 0);
      const late = provider(await join(jid, 'late'));
      await synced(late);
      expect(late.doc.getText('t').toString()).toBe(expected);
    });

    it('[AW4] a newcomer sees the people already in the room at once, not when they next move', async () => {
      const jid = await createRoom('muc-aware');
      const still = provider(await join(jid, 'still'));
      await synced(still);
      still.awareness.setLocalStateField('user', { name: 'Still' });
      const newcomer = provider(await join(jid, 'newcomer'));
      // Awareness renews an unchanged state every 15 s: well past this deadline.
      await waitForEmit(
        newcomer.awareness as never,
        'change',
        () => newcomer.awareness.getStates().get(still.awareness.clientID)?.user?.name === 'Still',
        5000,
      );
      // It came on the live lane: the archive holds nothing at all.
      expect((await newcomer.room.history()).last).toBeUndefined();
    });

    it('[AW4] a second tab of someone already in the room sees the others at once too', async () => {
      const jid = await createRoom('muc-aware-tab');
      const other = provider(await join(jid, 'other'));
      await synced(other);
      other.awareness.setLocalStateField('user', { name: 'Other' });
      const { tcpUrl, domain } = target();
      const account = await target().createAccount('tabs');
      const tabs: XmppProvider[] = [];
      for (let tab = 0; tab < 2; tab++) {
        const connection = await Connection.open({ service: tcpUrl, domain, ...account });
        connections.push(connection);
        const room = new Room(connection, { jid, nick: 'tabs' });
        rooms.push(room);
        await room.join();
        tabs.push(provider(room));
      }
      // Same account, same nick, same occupant id: no participant joined, yet the second tab knows nobody.
      expect(tabs[1]!.room.participantId).toBe(tabs[0]!.room.participantId);
      await waitForEmit(
        tabs[1]!.awareness as never,
        'change',
        () => tabs[1]!.awareness.getStates().get(other.awareness.clientID)?.user?.name === 'Other',
        5000,
      );
    });

    it('[MUC4] a new session after a lost one joins the room again and catches up', async () => {
      const jid = await createRoom('muc-session');
      const writer = provider(await join(jid, 'writer'));
      const away = provider(await join(jid, 'away'));
      await Promise.all([synced(writer), synced(away)]);
      const restarted = waitForEmit(away.room.connection as never, 'restarted', () => true);
      dropSocket(away.room.connection, { allowResume: false });
      writer.doc.getText('t').insert(0, 'while away');
      await restarted;
      await waitForDoc(away.doc, () => away.doc.getText('t').toString() === 'while away');
      away.doc.getText('t').insert(0, 'back: ');
      await waitForDoc(writer.doc, () => writer.doc.getText('t').toString() === 'back: while away');
      expect(away.room.participantId).toBeDefined();
    });
  });
}
