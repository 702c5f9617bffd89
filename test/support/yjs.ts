import { newClientId } from '@xsync/core';
import * as Y from 'yjs';

/** A document whose edits the participant of `room` may publish: its client id is theirs ([YJS4]). */
export function docOf(room: { participantId: string | undefined }): Y.Doc {
  if (room.participantId === undefined) throw new Error('join the room first');
  const doc = new Y.Doc();
  doc.clientID = newClientId(room.participantId, new Set());
  return doc;
}

/** Resolves once `predicate` holds for the document, checked after every update; rejects at the deadline. */
export function waitForDoc(doc: Y.Doc, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      doc.off('update', check);
      resolve();
    };
    const timer = setTimeout(() => {
      doc.off('update', check);
      reject(new Error(`document condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
    doc.on('update', check);
  });
}

/** Resolves when an observable emits `name` with an argument satisfying `predicate`. */
export function waitForEmit<T>(
  target: {
    on(name: string, listener: (value: T) => void): void;
    off(name: string, listener: (value: T) => void): void;
  },
  name: string,
  predicate: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (value: T) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      target.off(name, listener);
      resolve(value);
    };
    const timer = setTimeout(() => {
      target.off(name, listener);
      reject(new Error(`no matching ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    target.on(name, listener);
  });
}

/** Both documents hold the same content and the same state vector. */
export function sameState(a: Y.Doc, b: Y.Doc, Yjs: typeof Y): boolean {
  const va = Yjs.encodeStateVector(a);
  const vb = Yjs.encodeStateVector(b);
  return va.length === vb.length && va.every((byte, i) => byte === vb[i]);
}
