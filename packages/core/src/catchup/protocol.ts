import { decodeBase64, encodeBase64 } from '../events/base64.js';
import { reject } from '../events/rejection.js';
import { type Element, textOf, xml } from '../xml/index.js';

/** Namespace of the catch-up exchange between clients and a bot ([CU1]). */
export const NS_CATCH_UP = 'urn:xsync:catch-up:1';

/** Resource a bot binds, so clients can address it knowing only its bare JID ([CU1]). */
export const BOT_RESOURCE = 'xsync-bot';

/** Largest state vector a request may carry, in base64 characters ([CU2]). */
export const MAX_STATE_VECTOR_CHARS = 64 * 1024;

/** What a client asks a bot for: everything of `doc` in `channel` its state vector lacks. */
export interface CatchUpRequest {
  channel: string;
  doc: string | undefined;
  /** Yjs state vector of the client's document. */
  stateVector: Uint8Array;
}

/** The first answer: the missing update's first part, and how to fetch the rest. */
export interface CatchUpAnswer {
  channel: string;
  doc: string | undefined;
  /** Archive id up to which the bot's state holds every event ([CU3]). */
  last: string | undefined;
  /** The bot's state vector: what the channel has, as far as the bot knows. */
  stateVector: Uint8Array;
  /** Parts the update is cut into; parts after the first are fetched with `token`. */
  parts: number;
  token: string | undefined;
  firstPart: Uint8Array;
}

/** `<catch-up/>` request ([CU2]). */
export function catchUpRequestIq(to: string, request: CatchUpRequest): Element {
  return xml(
    'iq',
    { type: 'get', to },
    xml(
      'catch-up',
      { xmlns: NS_CATCH_UP, channel: request.channel, doc: request.doc },
      xml('state-vector', {}, encodeBase64(request.stateVector)),
    ),
  );
}

/** Reads a `<catch-up/>` request payload; throws `EventRejectedError` if it is malformed. */
export function parseCatchUpRequest(element: Element): CatchUpRequest {
  const channel = element.attrs.channel as string | undefined;
  if (!channel || !channel.includes('@')) throw reject('malformed', 'catch-up request without a channel JID');
  const vector = element.getChild('state-vector');
  const text = vector ? textOf(vector) : '';
  if (text.length > MAX_STATE_VECTOR_CHARS) throw reject('oversized', 'state vector too large');
  return { channel, doc: element.attrs.doc as string | undefined, stateVector: decodeBase64(text) };
}

/** `<catch-up/>` answer payload ([CU3]). */
export function catchUpAnswerElement(answer: CatchUpAnswer): Element {
  return xml(
    'catch-up',
    {
      xmlns: NS_CATCH_UP,
      channel: answer.channel,
      doc: answer.doc,
      last: answer.last,
      parts: answer.parts,
      token: answer.token,
    },
    xml('state-vector', {}, encodeBase64(answer.stateVector)),
    xml('part', { n: 0 }, encodeBase64(answer.firstPart)),
  );
}

/** Reads a `<catch-up/>` answer; throws `EventRejectedError` if it is malformed. */
export function parseCatchUpAnswer(element: Element): CatchUpAnswer {
  if (element.name !== 'catch-up' || element.attrs.xmlns !== NS_CATCH_UP) {
    throw reject('malformed', 'answer is not a catch-up element');
  }
  const parts = Number(element.attrs.parts ?? 1);
  if (!Number.isSafeInteger(parts) || parts < 1) throw reject('malformed', 'catch-up answer with a bad part count');
  const token = element.attrs.token as string | undefined;
  if (parts > 1 && !token) throw reject('malformed', 'catch-up answer with parts but no token');
  const vector = element.getChild('state-vector');
  const part = element.getChild('part');
  return {
    channel: element.attrs.channel as string,
    doc: element.attrs.doc as string | undefined,
    last: element.attrs.last as string | undefined,
    stateVector: decodeBase64(vector ? textOf(vector) : ''),
    parts,
    token,
    firstPart: decodeBase64(part ? textOf(part) : ''),
  };
}

/** Request for one further part of an answer ([CU4]). */
export function partRequestIq(to: string, token: string, n: number): Element {
  return xml('iq', { type: 'get', to }, xml('part', { xmlns: NS_CATCH_UP, token, n }));
}

/** One further part ([CU4]). */
export function partElement(token: string, n: number, bytes: Uint8Array): Element {
  return xml('part', { xmlns: NS_CATCH_UP, token, n }, encodeBase64(bytes));
}
