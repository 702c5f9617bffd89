import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Room } from '../room/Room.js';
import { LiveLane } from './LiveLane.js';

describe('LiveLane [YP15]', () => {
  let sent: Uint8Array[];
  let sentAt: number[];
  let lane: LiveLane;
  let doc: Y.Doc;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'queueMicrotask'] });
    sent = [];
    sentAt = [];
    const room = {
      broadcast: async (_type: unknown, update: Uint8Array) => {
        sent.push(update);
        sentAt.push(performance.now());
      },
    } as unknown as Room;
    lane = new LiveLane({
      room,
      docName: undefined,
      takeAwareness: () => undefined,
      interval: 15,
      maxInterval: 240,
      onError: (error) => {
        throw error;
      },
    });
    lane.open();
    doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => lane.add(update));
  });
  afterEach(() => {
    lane.close();
    vi.useRealTimers();
  });

  /**
   * One point every `every` ms for `ms`; each message sent meanwhile is echoed `echoMs` after it left,
   * but for every `lose`-th (lost); messages still unechoed at the end never are.
   */
  async function draw(ms: number, echoMs: number, lose = 0, every = 16): Promise<void> {
    let next = sent.length;
    for (let at = 0; at < ms; at += every) {
      doc.getArray('points').push([at]);
      await vi.advanceTimersByTimeAsync(every);
      while (next < sent.length && sentAt[next]! + echoMs <= performance.now()) {
        if (!lose || next % lose !== 0) lane.echoed(sentAt[next]!);
        next++;
      }
    }
  }

  it('keeps the configured interval while echoes come back at once', async () => {
    await draw(2000, 2);
    expect(lane.interval).toBe(15);
    expect(sent.length).toBeGreaterThan(100);
  });

  it('widens the interval while echoes queue up, and narrows it again once they clear', async () => {
    await draw(500, 2);
    await draw(3000, 300);
    expect(lane.interval).toBe(240);
    const congested = sent.length;
    await draw(1000, 300);
    // At most one message per 240 ms: points merge instead of queueing.
    expect(sent.length - congested).toBeLessThanOrEqual(5);
    await draw(5000, 2);
    expect(lane.interval).toBe(15);
    // Nothing drawn was dropped: every point is in some message.
    const replica = new Y.Doc();
    for (const update of sent) Y.applyUpdate(replica, update);
    expect(replica.getArray('points').length).toBe(doc.getArray('points').length);
  });

  it('never holds back changes that come slower than its interval, however late the echoes', async () => {
    await draw(500, 2, 0, 100);
    const before = sent.length;
    await draw(3000, 300, 0, 100);
    expect(lane.interval).toBe(15);
    // Every keystroke left in a message of its own.
    expect(sent.length - before).toBe(30);
  });

  it('is not misled by lost messages', async () => {
    await draw(3000, 2, 3);
    expect(lane.interval).toBe(15);
  });
});
