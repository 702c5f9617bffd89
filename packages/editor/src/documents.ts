import type * as Y from 'yjs';

/** Name of the room document that lists the editor's documents. */
export const INDEX_DOC = 'xsync-editor-index';

/** Most characters in a document name. */
export const MAX_NAME_LENGTH = 80;

/**
 * The room's named documents, in a Y.Map of name → creation time kept in its own Yjs
 * document, so every participant sees the same list and concurrent additions merge; and the
 * titles they were renamed to, in a Y.Map of name → title (the last rename wins).
 */
export class DocumentIndex {
  readonly #map: Y.Map<number>;
  readonly #titles: Y.Map<unknown>;

  constructor(doc: Y.Doc) {
    this.#map = doc.getMap('documents');
    this.#titles = doc.getMap('titles');
  }

  /** What the document is called: its title, or its name when it has none (or a peer wrote a bad one). */
  title(name: string): string {
    const title = this.#titles.get(name);
    return typeof title === 'string' && isDocumentName(title) ? title : name;
  }

  /** Gives a document a title; its name, which the room's documents are kept under, stays. */
  rename(name: string, title: string): void {
    if (!isDocumentName(title)) throw new RangeError(`not a document title: ${JSON.stringify(title)}`);
    this.#titles.set(name, title);
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
    this.#titles.observe(listener);
    return () => {
      this.#map.unobserve(listener);
      this.#titles.unobserve(listener);
    };
  }
}

/** 1–80 characters, no control characters, not only spaces. */
export function isDocumentName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && name.trim().length > 0 && !/[\u0000-\u001f]/.test(name);
}
