import type * as Y from 'yjs';

/** Name of the room document that lists the editor's documents. */
export const INDEX_DOC = 'xsync-editor-index';

/** Most characters in a document name. */
export const MAX_NAME_LENGTH = 80;

/**
 * The room's named documents, in a Y.Map of name → creation time kept in its own Yjs
 * document, so every participant sees the same list and concurrent additions merge.
 */
export class DocumentIndex {
  readonly #map: Y.Map<number>;

  constructor(doc: Y.Doc) {
    this.#map = doc.getMap('documents');
  }

  /** Names, oldest first; values that are not numbers (from a hostile peer) sort last. */
  names(): string[] {
    const entries = [...this.#map.entries()].filter(([name]) => isDocumentName(name));
    return entries
      .sort(([, a], [, b]) => (typeof a === 'number' ? a : Infinity) - (typeof b === 'number' ? b : Infinity))
      .map(([name]) => name);
  }

  add(name: string): void {
    if (!isDocumentName(name)) throw new RangeError(`not a document name: ${JSON.stringify(name)}`);
    if (!this.#map.has(name)) this.#map.set(name, Date.now());
  }

  observe(listener: () => void): () => void {
    this.#map.observe(listener);
    return () => this.#map.unobserve(listener);
  }
}

/** 1–80 characters, no control characters, not only spaces. */
export function isDocumentName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && name.trim().length > 0 && !/[\u0000-\u001f]/.test(name);
}
