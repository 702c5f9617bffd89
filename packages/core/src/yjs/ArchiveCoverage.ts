import * as Y from 'yjs';

/**
 * What a room's archive holds of one document, as a state vector: the updates of the durable
 * events seen, and the state vectors catch-up answers vouch for. A document that has more,
 * from live messages whose commit never came, can tell exactly what to commit ([YP14]).
 */
export class ArchiveCoverage {
  readonly #clocks = new Map<number, number>();

  /** A durable event's update is in the archive. */
  addUpdate(update: Uint8Array): void {
    this.#merge(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)));
  }

  /** Everything up to this state vector is in the archive (a bot's answer, CU3). */
  addStateVector(stateVector: Uint8Array): void {
    this.#merge(Y.decodeStateVector(stateVector));
  }

  /**
   * The part of `doc` the archive lacks under the clients `include` accepts (the others are
   * left to their own queues, or may not be published by this client at all, [YJS4]);
   * `undefined` when the archive holds all of it.
   */
  lacking(doc: Y.Doc, include: (client: number) => boolean): Uint8Array | undefined {
    const has = Y.decodeStateVector(Y.encodeStateVector(doc));
    let lacks = false;
    const known = new Map(this.#clocks);
    for (const [client, clock] of has) {
      if (!include(client)) known.set(client, clock);
      else if (clock > (this.#clocks.get(client) ?? 0)) lacks = true;
    }
    if (!lacks) return undefined;
    return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(known));
  }

  #merge(clocks: Map<number, number>): void {
    for (const [client, clock] of clocks) {
      if (clock > (this.#clocks.get(client) ?? 0)) this.#clocks.set(client, clock);
    }
  }
}
