import * as decoding from 'lib0/decoding';

/** Awareness clients with a state one participant may hold at once: a tab or device each ([AW5]). */
export const MAX_AWARENESS_CLIENTS = 8;
/** Client ids whose holder is remembered; the oldest are forgotten beyond this. */
const REMEMBERED_HOLDERS = 4096;

/** Whether an awareness update may apply ([AW5]). */
export type HolderVerdict = { ok: true } | { ok: false; reason: 'impersonation' | 'oversized'; message: string };

/**
 * Who holds each awareness client id: the participant that spoke for it first in what this
 * client received ([AW5]). Awareness is live only, so "first" is first seen here; a client
 * id is unknown to others until its holder announces it, so nobody can take it first.
 */
export class AwarenessHolders {
  /** Awareness client ids each participant has spoken for. */
  readonly #clientsOf = new Map<string, Set<number>>();
  /** The participant each awareness client id belongs to. */
  readonly #holderOf = new Map<number, string>();

  /**
   * Whether `sender` may speak for `clients`: none of them this client's own (`own`) or held
   * by another participant, and the sender left with at most {@link MAX_AWARENESS_CLIENTS}
   * clients with a state (`hasState` tells which clients have one now). If so, they are the
   * sender's from now on.
   */
  admit(sender: string, clients: readonly number[], own: number, hasState: (client: number) => boolean): HolderVerdict {
    const foreign = clients.find((client) => client === own || (this.#holderOf.get(client) ?? sender) !== sender);
    if (foreign !== undefined) {
      return {
        ok: false,
        reason: 'impersonation',
        message: `awareness client ${foreign} belongs to another participant`,
      };
    }
    const held = this.#clientsOf.get(sender) ?? new Set<number>();
    const holding = new Set([...held].filter(hasState));
    for (const client of clients) holding.add(client);
    if (holding.size > MAX_AWARENESS_CLIENTS) {
      return {
        ok: false,
        reason: 'oversized',
        message: `more than ${MAX_AWARENESS_CLIENTS} awareness clients for one participant`,
      };
    }
    for (const client of clients) {
      held.add(client);
      this.#holderOf.delete(client);
      this.#holderOf.set(client, sender);
    }
    while (this.#holderOf.size > REMEMBERED_HOLDERS) this.#holderOf.delete(this.#holderOf.keys().next().value!);
    this.#clientsOf.set(sender, new Set([...held].filter((client) => this.#holderOf.get(client) === sender)));
    return { ok: true };
  }

  /** A participant left: the clients it held, forgotten. */
  release(sender: string): number[] {
    const clients = this.#clientsOf.get(sender);
    this.#clientsOf.delete(sender);
    return clients ? [...clients] : [];
  }
}

/** Client ids an awareness update speaks for (an update the room validated, [AW2]). */
export function clientsIn(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const clients: number[] = [];
  for (let n = decoding.readVarUint(decoder); n > 0; n--) {
    clients.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder); // clock
    decoding.readVarString(decoder); // state
  }
  return clients;
}
