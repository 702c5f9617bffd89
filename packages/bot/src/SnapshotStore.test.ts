import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotCorruptError, SnapshotStore } from './SnapshotStore.js';

describe('SnapshotStore', () => {
  let directory: string;
  let store: SnapshotStore;
  const channel = 'room@mix.example.org';
  const snapshot = {
    channel,
    archiveId: '1795304595960466',
    savedAt: new Date('2026-01-02T03:04:05Z'),
    entries: [
      { type: 'yjs-update', doc: undefined, bytes: new Uint8Array([1, 2, 3]) },
      { type: 'json-patch', doc: 'settings', bytes: new TextEncoder().encode('{"a":1}') },
    ],
    refusedDocuments: true,
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'xsync-snapshots-'));
    store = new SnapshotStore(join(directory, 'snapshots'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('saves and loads a channel snapshot', async () => {
    expect(await store.load(channel)).toBeUndefined();
    await store.save(snapshot);
    expect(await store.load(channel)).toEqual(snapshot);
  });

  it('detects a flipped byte, a truncation, a foreign file and a file of another channel', async () => {
    await store.save(snapshot);
    const file = store.fileOf(channel);
    const good = await readFile(file);
    const flipped = Buffer.from(good);
    flipped[20] = flipped[20]! ^ 1;
    for (const [bytes, reason] of [
      [flipped, /checksum/],
      [good.subarray(0, good.length - 5), /checksum/],
      [Buffer.from('hello world, this is not a snapshot at all'), /not a snapshot/],
    ] as const) {
      await writeFile(file, bytes);
      await expect(store.load(channel)).rejects.toThrow(reason);
      await expect(store.load(channel)).rejects.toBeInstanceOf(SnapshotCorruptError);
    }
    await store.save({ ...snapshot, channel: 'other@mix.example.org' });
    await writeFile(file, await readFile(store.fileOf('other@mix.example.org')));
    await expect(store.load(channel)).rejects.toThrow(/written for other/);
  });

  it('quarantines an unusable snapshot', async () => {
    await store.save(snapshot);
    const aside = await store.quarantine(channel);
    expect(await store.load(channel)).toBeUndefined();
    expect((await readFile(aside)).length).toBeGreaterThan(0);
  });
});
