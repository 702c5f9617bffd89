import * as Y from 'yjs';

/**
 * How many archived events before a bot's cursor a client reads back to check the bot's
 * answer against the archive ([INT4]): one archive page, read after the client is synced.
 */
export const ANSWER_SAMPLE = 20;

/**
 * How many of `updates`, read from the archive, `doc` does not hold: a struct beyond its
 * state vector, or a deletion it has not made. Zero when the document holds every one.
 */
export function countUnheld(doc: Y.Doc, updates: readonly Uint8Array[]): number {
  if (updates.length === 0) return 0;
  const snapshot = Y.snapshot(doc);
  return updates.filter((update) => !Y.snapshotContainsUpdate(snapshot, update)).length;
}
