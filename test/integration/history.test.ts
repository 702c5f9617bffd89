import { Room, type RoomEvent, Replica, jsonPatch } from '@xsync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture } from '../support/fixtures.js';

const fixture = new Fixture('history');
const EVENTS = 130;
const PAGE = 40; // 130 events span 4 pages
let channelJid: string;
let publisher: Room;
let archiveIds: string[];

beforeAll(async () => {
  channelJid = await fixture.createChannel(await fixture.connect());
  publisher = await fixture.join(channelJid, 'publisher');
  archiveIds = [];
  for (let n = 0; n < EVENTS; n++) {
    const { archiveId } = await publisher.publish(jsonPatch, [{ op: 'add', path: `/n${n}`, value: n }]);
    archiveIds.push(archiveId);
  }
});
afterAll(() => fixture.close());

const indexes = (events: RoomEvent[]) => events.map((event) => (event.payload as Array<{ value: number }>)[0]!.value);

describe('history from the channel archive', () => {
  it('[HIST1] pages through the whole archive, every event exactly once, in order', async () => {
    const reader = await fixture.join(channelJid, 'reader');
    const history = await reader.history({ pageSize: PAGE });
    expect(history.pages).toBeGreaterThanOrEqual(3);
    expect(history.events.map((event) => event.archiveId)).toEqual(archiveIds);
    expect(indexes(history.events)).toEqual([...Array(EVENTS).keys()]);
    expect(history.rejected).toEqual([]);
    expect(history.last).toBe(archiveIds.at(-1));
    expect(history.events.every((event) => event.source === 'history' && event.timestamp instanceof Date)).toBe(true);
  });

  it('[HIST2] continues after an archive id', async () => {
    const reader = await fixture.join(channelJid);
    const history = await reader.history({ after: archiveIds[99], pageSize: 12 });
    expect(history.events.map((event) => event.archiveId)).toEqual(archiveIds.slice(100));
    expect(history.pages).toBeGreaterThanOrEqual(3);
  });

  it('[HIST3] reads events before an archive id, and the last N', async () => {
    const reader = await fixture.join(channelJid);
    const before = await reader.history({ before: archiveIds[50], pageSize: PAGE });
    expect(before.events.map((event) => event.archiveId)).toEqual(archiveIds.slice(0, 50));
    const last = await reader.history({ last: 45, pageSize: PAGE });
    expect(last.events.map((event) => event.archiveId)).toEqual(archiveIds.slice(-45));
    const window = await reader.history({ before: archiveIds[80], last: 5 });
    expect(indexes(window.events)).toEqual([75, 76, 77, 78, 79]);
    const limited = await reader.history({ after: archiveIds[9], max: 7, pageSize: 3 });
    expect(indexes(limited.events)).toEqual([10, 11, 12, 13, 14, 15, 16]);
  });

  it('[HIST4] a late joiner rebuilds the same state as a live participant', async () => {
    const live = new Replica(jsonPatch);
    const watcher = await fixture.join(channelJid);
    const more = 5;
    const seen = new Promise<void>((resolve) => {
      let count = 0;
      watcher.on('event', (event) => {
        live.apply(event);
        if (++count === more) resolve();
      });
    });
    const early = await watcher.history();
    for (const event of early.events) live.apply(event);
    for (let n = EVENTS; n < EVENTS + more; n++) {
      await publisher.publish(jsonPatch, [{ op: 'add', path: `/n${n}`, value: n }]);
    }
    await seen;
    const lateJoiner = await fixture.join(channelJid, 'late');
    const replayed = new Replica(jsonPatch);
    for (const event of (await lateJoiner.history()).events) replayed.apply(event);
    expect(replayed.state).toEqual(live.state);
    expect(Object.keys(replayed.state as object)).toHaveLength(EVENTS + more);
  });
});
