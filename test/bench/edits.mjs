// The edits every system gets: seeded, so each system sees the same trace, and each one
// exactly one new Yjs item, so (client, clock) names it for latency probes.
import { createHash } from 'node:crypto';
import * as Y from 'yjs';

/** Mulberry32: the same edits for every system from the same seed. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One edit of a kind, as its own transaction: `type` inserts a character at a random place
 * of the shared text, `draw` appends a pointer position to the writer's stroke.
 */
export function edit(doc, kind, rng) {
  if (kind === 'draw') {
    let stroke = doc.getMap('strokes').get(String(doc.clientID));
    if (!stroke) {
      stroke = new Y.Array();
      doc.getMap('strokes').set(String(doc.clientID), stroke);
    }
    stroke.push([[Math.round(rng() * 2000), Math.round(rng() * 1000)]]);
  } else {
    const text = doc.getText('t');
    text.insert(Math.floor(rng() * (text.length + 1)), String.fromCharCode(97 + Math.floor(rng() * 26)));
  }
}

/** The name of the edit `doc` makes next: its client id and clock. */
export const nextEditKey = (doc) => `${doc.clientID}:${Y.getState(doc.store, doc.clientID)}`;

/** What a replica holds, as a digest, for the convergence check. */
export const digestOf = (doc) =>
  createHash('sha1')
    // Sorted: keys are client ids, which past 2^32 are no array indices, so a JS object keeps
    // them in insertion order, which differs between replicas.
    .update(
      JSON.stringify([
        doc.getText('t').toString(),
        [...doc.getMap('strokes').entries()]
          .map(([key, stroke]) => [key, stroke.toJSON()])
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ]),
    )
    .update(Y.encodeStateVector(doc))
    .digest('hex');

/**
 * Calls `onEdit(key)` for every remote edit `doc` applies, as it applies it: `key` as
 * {@link nextEditKey} named it. Returns a function that stops.
 */
export function onRemoteEdits(doc, onEdit) {
  const onTransaction = (transaction) => {
    if (transaction.local) return;
    for (const [id, after] of transaction.afterState) {
      for (let clock = transaction.beforeState.get(id) ?? 0; clock < after; clock++) onEdit(`${id}:${clock}`);
    }
  };
  doc.on('afterTransaction', onTransaction);
  return () => doc.off('afterTransaction', onTransaction);
}

/** Milliseconds on the system-wide monotonic clock: comparable between processes. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
