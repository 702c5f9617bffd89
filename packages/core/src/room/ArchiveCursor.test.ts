import { describe, expect, it } from 'vitest';
import { ArchiveCursor, SETTLE_MS } from './ArchiveCursor.js';

describe('ArchiveCursor', () => {
  it('[YP2] trusts live ids only once they have settled', () => {
    let now = 0;
    const cursor = new ArchiveCursor(() => now);
    cursor.caughtUp('100');
    cursor.received('120');
    cursor.received('110'); // arrived out of order: fine, both settle
    expect(cursor.complete).toBe('100');
    now = SETTLE_MS;
    expect(cursor.complete).toBe('120');
  });

  it('[ORD2] forgets unsettled ids when the stream is interrupted', () => {
    let now = 0;
    const cursor = new ArchiveCursor(() => now);
    cursor.received('100');
    now = SETTLE_MS + 1;
    cursor.received('200'); // an event with id 150 may still have been on its way
    cursor.interrupted();
    now = 10 * SETTLE_MS;
    expect(cursor.complete).toBe('100');
  });

  it('never moves backwards and compares ids as numbers', () => {
    const cursor = new ArchiveCursor(() => 0);
    cursor.caughtUp('1000');
    cursor.caughtUp('999');
    expect(cursor.complete).toBe('1000');
    cursor.caughtUp(undefined);
    expect(cursor.complete).toBe('1000');
  });
});
