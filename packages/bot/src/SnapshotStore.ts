import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = Buffer.from('XSYNCSN1');
const DIGEST_BYTES = 32;

/** One document's state in a snapshot. */
export interface SnapshotEntry {
  /** Event type name, e.g. `yjs-update`. */
  type: string;
  doc: string | undefined;
  /** The state in the type's codec (Yjs v2 encoding for Yjs documents). */
  bytes: Uint8Array;
}

/** A channel's compacted state and the archive id it covers. */
export interface RoomSnapshot {
  channel: string;
  /** Every event up to this archive id is in the snapshot. */
  archiveId: string | undefined;
  savedAt: Date;
  entries: SnapshotEntry[];
  /** Documents were refused for want of room, so the entries are not all the channel has. */
  refusedDocuments?: boolean;
}

/** A snapshot file that fails its checks; the channel is rebuilt from the archive instead. */
export class SnapshotCorruptError extends Error {
  override name = 'SnapshotCorruptError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Snapshot ${file} is unusable: ${reason}`);
  }
}

interface Header {
  channel: string;
  archiveId: string | null;
  savedAt: string;
  entries: Array<{ type: string; doc: string | null; length: number }>;
  refusedDocuments?: boolean;
}

/**
 * Snapshots on disk, one file per channel:
 * `XSYNCSN1`, a 4-byte header length, a JSON header, the entries' bytes, and a SHA-256 of
 * everything before it. Files are written to a temporary name, synced and renamed, so a
 * crash leaves the previous snapshot or the new one, never half of one.
 */
export class SnapshotStore {
  constructor(readonly directory: string) {}

  fileOf(channel: string): string {
    return join(this.directory, `${encodeURIComponent(channel)}.snapshot`);
  }

  async save(snapshot: RoomSnapshot): Promise<number> {
    const header: Header = {
      channel: snapshot.channel,
      archiveId: snapshot.archiveId ?? null,
      savedAt: snapshot.savedAt.toISOString(),
      ...(snapshot.refusedDocuments && { refusedDocuments: true }),
      entries: snapshot.entries.map((entry) => ({
        type: entry.type,
        doc: entry.doc ?? null,
        length: entry.bytes.length,
      })),
    };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(headerBytes.length);
    const body = Buffer.concat([MAGIC, length, headerBytes, ...snapshot.entries.map((entry) => entry.bytes)]);
    const file = Buffer.concat([body, createHash('sha256').update(body).digest()]);
    await mkdir(this.directory, { recursive: true });
    const target = this.fileOf(snapshot.channel);
    const temporary = `${target}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(file);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return file.length;
  }

  /** The channel's snapshot; `undefined` if there is none. Throws {@link SnapshotCorruptError}. */
  async load(channel: string): Promise<RoomSnapshot | undefined> {
    const path = this.fileOf(channel);
    let file: Buffer;
    try {
      file = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const corrupt = (reason: string) => new SnapshotCorruptError(path, reason);
    if (file.length < MAGIC.length + 4 + DIGEST_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw corrupt('not a snapshot file');
    }
    const body = file.subarray(0, file.length - DIGEST_BYTES);
    if (!createHash('sha256').update(body).digest().equals(file.subarray(body.length))) {
      throw corrupt('checksum mismatch');
    }
    const headerLength = body.readUInt32BE(MAGIC.length);
    let header: Header;
    try {
      header = JSON.parse(body.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength).toString('utf8')) as Header;
    } catch {
      throw corrupt('unreadable header');
    }
    if (header.channel !== channel) throw corrupt(`written for ${header.channel}`);
    let offset = MAGIC.length + 4 + headerLength;
    const entries = header.entries.map((entry) => {
      const bytes = new Uint8Array(body.subarray(offset, offset + entry.length));
      offset += entry.length;
      return { type: entry.type, doc: entry.doc ?? undefined, bytes };
    });
    if (offset !== body.length) throw corrupt('entry lengths do not match the file');
    return {
      channel,
      archiveId: header.archiveId ?? undefined,
      savedAt: new Date(header.savedAt),
      entries,
      refusedDocuments: header.refusedDocuments === true,
    };
  }

  /** Deletes a room's snapshot, if any. */
  async remove(channel: string): Promise<void> {
    await rm(this.fileOf(channel), { force: true });
  }

  /** Moves an unusable snapshot aside, so it is neither trusted nor lost for inspection. */
  async quarantine(channel: string): Promise<string> {
    const path = this.fileOf(channel);
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside).catch(() => rm(path, { force: true }));
    return aside;
  }
}
