import type { Connection } from '../connection/Connection.js';
import type { Element } from '../xml/index.js';
import { type ArchivedMessageReader, fetchArchivePage } from './archive.js';
import { discoverRoomKind, kindOfDiscoInfo, rememberRoomKind } from './discovery.js';
import type { RoomKindName } from './kind.js';
import { parseParticipants, participantsIq } from './mix/protocol.js';
import { readOccupantCount, readOccupantNicks, roomInfoIq, roomItemsIq } from './muc/info.js';

/** What a room shows someone who has not entered it: who is in it, and when it was last active. */
export interface RoomSummary {
  kind: RoomKindName;
  /**
   * How many are in the room: a MUC room's occupants now (`muc#roominfo_occupants`, which
   * ejabberd and Prosody give anyone), bots included; a MIX channel's participants, online or
   * not (its participants node: ejabberd's MIX has no presence), which only participants may
   * read. `undefined` when the room does not tell this account.
   */
  occupants: number | undefined;
  /**
   * Nicks of those in the room, as far as the room names them (possibly fewer than
   * {@link occupants}): ejabberd lists a public MUC room's occupants, Prosody 13 lists none.
   * `undefined` when the room does not list who is in it to this account.
   */
  nicks: string[] | undefined;
  /**
   * When the room's archive stored its last message (its `<delay stamp>`, XEP-0313 §4.2):
   * live-lane messages are not archived in a MUC room, so this is the last durable event or
   * chat message. `null` when the archive is empty; `undefined` when this account may not read
   * it (a MIX channel it has not joined, a members-only room it is no member of).
   */
  lastActivity: Date | null | undefined;
}

/** How to ask for a {@link RoomSummary}. */
export interface RoomSummaryOptions {
  /** Milliseconds to wait for each of the room's answers. Default: the connection's request timeout. */
  timeout?: number;
}

/**
 * A room's summary without entering it: its disco#info (XEP-0045 §6.4), in a MUC room its
 * disco#items (§6.5), in a MIX channel its participants node (XEP-0369 §6.4), and the last
 * item of its archive (XEP-0313 with RSM `<max>1</max><before/>`), asked at once. A part the
 * room refuses with an error stanza is left `undefined`; if the room's disco#info fails (no
 * such room), or any answer times out, the summary rejects with that error.
 */
export async function roomSummary(
  connection: Connection,
  jid: string,
  options: RoomSummaryOptions = {},
): Promise<RoomSummary> {
  const { timeout } = options;
  const [info, items, lastActivity] = await Promise.all([
    connection.request(roomInfoIq(jid), timeout),
    refusedAsUndefined(connection.request(roomItemsIq(jid), timeout)),
    refusedAsUndefined(lastArchived(connection, jid, timeout)),
  ]);
  const kind = kindOfDiscoInfo(info) ?? (await discoverRoomKind(connection, jid));
  rememberRoomKind(jid, kind);
  if (kind === 'mix') {
    const answer = await refusedAsUndefined(connection.request(participantsIq(jid), timeout));
    const participants = answer && parseParticipants(answer);
    return {
      kind,
      occupants: participants?.length,
      nicks: participants?.flatMap((participant) => (participant.nick === undefined ? [] : [participant.nick])),
      lastActivity,
    };
  }
  const listed = items ? readOccupantNicks(items, jid) : [];
  const occupants = readOccupantCount(info) ?? (listed.length > 0 ? listed.length : undefined);
  const named = listed.length > 0 || occupants === 0;
  return { kind, occupants, nicks: named ? listed : undefined, lastActivity };
}

/** The stamp of the archive's last item: `null` for an empty archive, `undefined` for an item without one. */
async function lastArchived(
  connection: Connection,
  jid: string,
  timeout: number | undefined,
): Promise<Date | null | undefined> {
  const page = await fetchArchivePage(connection, jid, { before: '', max: 1 }, stampOnly, timeout);
  const last = page.messages.at(-1);
  if (last) return last.timestamp;
  // The page names an item that did not arrive as a result: something was archived, when is unknown.
  return page.first === undefined ? null : undefined;
}

/**
 * Reads any archived item, whatever it carries: only its archive id and the archive's stamp
 * matter here. A stamp that is no time counts as none.
 */
const stampOnly: ArchivedMessageReader = (_message: Element, resultId, delay) => {
  const stamp = delay?.attrs.stamp;
  const time = typeof stamp === 'string' ? new Date(stamp) : undefined;
  return {
    archiveId: resultId,
    lane: 'durable',
    participantId: '',
    senderJid: undefined,
    senderNick: undefined,
    submissionId: undefined,
    envelopes: [],
    timestamp: time && !Number.isNaN(time.getTime()) ? time : undefined,
  };
};

/** `undefined` where the room answers with an error stanza; other failures (timeouts) stand. */
async function refusedAsUndefined<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (error) {
    if ((error as { condition?: unknown }).condition === undefined) throw error;
    return undefined;
  }
}
