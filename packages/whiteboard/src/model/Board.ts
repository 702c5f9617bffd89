import * as Y from 'yjs';
import type { ShapeRegistry } from '../render/ShapeRegistry.js';
import { MAX_POINTS, type Shape } from './shapes.js';

/** Transaction origin of this user's edits: the only ones their undo takes back. */
export const LOCAL_ORIGIN = Symbol('whiteboard local edit');

type ShapeMap = Y.Map<unknown>;

/** What makes a new shape: its fields, with the styles every shape has left to their defaults if omitted. */
export type NewShape = Omit<Shape, 'id' | 'z' | 'rotation' | 'opacity' | 'dash'> &
  Partial<Pick<Shape, 'rotation' | 'opacity' | 'dash'>> & { points?: number[] };

/**
 * The board's shapes in a Yjs document: a `Y.Map` named `shapes` of shape id → `Y.Map` of its
 * fields, with a stroke's points in a `Y.Array` so they can stream while the pen is down.
 * Shapes are read through the registry's sanitizers, so whatever a peer wrote, the page only
 * ever sees valid, bounded shapes.
 */
export class Board {
  readonly doc: Y.Doc;
  readonly shapes: Y.Map<ShapeMap>;
  readonly undoManager: Y.UndoManager;
  readonly #registry: ShapeRegistry;
  readonly #cache = new Map<string, Shape | null>();
  #counter = 0;

  constructor(doc: Y.Doc, registry: ShapeRegistry) {
    this.doc = doc;
    this.#registry = registry;
    this.shapes = doc.getMap('shapes');
    this.undoManager = new Y.UndoManager(this.shapes, { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 400 });
    this.shapes.observeDeep(this.#forget as never);
  }

  /** A shape as the page may use it, or `undefined` if it is missing or invalid. */
  get(id: string): Shape | undefined {
    let shape = this.#cache.get(id);
    if (shape === undefined) {
      const map = this.shapes.get(id);
      shape = (map instanceof Y.Map && this.#registry.sanitize(id, map.toJSON() as Record<string, unknown>)) || null;
      this.#cache.set(id, shape);
    }
    return shape ?? undefined;
  }

  /** Every valid shape, bottom first. */
  /** The shape kinds this board reads its shapes by. */
  get registry(): ShapeRegistry {
    return this.#registry;
  }

  all(): Shape[] {
    const shapes: Shape[] = [];
    for (const id of this.shapes.keys()) {
      const shape = this.get(id);
      if (shape) shapes.push(shape);
    }
    return shapes.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
  }

  get size(): number {
    return this.shapes.size;
  }

  /** Adds a shape on top; returns its id. */
  add(fields: NewShape): string {
    const id = `${this.doc.clientID.toString(36)}-${(++this.#counter).toString(36)}-${Date.now().toString(36)}`;
    this.transact(() => {
      const map = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        if (key === 'points') map.set(key, Y.Array.from(value as number[]));
        else map.set(key, value);
      }
      map.set('z', Date.now() + (this.doc.clientID % 1000) / 1000);
      this.shapes.set(id, map);
    });
    return id;
  }

  /** Changes some fields of a shape. */
  update(id: string, fields: Record<string, unknown>): void {
    const map = this.shapes.get(id);
    if (!(map instanceof Y.Map)) return;
    this.transact(() => {
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
    });
  }

  /** Appends points to a stroke as the pen moves, up to {@link MAX_POINTS}. */
  appendPoints(id: string, points: number[]): void {
    const array = this.shapes.get(id)?.get('points');
    if (!(array instanceof Y.Array)) return;
    const room = MAX_POINTS * 3 - array.length;
    if (room <= 0) return;
    this.transact(() => array.push(points.slice(0, room - (room % 3))));
  }

  remove(ids: Iterable<string>): void {
    this.transact(() => {
      for (const id of ids) this.shapes.delete(id);
    });
  }

  /** Removes every shape (one undo step). */
  clear(): void {
    this.remove([...this.shapes.keys()]);
  }

  /** Runs local edits as one transaction with this user's origin. */
  transact(edit: () => void): void {
    this.doc.transact(edit, LOCAL_ORIGIN);
  }

  /** Calls `listener` with the ids of shapes added, changed or removed, after each transaction. */
  observe(listener: (ids: Set<string>, local: boolean) => void): () => void {
    const handler = (events: Array<Y.YEvent<Y.Map<unknown>>>, transaction: Y.Transaction) =>
      listener(this.#changedIn(transaction, events), transaction.origin === LOCAL_ORIGIN);
    this.shapes.observeDeep(handler as never);
    return () => this.shapes.unobserveDeep(handler as never);
  }

  /** The ids of the shapes a transaction's events touched. */
  #changed(events: Array<Y.YEvent<Y.Map<unknown>>>): Set<string> {
    const ids = new Set<string>();
    for (const event of events) {
      if (event.target === this.shapes) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) ids.add(key);
      else if (typeof event.path[0] === 'string') ids.add(event.path[0]);
    }
    return ids;
  }

  /** The last transaction's changed ids, read once for the cache and every listener. */
  #last: { transaction: Y.Transaction; ids: Set<string> } | undefined;

  #changedIn(transaction: Y.Transaction, events: Array<Y.YEvent<Y.Map<unknown>>>): Set<string> {
    if (this.#last?.transaction !== transaction) this.#last = { transaction, ids: this.#changed(events) };
    return this.#last.ids;
  }

  /** Forgets what a transaction changed; registered first, so every listener reads anew. */
  readonly #forget = (events: Array<Y.YEvent<Y.Map<unknown>>>, transaction: Y.Transaction): void => {
    for (const id of this.#changedIn(transaction, events)) this.#cache.delete(id);
  };

  destroy(): void {
    this.shapes.unobserveDeep(this.#forget as never);
    this.undoManager.destroy();
  }
}
