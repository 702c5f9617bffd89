import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { type EventRejectedError, reject } from '../events/rejection.js';
import { PublishError } from '../room/errors.js';
import { UpdateQueue } from './UpdateQueue.js';

/** Local updates of one document, one per inserted character. */
function keystrokes(text: string): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const char of text) doc.getText('t').insert(doc.getText('t').length, char);
  return { doc, updates };
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

describe('UpdateQueue', () => {
  let sent: Array<{ update: Uint8Array; settle: (ok: boolean) => void }>;
  let counts: number[];
  let queue: UpdateQueue;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    counts = [];
    queue = new UpdateQueue({
      batchInterval: 20,
      maxInFlight: 2,
      send: (update) =>
        new Promise<void>((resolve, reject) =>
          sent.push({ update, settle: (ok) => (ok ? resolve() : reject(new Error('lost'))) }),
        ),
      onCountChange: (count) => counts.push(count),
    });
  });
  afterEach(() => {
    queue.destroy();
    vi.useRealTimers();
  });

  it('[YP3] merges the updates of one batch interval into one', async () => {
    queue.resume();
    const { updates } = keystrokes('hello world');
    for (const update of updates) queue.add(update);
    expect(queue.count).toBe(11);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(1);
    expect(textOf([sent[0]!.update])).toBe('hello world');
    sent[0]!.settle(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.count).toBe(0);
    expect(counts.at(-1)).toBe(0);
  });

  it('counts a change once however many updates it took, until its last update is acknowledged', async () => {
    queue.resume();
    const { updates } = keystrokes('stroke');
    queue.add(updates[0]!);
    for (const update of updates.slice(1, 4)) queue.add(update, true);
    // Sent while the change goes on: the change stays unsaved until its rest is acknowledged.
    await vi.advanceTimersByTimeAsync(20);
    for (const update of updates.slice(4)) queue.add(update, true);
    expect(queue.count).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(2);
    sent[0]!.settle(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.count).toBe(1);
    sent[1]!.settle(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.count).toBe(0);
    expect(counts).toEqual([1, 0]);
  });

  it('[YP3] sends a lone update at once, and holds the next one until the interval has passed', async () => {
    queue.resume();
    const { updates } = keystrokes('abc');
    queue.add(updates[0]!);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    sent[0]!.settle(true);
    await vi.advanceTimersByTimeAsync(5);
    queue.add(updates[1]!);
    queue.add(updates[2]!);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5);
    expect(sent).toHaveLength(2);
    expect(textOf(sent.map((s) => s.update))).toBe('abc');
  });

  it('keeps batches under maxBatchBytes; a larger single update goes alone', async () => {
    queue = new UpdateQueue({
      batchInterval: 20,
      maxInFlight: 10,
      maxBatchBytes: 64,
      send: (update) => new Promise<void>((resolve) => sent.push({ update, settle: () => resolve() })),
      onCountChange: () => undefined,
    });
    queue.resume();
    // Twelve keystrokes, then a paste of 200 characters in the same document.
    const { doc, updates } = keystrokes('x'.repeat(12));
    doc.getText('t').insert(12, 'y'.repeat(200));
    for (const update of updates) queue.add(update);
    await vi.advanceTimersByTimeAsync(200);
    const sizes = sent.map((s) => s.update.length);
    expect(sizes.at(-1)).toBeGreaterThan(64);
    expect(sent.length).toBeGreaterThan(2);
    expect(textOf(sent.map((s) => s.update))).toBe('x'.repeat(12) + 'y'.repeat(200));
  });

  it('drops and reports a batch the channel refuses as too large, and goes on', async () => {
    const refused: Error[] = [];
    let calls = 0;
    queue = new UpdateQueue({
      batchInterval: 20,
      maxInFlight: 2,
      send: () => (++calls === 1 ? Promise.reject(reject('oversized', 'too big')) : Promise.resolve()),
      onCountChange: (count) => counts.push(count),
      onRefused: (error) => refused.push(error),
    });
    queue.resume();
    queue.add(keystrokes('a').updates[0]!);
    await vi.advanceTimersByTimeAsync(0);
    queue.add(keystrokes('b').updates[0]!);
    await vi.advanceTimersByTimeAsync(50);
    expect(refused.map((error) => (error as EventRejectedError).reason)).toEqual(['oversized']);
    expect(calls).toBe(2);
    expect(queue.count).toBe(0);
  });

  it('[ACC2] gives up on a batch the room refuses from this sender (a viewer), and retries one refused for the moment', async () => {
    const refused: Error[] = [];
    const conditions = ['forbidden', 'resource-constraint'];
    let calls = 0;
    queue = new UpdateQueue({
      batchInterval: 20,
      maxInFlight: 1,
      send: () => {
        const condition = conditions[calls++];
        return condition ? Promise.reject(new PublishError(condition, 'id')) : Promise.resolve();
      },
      onCountChange: (count) => counts.push(count),
      onRefused: (error) => refused.push(error),
    });
    queue.resume();
    queue.add(keystrokes('a').updates[0]!);
    await vi.advanceTimersByTimeAsync(100);
    expect(refused.map((error) => (error as PublishError).condition)).toEqual(['forbidden']);
    expect(calls).toBe(1);
    queue.add(keystrokes('b').updates[0]!);
    await vi.advanceTimersByTimeAsync(100);
    // Refused for the moment (a rate limit): sent again, and acknowledged.
    expect(calls).toBe(3);
    expect(queue.count).toBe(0);
  });

  it('merges hundreds of tiny updates in chunks, losing none', async () => {
    queue.resume();
    const text = 'x'.repeat(700);
    for (const update of keystrokes(text).updates) queue.add(update);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(1);
    expect(textOf([sent[0]!.update])).toBe(text);
  });

  it('[YP3] holds batches back while maxInFlight await acknowledgement', async () => {
    queue.resume();
    const { updates } = keystrokes('abcdef');
    for (const [i, update] of updates.entries()) {
      queue.add(update);
      await vi.advanceTimersByTimeAsync(i < 3 ? 20 : 5);
    }
    expect(sent).toHaveLength(2); // 'a' and 'b'; the rest waits
    sent[0]!.settle(true);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(3);
    expect(textOf(sent.map((s) => s.update))).toBe('abcdef');
    expect(queue.count).toBe(5);
  });

  it('[YP4] keeps updates while paused and puts failed batches back', async () => {
    const { updates } = keystrokes('abc');
    for (const update of updates) queue.add(update);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(0);
    queue.resume();
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(1);
    sent[0]!.settle(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(2);
    expect(textOf([sent[1]!.update])).toBe('abc');
    expect(queue.count).toBe(3);
  });

  it('[YP7] resends in-flight batches after a new session and ignores their late outcome', async () => {
    queue.resume();
    for (const update of keystrokes('ab').updates) queue.add(update);
    await vi.advanceTimersByTimeAsync(20);
    queue.retryInFlight();
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(2);
    sent[0]!.settle(true); // the abandoned one: must not count
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.count).toBe(2);
    sent[1]!.settle(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.count).toBe(0);
  });
});
