import { compareArchiveIds } from '../room/archiveOrder.js';
import type { RoomEvent } from '../room/Room.js';
import type { EventType } from './EventType.js';
import { EventRejectedError } from './rejection.js';
import { type ChainGap, ChainTracker } from './integrity.js';

/** Outcome of {@link Replica.apply}. */
export type ApplyResult =
  | { applied: true; rebuilt: boolean }
  | { applied: false; reason: 'other-type' | 'other-doc' | 'duplicate' }
  /** The archive holds this event a second time, under another archive id ([INT3]). */
  | { applied: false; reason: 'duplicated' }
  | { applied: false; reason: 'conflict'; message: string };

interface LoggedEvent<Payload> {
  archiveId: string;
  payload: Payload;
}

/** A replica's state as bytes, with the archive id it covers ({@link Replica.snapshot}). */
export interface ReplicaSnapshot {
  /** Every event up to this archive id is in the state; none after it for order-dependent types. */
  archiveId: string | undefined;
  bytes: Uint8Array;
}

/**
 * The state of one document, built by an event type's reducer from channel events.
 *
 * The state is always the one the archive order gives ([ORD1]), whatever order events arrive
 * in: live delivery may interleave concurrent events differently for each receiver ([ORD2]),
 * so for order-dependent types the replica keeps the events it applied and, when one arrives
 * that belongs before the last, rebuilds the state in archive order. Commutative types
 * ([ORD3]) are applied as they come and keep no log.
 *
 * {@link compact} folds events that can no longer arrive out of order into a checkpoint,
 * which bounds the log for types whose reducer has a codec, and gives snapshots a state
 * that covers exactly the events up to an archive id.
 */
export class Replica<Payload, State> {
  state: State;
  #log: LoggedEvent<Payload>[] = [];
  #seen = new Set<string>();
  #last: string | undefined;
  #rebuilds = 0;
  /** State after every event up to {@link #checkpointId}, for order-dependent types. */
  #checkpoint: State | undefined;
  #checkpointId: string | undefined;
  /** Senders' chains as met, in archive order ([INT3]); from the archive's start unless restored. */
  #chains = new ChainTracker(true);

  constructor(
    readonly type: EventType<Payload, State>,
    readonly doc?: string,
  ) {
    if (!type.reducer) throw new TypeError(`Event type ${type.name} has no reducer`);
    this.state = type.reducer.init();
  }

  /**
   * A replica whose state is a snapshot's. Throws if the type cannot decode the bytes.
   * Events up to the snapshot's archive id count as applied.
   */
  static restore<Payload, State>(
    type: EventType<Payload, State>,
    doc: string | undefined,
    snapshot: ReplicaSnapshot,
  ): Replica<Payload, State> {
    const codec = type.reducer?.codec;
    if (!codec) throw new TypeError(`Event type ${type.name} has no state codec`);
    const replica = new Replica(type, doc);
    replica.state = codec.decode(snapshot.bytes);
    replica.#last = snapshot.archiveId;
    replica.#checkpointId = snapshot.archiveId;
    // Chains began before the snapshot: only what follows in each is checked.
    replica.#chains = new ChainTracker(false);
    if (!type.commutative) replica.#checkpoint = codec.decode(snapshot.bytes);
    return replica;
  }

  /** Events kept for rebuilding (order-dependent types). */
  get logLength(): number {
    return this.#log.length;
  }

  /**
   * Declares every event up to `settled` final: none before it can still arrive ([ORD2]).
   * Order-dependent types with a codec fold those events into the checkpoint and drop them
   * from the log; every type forgets their ids, treating them as duplicates from then on.
   */
  compact(settled: string): void {
    if (this.#checkpointId !== undefined && compareArchiveIds(settled, this.#checkpointId) <= 0) return;
    const codec = this.type.reducer!.codec;
    if (!this.type.commutative && !codec) return;
    if (!this.type.commutative) {
      const folded = this.#log.filter((entry) => compareArchiveIds(entry.archiveId, settled) <= 0);
      if (folded.length > 0) {
        let checkpoint = this.#checkpoint ?? this.type.reducer!.init();
        for (const entry of folded) checkpoint = this.#reduceOnto(checkpoint, entry.payload);
        this.#checkpoint = checkpoint;
        this.#log = this.#log.slice(folded.length);
      }
    }
    // A new set: deleting from a large one keeps its capacity allocated.
    this.#seen = new Set([...this.#seen].filter((id) => compareArchiveIds(id, settled) > 0));
    this.#checkpointId = settled;
  }

  /**
   * The state as bytes. For order-dependent types this is the checkpoint: exactly the events
   * up to the last {@link compact}. Commutative states may hold later events too, which is
   * harmless since applying them again changes nothing.
   */
  snapshot(): ReplicaSnapshot {
    const codec = this.type.reducer!.codec;
    if (!codec) throw new TypeError(`Event type ${this.type.name} has no state codec`);
    const state = this.type.commutative ? this.state : (this.#checkpoint ?? this.type.reducer!.init());
    return { archiveId: this.#checkpointId, bytes: codec.encode(state) };
  }

  /** Archive id of the latest event applied or refused, in archive order: where to resume. */
  get lastArchiveId(): string | undefined {
    return this.#last;
  }

  /** Times the state was rebuilt because an event arrived out of archive order. */
  get rebuilds(): number {
    return this.#rebuilds;
  }

  /** Applies one event; a payload its reducer refuses leaves the state untouched. */
  apply(event: RoomEvent): ApplyResult {
    if (event.type !== (this.type as EventType<unknown>)) return { applied: false, reason: 'other-type' };
    if (event.doc !== this.doc) return { applied: false, reason: 'other-doc' };
    if (
      this.#seen.has(event.archiveId) ||
      (this.#checkpointId !== undefined && compareArchiveIds(event.archiveId, this.#checkpointId) <= 0)
    ) {
      return { applied: false, reason: 'duplicate' };
    }
    // Archive ids met before were refused above: a chain place met before is a second copy.
    const verdict = event.chain ? this.#chains.check(event.chain, event.archiveId) : 'new';
    if (verdict === 'duplicated' || verdict === 'known') return { applied: false, reason: 'duplicated' };
    this.#seen.add(event.archiveId);
    return this.#applyNew({ archiveId: event.archiveId, payload: event.payload as Payload });
  }

  /**
   * Chain places no event came for, each reported once ([INT3]): what the archive lacks, once
   * the replica has read it up to the present.
   */
  takeGaps(): ChainGap[] {
    return this.#chains.takeGaps();
  }

  #applyNew(entry: LoggedEvent<Payload>): ApplyResult {
    const late = this.#last !== undefined && compareArchiveIds(entry.archiveId, this.#last) < 0;
    if (!late || this.type.commutative) {
      if (!late) this.#last = entry.archiveId;
      if (!this.type.commutative) this.#log.push(entry);
      return this.#reduce(entry.payload, false);
    }
    // Arrived after events that follow it in the archive: replay everything in archive order.
    const index = this.#log.findIndex((logged) => compareArchiveIds(entry.archiveId, logged.archiveId) < 0);
    this.#log.splice(index, 0, entry);
    this.#rebuilds++;
    this.state = this.#fromCheckpoint();
    let result: ApplyResult = { applied: true, rebuilt: true };
    for (const logged of this.#log) {
      const outcome = this.#reduce(logged.payload, true);
      if (logged === entry) result = outcome;
    }
    return result;
  }

  #fromCheckpoint(): State {
    const codec = this.type.reducer!.codec;
    if (this.#checkpoint === undefined || !codec) return this.type.reducer!.init();
    return codec.decode(codec.encode(this.#checkpoint));
  }

  /** Applies a payload to a state other than the current one; a refused payload changes nothing. */
  #reduceOnto(state: State, payload: Payload): State {
    try {
      return this.type.reducer!.apply(state, payload);
    } catch (error) {
      if (error instanceof EventRejectedError) return state;
      throw error;
    }
  }

  #reduce(payload: Payload, rebuilt: boolean): ApplyResult {
    try {
      this.state = this.type.reducer!.apply(this.state, payload);
      return { applied: true, rebuilt };
    } catch (error) {
      if (error instanceof EventRejectedError) return { applied: false, reason: 'conflict', message: error.message };
      throw error;
    }
  }
}
