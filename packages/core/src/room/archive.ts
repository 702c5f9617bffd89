import type { Connection } from '../connection/Connection.js';
import { type Element, childByLocalName, textOf, xml } from '../xml/index.js';
import type { RoomMessage } from './kind.js';

export const NS_MAM = 'urn:xmpp:mam:2';
export const NS_RSM = 'http://jabber.org/protocol/rsm';
export const NS_FORWARD = 'urn:xmpp:forward:0';
export const NS_DELAY = 'urn:xmpp:delay';
export const NS_DATA_FORMS = 'jabber:x:data';

/** Largest page ejabberd 23.01 serves; larger `max` values are cut to it. */
export const MAX_PAGE_SIZE = 250;

/** One RSM-bounded request to a room's archive (XEP-0313 §4, XEP-0059). */
export interface ArchivePageRequest {
  /** Items after this archive id. */
  after?: string;
  /** Items before this archive id; `''` for the last page. */
  before?: string;
  /** Page size. */
  max: number;
  /** Only items archived at or before this time (XEP-0313 §4.1.1 `end`). */
  until?: Date;
  /** Only the items with these archive ids (XEP-0313 `ids`, which Prosody offers). */
  ids?: string[];
}

/** One page of archived room messages, oldest first. */
export interface ArchivePage {
  messages: RoomMessage[];
  /** Archive id of the first item of the page (RSM `<first/>`). */
  first: string | undefined;
  /** Archive id of the last item of the page (RSM `<last/>`). */
  last: string | undefined;
  /** The server says this page reaches the end of the archive in the paging direction. */
  complete: boolean;
  /** Items the whole query matches (RSM `<count/>`), when the server says. */
  count: number | undefined;
}

let queryCounter = 0;

/**
 * Reads one archived message: the forwarded `message`, the result's `id` (the archive id,
 * XEP-0313 §4.2) and the archive's `<delay/>`. The room kind knows how its messages look.
 */
export type ArchivedMessageReader = (
  message: Element,
  resultId: string | undefined,
  delay: Element | undefined,
) => RoomMessage | undefined;

/**
 * Reads one `<result/>` of an archive query ([HIST5]): only from the room queried and with the
 * query's id, its forwarded message read by `read` with the result's id as archive id and the
 * forwarded `<delay/>`; anything else, or a message without an archive id, is `undefined`.
 */
export function readArchiveResult(
  stanza: Element,
  room: string,
  queryId: string,
  read: ArchivedMessageReader,
): RoomMessage | undefined {
  if (stanza.name !== 'message' || stanza.attrs.from !== room) return undefined;
  const result = stanza.getChild('result', NS_MAM);
  if (!result || result.attrs.queryid !== queryId) return undefined;
  const forwarded = result.getChild('forwarded', NS_FORWARD);
  const inner = forwarded?.getChild('message');
  if (!inner) return undefined;
  const message = read(inner, result.attrs.id as string | undefined, forwarded?.getChild('delay', NS_DELAY));
  return message?.archiveId === undefined ? undefined : message;
}

/**
 * Fetches one page of a room's archive. Results are `<message/>`s from the room carrying
 * `<result queryid=…/>` that arrive before the IQ result; only those from the queried room
 * with our query id are accepted. `timeout` defaults to the connection's request timeout.
 */
export async function fetchArchivePage(
  connection: Connection,
  room: string,
  request: ArchivePageRequest,
  read: ArchivedMessageReader,
  timeout?: number,
): Promise<ArchivePage> {
  const queryId = `q${++queryCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const messages: RoomMessage[] = [];
  const onStanza = (stanza: Element) => {
    const message = readArchiveResult(stanza, room, queryId, read);
    if (!message) return;
    if (request.until && message.timestamp && message.timestamp.getTime() > request.until.getTime()) return;
    messages.push(message);
  };
  connection.on('stanza', onStanza);
  try {
    const rsm = [xml('max', {}, String(Math.min(request.max, MAX_PAGE_SIZE)))];
    if (request.after !== undefined) rsm.push(xml('after', {}, request.after));
    if (request.before !== undefined) rsm.push(xml('before', {}, request.before));
    const fields = [];
    // Prosody reads whole seconds only: ask up to the next whole second, and drop what lies
    // after `until` here. A millisecond time includes the whole millisecond.
    if (request.until) fields.push(xml('field', { var: 'end' }, xml('value', {}, nextWholeSecond(request.until))));
    if (request.ids) fields.push(xml('field', { var: 'ids' }, ...request.ids.map((id) => xml('value', {}, id))));
    const form =
      fields.length === 0
        ? undefined
        : xml(
            'x',
            { xmlns: NS_DATA_FORMS, type: 'submit' },
            xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
            ...fields,
          );
    const response = await connection.request(
      xml(
        'iq',
        { type: 'set', to: room },
        xml('query', { xmlns: NS_MAM, queryid: queryId }, form, xml('set', { xmlns: NS_RSM }, ...rsm)),
      ),
      timeout,
    );
    const fin = childByLocalName(response, 'fin');
    const set = fin && childByLocalName(fin, 'set');
    const text = (name: string) => {
      const child = set && childByLocalName(set, name);
      return child ? textOf(child) : undefined;
    };
    const count = text('count');
    return {
      messages,
      first: text('first'),
      last: text('last'),
      complete: fin?.attrs.complete === 'true',
      count: count === undefined ? undefined : Number(count),
    };
  } finally {
    connection.off('stanza', onStanza);
  }
}

/** `time` rounded up to a whole second, as XEP-0082 text. */
function nextWholeSecond(time: Date): string {
  return new Date(Math.ceil(time.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** What to fetch from the archive. All ids are exclusive bounds. */
export interface HistoryQuery {
  /** Events after this archive id. Default: from the start. */
  after?: string;
  /** Events before this archive id. */
  before?: string;
  /** Only the last N events (before `before`, if given). */
  last?: number;
  /** At most this many events, counted from `after`. */
  max?: number;
  /** Events per archive request, at most 250. Default: 250. */
  pageSize?: number;
  /** Only events archived at or before this time. */
  until?: Date;
}

/**
 * Reads the archive pages a query asks for, oldest first: forwards from `after` (or the start)
 * for at most `max` items ([HIST1], [HIST2]), or backwards from `before` (or the end) for `last`
 * items or to the start ([HIST3]).
 */
export async function readArchive(
  connection: Connection,
  room: string,
  query: HistoryQuery,
  read: ArchivedMessageReader,
): Promise<ArchivePage[]> {
  const pages: ArchivePage[] = [];
  for await (const page of archivePages(connection, room, query, read)) pages.push(page);
  return query.last !== undefined || query.before !== undefined ? pages.reverse() : pages;
}

/**
 * The pages of {@link readArchive} one at a time, as they arrive: forwards oldest first, or
 * backwards (with `last` or `before`) newest page first.
 */
export async function* archivePages(
  connection: Connection,
  room: string,
  query: HistoryQuery,
  read: ArchivedMessageReader,
): AsyncGenerator<ArchivePage> {
  const pageSize = Math.min(query.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const until = query.until === undefined ? {} : { until: query.until };
  if (query.last !== undefined || query.before !== undefined) {
    let remaining = query.last ?? Infinity;
    let before = query.before ?? '';
    while (remaining > 0) {
      const page = await fetchArchivePage(
        connection,
        room,
        {
          before,
          max: Math.min(pageSize, remaining),
          ...until,
        },
        read,
      );
      yield page;
      remaining -= page.messages.length;
      if (page.complete || page.messages.length === 0 || page.first === undefined) return;
      before = page.first;
    }
    return;
  }
  let remaining = query.max ?? Infinity;
  let after = query.after;
  while (remaining > 0) {
    const page = await fetchArchivePage(
      connection,
      room,
      {
        ...(after !== undefined && { after }),
        max: Math.min(pageSize, remaining),
        ...until,
      },
      read,
    );
    yield page;
    remaining -= page.messages.length;
    if (page.complete || page.messages.length === 0 || page.last === undefined) return;
    after = page.last;
  }
}

/**
 * Whether the archive of `room` holds an item with archive id `id` ([HIST7]). ejabberd's ids
 * are decimal microsecond stamps: the first item after `id − 1` is `id` if the archive holds
 * it (ejabberd offers no `ids` field, and answers an unknown `after` from the start). Other
 * ids are asked for by the `ids` field (Prosody).
 */
export async function archiveHolds(
  connection: Connection,
  room: string,
  id: string,
  read: ArchivedMessageReader,
): Promise<boolean> {
  const request: ArchivePageRequest = /^[1-9]\d*$/.test(id)
    ? { max: 1, after: (BigInt(id) - 1n).toString() }
    : { max: 1, ids: [id] };
  const page = await fetchArchivePage(connection, room, request, read);
  return page.messages.some((message) => message.archiveId === id);
}
