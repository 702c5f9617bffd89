import {
  type ApplyResult,
  type ChainGap,
  type RoomEvent,
  type EventType,
  type EventTypeRegistry,
  Replica,
  yjsUpdate,
} from '@xsync/core';
import type * as Y from 'yjs';
import type { SnapshotEntry } from './SnapshotStore.js';

type AnyReplica = Replica<unknown, unknown>;

/** Outcome of {@link RoomState.apply}. */
export type StateApplyResult = ApplyResult | { applied: false; reason: 'no-reducer' | 'too-many-documents' };

/**
 * Every document of one channel, each a {@link Replica} of its event type: Yjs documents,
 * JSON documents, XML DOMs, and whatever plugin types the registry holds with a reducer.
 * The number of documents is bounded, so a participant cannot exhaust the bot by naming
 * new ones.
 */
export class RoomState {
  readonly #replicas = new Map<string, AnyReplica>();
  #refusedDocuments = false;

  constructor(
    readonly registry: EventTypeRegistry,
    readonly maxDocuments: number,
  ) {}

  /** Applies an event to its document's replica, creating the replica if there is room. */
  apply(event: RoomEvent): StateApplyResult {
    if (!event.type.reducer) return { applied: false, reason: 'no-reducer' };
    const key = keyOf(event.type.name, event.doc);
    let replica = this.#replicas.get(key);
    if (!replica) {
      if (this.#replicas.size >= this.maxDocuments) {
        this.#refusedDocuments = true;
        return { applied: false, reason: 'too-many-documents' };
      }
      replica = new Replica(event.type as EventType<unknown, unknown>, event.doc);
      this.#replicas.set(key, replica);
    }
    return replica.apply(event);
  }

  /**
   * A document was refused for want of room: the state lacks documents the channel has, and
   * an absent document is not known to be empty.
   */
  get refusedDocuments(): boolean {
    return this.#refusedDocuments;
  }

  /**
   * What the state knows of a type's document: `held`, `empty` (no event of it ever came),
   * or `unknown` (it is not held, and documents were refused).
   */
  knows(typeName: string, doc: string | undefined): 'held' | 'empty' | 'unknown' {
    if (this.#replicas.has(keyOf(typeName, doc))) return 'held';
    return this.#refusedDocuments ? 'unknown' : 'empty';
  }

  /** The Yjs document named `doc`, if the channel has one. */
  yjsDoc(doc: string | undefined): Y.Doc | undefined {
    return this.#replicas.get(keyOf(yjsUpdate.name, doc))?.state as Y.Doc | undefined;
  }

  /** The replica of a type's document. */
  replica(typeName: string, doc: string | undefined): AnyReplica | undefined {
    return this.#replicas.get(keyOf(typeName, doc));
  }

  get replicas(): IterableIterator<AnyReplica> {
    return this.#replicas.values();
  }

  get size(): number {
    return this.#replicas.size;
  }

  /** Chain places no event came for, over all documents, each reported once ([INT3]). */
  takeGaps(): Array<ChainGap & { doc: string | undefined }> {
    const gaps: Array<ChainGap & { doc: string | undefined }> = [];
    for (const replica of this.#replicas.values()) {
      for (const gap of replica.takeGaps()) gaps.push({ ...gap, doc: replica.doc });
    }
    return gaps;
  }

  /** Events kept for rebuilding, over all documents. */
  get loggedEvents(): number {
    let total = 0;
    for (const replica of this.#replicas.values()) total += replica.logLength;
    return total;
  }

  /** Folds events up to `settled` into each replica's checkpoint ({@link Replica.compact}). */
  compact(settled: string): void {
    for (const replica of this.#replicas.values()) replica.compact(settled);
  }

  /**
   * Snapshot entries of every document, or `undefined` when a document's type has no state
   * codec: a snapshot without it would skip its history on the next start.
   */
  snapshot(): SnapshotEntry[] | undefined {
    const entries: SnapshotEntry[] = [];
    for (const replica of this.#replicas.values()) {
      if (!replica.type.reducer?.codec) return undefined;
      entries.push({ type: replica.type.name, doc: replica.doc, bytes: replica.snapshot().bytes });
    }
    return entries;
  }

  /**
   * A state holding a snapshot's documents. Throws if an entry names a type the registry
   * lacks or bytes its codec refuses: the snapshot is then not to be trusted at all.
   */
  static restore(
    registry: EventTypeRegistry,
    maxDocuments: number,
    archiveId: string | undefined,
    entries: SnapshotEntry[],
    refusedDocuments = false,
  ): RoomState {
    const state = new RoomState(registry, maxDocuments);
    state.#refusedDocuments = refusedDocuments;
    for (const entry of entries) {
      const type = registry.get(entry.type);
      if (!type) throw new Error(`snapshot holds unknown event type ${entry.type}`);
      const replica = Replica.restore(type as EventType<unknown, unknown>, entry.doc, {
        archiveId,
        bytes: entry.bytes,
      });
      state.#replicas.set(keyOf(type.name, entry.doc), replica);
    }
    return state;
  }
}

function keyOf(typeName: string, doc: string | undefined): string {
  return `${typeName}\n${doc ?? ''}`;
}
