import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { countUnheld } from './answerCheck.js';

/** The updates a document emits while `edit` runs, one per transaction. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array) => updates.push(update);
  doc.on('update', collect);
  edit();
  doc.off('update', collect);
  return updates;
}

describe('countUnheld (INT4)', () => {
  it('counts the archived updates a document lacks: inserts and deletions alike', () => {
    const source = new Y.Doc();
    const text = source.getText('t');
    const [insert, more, removal] = updatesOf(source, () => {
      text.insert(0, 'hello');
      text.insert(5, ' world');
      text.delete(0, 1);
    });
    const full = new Y.Doc();
    Y.applyUpdate(full, Y.encodeStateAsUpdate(source));
    expect(countUnheld(full, [insert!, more!, removal!])).toBe(0);

    const stale = new Y.Doc();
    Y.applyUpdate(stale, insert!);
    expect(countUnheld(stale, [insert!, more!, removal!])).toBe(2);

    // Every struct is there, one deletion is not.
    const undeleted = new Y.Doc();
    Y.applyUpdate(undeleted, insert!);
    Y.applyUpdate(undeleted, more!);
    expect(countUnheld(undeleted, [insert!, more!, removal!])).toBe(1);
    expect(countUnheld(new Y.Doc(), [])).toBe(0);
  });
});
