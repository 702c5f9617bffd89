import {
  type Connection,
  EventRejectedError,
  NS_CATCH_UP,
  type Element,
  catchUpAnswerElement,
  parseCatchUpRequest,
  partElement,
  xml,
} from '@xsync/core';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { RoomFollower } from './RoomFollower.js';
import type { BotMetrics } from './metrics.js';
import { RateLimiter } from './RateLimiter.js';

const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/**
 * Bytes of update per answer part ([CU4]): 40 KiB is about 55 KB of base64. ejabberd 23.01
 * relays a stanza of 64 KB or more some 40 times slower than one of 60 KB (about 70 ms
 * against 1.5 ms on loopback), so parts stay under that and further parts go together.
 */
/** Milliseconds a request from someone not (yet) in the room waits for its join to be seen. */
const JOIN_GRACE_MS = 2000;

export const DEFAULT_PART_SIZE = 40 * 1024;

/** Options of {@link CatchUpService}. */
export interface CatchUpServiceOptions {
  connection: Connection;
  followers: ReadonlyMap<string, RoomFollower>;
  logger: Logger;
  metrics: BotMetrics;
  /** Bytes of update per answer part, before base64 ([CU4]). Default: {@link DEFAULT_PART_SIZE}. */
  partSize?: number;
  /** Requests a sender may make at once. Default: 10. */
  burst?: number;
  /** Requests per second a sender's allowance refills by. Default: 2. */
  perSecond?: number;
  /** Milliseconds further parts stay available. Default: 60,000. */
  partLifetime?: number;
  /** Answers with parts pending, over all senders; more are refused for the moment. Default: 64. */
  maxPendingAnswers?: number;
}

interface PendingAnswer {
  requester: string;
  parts: Uint8Array[];
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Answers catch-up requests ([CU1]–[CU5]): a participant of a followed channel sends its
 * document's state vector and gets, in one exchange, the update it lacks and the archive id
 * that update covers. Requests are rate-limited per sender's bare JID.
 */
export class CatchUpService {
  readonly #options: CatchUpServiceOptions;
  readonly #limiter: RateLimiter;
  readonly #pending = new Map<string, PendingAnswer>();
  readonly #partSize: number;
  /** Ends every grace wait under way, so none outlives stop(). */
  readonly #endWaits = new Set<() => void>();
  #stopped = false;

  constructor(options: CatchUpServiceOptions) {
    this.#options = options;
    this.#partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.#limiter = new RateLimiter(options.burst ?? 10, options.perSecond ?? 2);
    // xmpp.js cannot remove an IQ handler; once stopped, these answer service-unavailable.
    const { iqCallee } = options.connection.xmpp;
    iqCallee.get(NS_CATCH_UP, 'catch-up', (context: { stanza: Element; element: Element }) =>
      this.#stopped ? undefined : this.#answer(context.stanza, context.element),
    );
    iqCallee.get(NS_CATCH_UP, 'part', (context: { stanza: Element; element: Element }) =>
      this.#stopped ? undefined : this.#part(context.stanza, context.element),
    );
  }

  async #answer(stanza: Element, element: Element): Promise<Element> {
    const { metrics, followers, logger } = this.#options;
    const requester = bareOf(stanza.attrs.from as string | undefined);
    const refuse = (result: string, type: string, condition: string, text?: string) => {
      metrics.catchUps.inc({ result });
      logger.debug({ requester, result, text }, 'catch-up refused');
      return stanzaError(type, condition, text);
    };
    if (!this.#limiter.take(requester)) return refuse('rate-limited', 'wait', 'resource-constraint');
    let request;
    try {
      request = parseCatchUpRequest(element);
      Y.decodeStateVector(request.stateVector);
    } catch (error) {
      return refuse(
        'bad-request',
        'modify',
        'bad-request',
        error instanceof EventRejectedError ? error.message : 'bad state vector',
      );
    }
    // "No such room" and "not in the room" get one answer, after the same wait ([CU5]), so
    // the answers tell nobody outside a room which rooms the bot follows.
    const follower = followers.get(request.channel);
    const membership = follower?.ready ? await this.#membership(follower, stanza.attrs.from as string) : undefined;
    if (!follower?.ready || !membership) {
      if (!follower?.ready) await this.#graceWait(() => false);
      return refuse('not-found', 'cancel', 'item-not-found');
    }
    const started = performance.now();
    let state;
    try {
      state = await follower.catchUp(request.doc, request.stateVector, membership === 'session');
    } catch (error) {
      // A state vector that decodes but does not fit, or an archive read that failed.
      return refuse('failed', 'cancel', 'undefined-condition', String(error));
    }
    // A document the bot does not keep gets the answer of one it never heard of ([CU5]).
    if (!state) return refuse('not-held', 'cancel', 'item-not-found');
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < state.update.length; offset += this.#partSize) {
      parts.push(state.update.subarray(offset, offset + this.#partSize));
    }
    let token: string | undefined;
    if (parts.length > 1) {
      if (this.#pending.size >= (this.#options.maxPendingAnswers ?? 64)) {
        return refuse('rate-limited', 'wait', 'resource-constraint');
      }
      token = globalThis.crypto.randomUUID();
      const timer = setTimeout(() => this.#pending.delete(token!), this.#options.partLifetime ?? 60_000);
      timer.unref?.();
      this.#pending.set(token, { requester, parts, timer });
    }
    metrics.catchUps.inc({ result: 'served' });
    metrics.catchUpSeconds.observe((performance.now() - started) / 1000);
    return catchUpAnswerElement({
      channel: request.channel,
      doc: request.doc,
      last: state.last,
      stateVector: state.stateVector,
      parts: Math.max(parts.length, 1),
      token,
      firstPart: parts[0] ?? new Uint8Array(),
    });
  }

  #part(stanza: Element, element: Element): Element {
    const requester = bareOf(stanza.attrs.from as string | undefined);
    const token = element.attrs.token as string | undefined;
    const n = Number(element.attrs.n);
    const pending = token === undefined ? undefined : this.#pending.get(token);
    // Only the requester may fetch the parts of its answer.
    if (!pending || pending.requester !== requester || !Number.isSafeInteger(n) || n < 1 || n >= pending.parts.length) {
      return stanzaError('cancel', 'item-not-found');
    }
    const part = pending.parts[n]!;
    if (n === pending.parts.length - 1) {
      clearTimeout(pending.timer);
      this.#pending.delete(token!);
    }
    return partElement(token!, n, part);
  }

  /**
   * Whether the requester is in the room: `session` when the room is known to deliver to the
   * requesting session itself (a MUC occupant, a MIX participant's account), `account` when
   * only its account is known to be a participant (a MUC room that shows one session per
   * nick). Someone who just joined sends the request with the join ([YP12]), and the request
   * may reach the bot before the room tells it of the join: a fresh list is fetched once, then
   * the join is awaited for a moment (a MUC room's presence, a MIX channel's participant
   * event) ([CU5]).
   */
  async #membership(follower: RoomFollower, fullJid: string): Promise<'session' | 'account' | undefined> {
    const { room } = follower;
    const bareJid = bareOf(fullJid);
    const membership = () => {
      if (room.reaches(fullJid)) return 'session';
      for (const participant of room.participants.values()) if (participant.jid === bareJid) return 'account';
      return undefined;
    };
    if (membership()) return membership();
    await room.refreshParticipants();
    if (membership()) return membership();
    const listen = (method: 'on' | 'off', listener: () => void) => {
      room[method]('participants', listener);
      room[method]('session', listener);
    };
    await this.#graceWait(() => membership() !== undefined, listen);
    return membership();
  }

  /**
   * Waits JOIN_GRACE_MS, or less once `done()` holds when `subscribe`'s events fire, or until
   * stop(); whatever ends it, its timer and listener go with it.
   */
  #graceWait(done: () => boolean, subscribe?: (method: 'on' | 'off', listener: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        subscribe?.('off', check);
        this.#endWaits.delete(end);
        resolve();
      };
      const check = () => {
        if (done()) end();
      };
      const timer = setTimeout(end, JOIN_GRACE_MS);
      this.#endWaits.add(end);
      subscribe?.('on', check);
    });
  }

  /** Answers service-unavailable from now on, drops pending parts and ends grace waits. */
  stop(): void {
    this.#stopped = true;
    for (const end of [...this.#endWaits]) end();
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
  }
}

function bareOf(jid: string | undefined): string {
  if (!jid) return '';
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}

function stanzaError(type: string, condition: string, text?: string): Element {
  return xml(
    'error',
    { type },
    xml(condition, { xmlns: NS_STANZAS }),
    text === undefined ? undefined : xml('text', { xmlns: NS_STANZAS }, text.slice(0, 200)),
  );
}
