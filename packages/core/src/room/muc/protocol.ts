import { NS_EVENT } from '../../events/registry.js';
import { type Element, childElements, xml } from '../../xml/index.js';
import type { Lane, RoomMessage } from '../kind.js';

export const NS_MUC = 'http://jabber.org/protocol/muc';
export const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';
export const NS_MUC_OWNER = 'http://jabber.org/protocol/muc#owner';
export const NS_OCCUPANT_ID = 'urn:xmpp:occupant-id:0';
export const NS_STANZA_ID = 'urn:xmpp:sid:0';
export const NS_HINTS = 'urn:xmpp:hints';
export const NS_DATA_FORMS = 'jabber:x:data';

/** Status codes of XEP-0045 §15.2 that xsync reads. */
export const STATUS = { self: '110', created: '201', nickChanged: '303' } as const;

/** XEP-0045 §7.2: enter the room as `nick`, asking for no history (the archive holds it). */
export function joinPresence(room: string, nick: string): Element {
  return xml('presence', { to: `${room}/${nick}` }, xml('x', { xmlns: NS_MUC }, xml('history', { maxstanzas: 0 })));
}

/** XEP-0045 §7.14: leave the room. */
export function leavePresence(room: string, nick: string): Element {
  return xml('presence', { to: `${room}/${nick}`, type: 'unavailable' });
}

/**
 * A groupchat message on a lane ([MUC2]): the durable lane asks the room to archive a bodiless
 * message with `<store/>`, the live lane asks it not to with `<no-store/>` (XEP-0334).
 */
export function mucMessage(room: string, id: string, lane: Lane, children: Element[]): Element {
  const hint = xml(lane === 'durable' ? 'store' : 'no-store', { xmlns: NS_HINTS });
  return xml('message', { type: 'groupchat', to: room, id }, ...children, hint);
}

/**
 * The lane a room message travelled ([MUC3]), by the rule both ejabberd and Prosody archive
 * by: `<no-store/>` is never archived; otherwise `<store/>` or a `<body/>` is.
 */
export function laneOf(message: Element): Lane {
  if (message.getChild('no-store', NS_HINTS)) return 'live';
  return message.getChild('store', NS_HINTS) || message.getChild('body') ? 'durable' : 'live';
}

/** An occupant as one presence from the room shows it. */
export interface OccupantPresence {
  nick: string;
  /** XEP-0421 occupant id, stamped by the room. */
  occupantId: string | undefined;
  /** Real bare JID, when the room discloses it. */
  jid: string | undefined;
  /** Real full JID of the session the presence is about, when the room discloses it. */
  session: string | undefined;
  available: boolean;
  /** XEP-0045 affiliation and role. */
  affiliation: string | undefined;
  role: string | undefined;
  /** The room was destroyed (an unavailable presence with `<destroy/>`, XEP-0045 §10.9). */
  destroyed: boolean;
  /** Status codes (XEP-0045 §15.2). */
  status: Set<string>;
}

/** Reads a presence from `room/nick`; undefined for anything else (errors, the bare room). */
export function readOccupantPresence(presence: Element, room: string): OccupantPresence | undefined {
  if (presence.name !== 'presence' || presence.attrs.type === 'error') return undefined;
  const nick = resourceOf(presence.attrs.from as string | undefined, room);
  if (nick === undefined) return undefined;
  const user = presence.getChild('x', NS_MUC_USER);
  const item = user?.getChild('item');
  const fullJid = item?.attrs.jid as string | undefined;
  return {
    nick,
    occupantId: occupantIdOf(presence),
    jid: fullJid?.split('/')[0],
    session: fullJid?.includes('/') ? fullJid : undefined,
    available: presence.attrs.type !== 'unavailable',
    affiliation: item?.attrs.affiliation as string | undefined,
    role: item?.attrs.role as string | undefined,
    destroyed: user?.getChild('destroy') !== undefined,
    status: new Set((user?.getChildren('status') ?? []).map((status) => String(status.attrs.code))),
  };
}

/** The occupant id the room stamped; rooms strip any the sender put in (XEP-0421 §4). */
export function occupantIdOf(stanza: Element): string | undefined {
  return stanza.getChild('occupant-id', NS_OCCUPANT_ID)?.attrs.id as string | undefined;
}

/** The archive id the room stamped (XEP-0359 `<stanza-id by='room'/>`); rooms strip forged ones. */
export function stanzaIdOf(message: Element, room: string): string | undefined {
  const stamped = childElements(message).find(
    (child) => child.name === 'stanza-id' && child.attrs.xmlns === NS_STANZA_ID && child.attrs.by === room,
  );
  return stamped?.attrs.id as string | undefined;
}

/**
 * Reads a groupchat message from an occupant of `room` ([MUC3]): archive id from the room's
 * `<stanza-id/>` (or the MAM result's id, `resultId`), sender from `<occupant-id/>` (the nick
 * where the room stamps none). Durable messages without an archive id are dropped.
 */
export function readMucMessage(
  message: Element,
  room: string,
  archived?: { resultId: string | undefined; delay: Element | undefined },
): RoomMessage | undefined {
  if (message.name !== 'message' || message.attrs.type !== 'groupchat') return undefined;
  const nick = resourceOf(message.attrs.from as string | undefined, room);
  if (nick === undefined) return undefined;
  const lane = archived ? 'durable' : laneOf(message);
  const archiveId = lane === 'live' ? undefined : archived ? archived.resultId : stanzaIdOf(message, room);
  if (lane === 'durable' && archiveId === undefined) return undefined;
  const stamp = archived?.delay?.attrs.stamp as string | undefined;
  return {
    archiveId,
    lane,
    participantId: occupantIdOf(message) ?? nick,
    senderJid: undefined,
    senderNick: nick,
    submissionId: message.attrs.id as string | undefined,
    envelopes: message.getChildren('event', NS_EVENT),
    timestamp: stamp ? new Date(stamp) : undefined,
  };
}

/** The resource of a JID of `room` (`room/nick` → `nick`); undefined for other JIDs. */
function resourceOf(from: string | undefined, room: string): string | undefined {
  if (!from || !from.startsWith(`${room}/`)) return undefined;
  const nick = from.slice(room.length + 1);
  return nick.length > 0 ? nick : undefined;
}

/** XEP-0045 §10.1.3: the room's configuration form. */
export function configFormIq(room: string): Element {
  return xml('iq', { type: 'get', to: room }, xml('query', { xmlns: NS_MUC_OWNER }));
}

/**
 * XEP-0045 §10.1.3: submits `values` for the fields the room's form offers (servers name the
 * archiving field differently: `mam` on ejabberd, `muc#roomconfig_enablearchiving` on Prosody).
 */
export function submitConfigIq(room: string, form: Element | undefined, values: Record<string, string>): Element {
  const offered = new Set((form?.getChildren('field') ?? []).map((field) => String(field.attrs.var)));
  const fields = Object.entries(values)
    .filter(([name]) => offered.has(name))
    .map(([name, value]) => xml('field', { var: name }, xml('value', {}, value)));
  return xml(
    'iq',
    { type: 'set', to: room },
    xml(
      'query',
      { xmlns: NS_MUC_OWNER },
      xml(
        'x',
        { xmlns: NS_DATA_FORMS, type: 'submit' },
        xml('field', { var: 'FORM_TYPE' }, xml('value', {}, 'http://jabber.org/protocol/muc#roomconfig')),
        ...fields,
      ),
    ),
  );
}

/**
 * What xsync asks of a room it creates ([MUC1]): it outlives its occupants, keeps an archive,
 * and shows members' real JIDs to each other, so a bot can tell who asks it for catch-up.
 */
export const ROOM_CONFIG: Record<string, string> = {
  'muc#roomconfig_persistentroom': '1',
  mam: '1',
  'muc#roomconfig_enablearchiving': '1',
  'muc#roomconfig_whois': 'anyone',
};
