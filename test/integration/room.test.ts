import { Room } from '@xsync/core';
import { RoomAccess, type SyncState, watchSyncState } from '@xsync/core/yjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Fixture, createAccount } from '../support/fixtures.js';
import { waitForEmit } from '../support/yjs.js';

const fixture = new Fixture('room');
afterAll(() => fixture.close());

describe('RoomAccess', () => {
  it('shares one session between components with the same settings, and closes it with the last', async () => {
    const { tcpUrl, domain } = inject('server');
    const channel = await fixture.createChannel(await fixture.connect());
    const account = await createAccount('room');
    const settings = {
      service: tcpUrl,
      jid: `${account.username}@${domain}`,
      password: account.password,
      room: channel,
    };
    const [board, editor] = [(await RoomAccess.open(settings))!, (await RoomAccess.open(settings))!];
    const [boardDoc, notes] = [board.provider('whiteboard:board'), editor.provider('editor:notes')];
    expect(notes.room.connection).toBe(boardDoc.room.connection);
    await waitForEmit<boolean>(notes, 'synced', (synced) => synced === true);
    const states: SyncState[] = [];
    const unwatch = watchSyncState(notes, (state) => states.push(state));
    expect(states).toEqual([{ state: 'synced', unsynced: 0 }]);
    await board.close();
    expect(notes.room.connection.status).toBe('online');
    unwatch();
    await editor.close();
    expect(notes.room.connection.status).toBe('offline');
    expect(await RoomAccess.open({ service: tcpUrl })).toBeUndefined();
  });

  it("makes providers on an app's own channel, destroys only those, and leaves the channel", async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const channel = new Room(await fixture.connect(), { jid });
    const room = (await RoomAccess.open({ xmppRoom: channel }))!;
    const provider = room.provider('editor:notes');
    expect(room.provider('editor:notes')).toBe(provider);
    await waitForEmit<boolean>(provider, 'synced', (synced) => synced === true);
    const states: SyncState[] = [];
    const unwatch = watchSyncState(provider, (state) => states.push(state));
    await room.close();
    unwatch();
    // Destroyed: disconnected, and no longer listening to the channel.
    expect(states.at(-1)).toEqual({ state: 'offline', unsynced: 0 });
    expect(channel.connection.status).toBe('online');
    channel.destroy();
  });
});
