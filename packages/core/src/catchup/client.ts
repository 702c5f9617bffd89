import type { Connection } from '../connection/Connection.js';
import { decodeBase64 } from '../events/base64.js';
import { textOf } from '../xml/index.js';
import {
  BOT_RESOURCE,
  type CatchUpRequest,
  NS_CATCH_UP,
  catchUpRequestIq,
  parseCatchUpAnswer,
  partRequestIq,
} from './protocol.js';

/** A bot's complete answer: the update a client lacked and where it leaves the client. */
export interface CaughtUp {
  /** Yjs v1 update holding everything the request's state vector lacked. */
  update: Uint8Array;
  /** Archive id up to which the update holds every event. */
  last: string | undefined;
  /** The bot's state vector. */
  stateVector: Uint8Array;
  /** IQs this took: one, plus one per further part (sent together). */
  requests: number;
}

/** A bot's address: a bare JID gets the well-known bot resource ([CU1]). */
export function botAddress(jid: string): string {
  return jid.includes('/') ? jid : `${jid}/${BOT_RESOURCE}`;
}

/**
 * Asks a bot for what a document lacks ([CU2]–[CU4]). Rejects with the bot's `XMPPError`
 * (`service-unavailable` when no bot is online, `item-not-found` when it does not follow the
 * channel, `forbidden` when this account is not a participant), or on timeout.
 */
export async function requestCatchUp(
  connection: Connection,
  bot: string,
  request: CatchUpRequest,
  timeout: number,
): Promise<CaughtUp> {
  const to = botAddress(bot);
  const result = await connection.request(catchUpRequestIq(to, request), timeout);
  const answer = parseCatchUpAnswer(result.getChild('catch-up', NS_CATCH_UP) ?? result);
  const parts = [answer.firstPart];
  if (answer.parts > 1) {
    // Further parts are requested together: the answer costs one more round trip, whatever its size.
    const rest = await Promise.all(
      Array.from({ length: answer.parts - 1 }, async (_, index) => {
        const reply = await connection.request(partRequestIq(to, answer.token!, index + 1), timeout);
        const part = reply.getChild('part', NS_CATCH_UP);
        if (!part || Number(part.attrs.n) !== index + 1) throw new Error(`bot sent no part ${index + 1}`);
        return decodeBase64(textOf(part));
      }),
    );
    parts.push(...rest);
  }
  return { update: concat(parts), last: answer.last, stateVector: answer.stateVector, requests: answer.parts };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
