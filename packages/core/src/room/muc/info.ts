import type { ChannelInfo } from '../../events/types/channelInfo.js';
import { nickOrNone } from '../participants.js';
import { type Element, xml } from '../../xml/index.js';
import { NS_DATA_FORMS } from './protocol.js';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const NS_ROOMINFO = 'http://jabber.org/protocol/muc#roominfo';

/** XEP-0045 §6.4: what the room tells anyone who asks, its name and description among it. */
export function roomInfoIq(room: string): Element {
  return xml('iq', { type: 'get', to: room }, xml('query', { xmlns: NS_DISCO_INFO }));
}

/** XEP-0045 §6.5: the room's items, which a server may answer with its occupants. */
export function roomItemsIq(room: string): Element {
  return xml('iq', { type: 'get', to: room }, xml('query', { xmlns: NS_DISCO_ITEMS }));
}

/**
 * A room's name (its `conference` identity) and description (the `muc#roominfo_description`
 * field, XEP-0045 §15.5.4) from its disco#info answer. A name or description left empty
 * counts as none.
 */
export function readRoomInfo(result: Element): ChannelInfo {
  const query = result.getChild('query', NS_DISCO_INFO);
  const identity = query?.getChildren('identity').find((child) => child.attrs.category === 'conference');
  const form = roomInfoForm(result);
  const name = identity?.attrs.name as string | undefined;
  const description = form ? fieldValue(form, 'muc#roominfo_description') : undefined;
  return {
    ...(name !== undefined && name !== '' && { name }),
    ...(description !== undefined && description !== '' && { description }),
  };
}

/**
 * How many occupants a room has now, from the `muc#roominfo_occupants` field of its disco#info
 * answer (XEP-0045 §15.5.4), which ejabberd and Prosody give anyone who asks; `undefined`
 * when the room does not say, or says something that is not a count.
 */
export function readOccupantCount(result: Element): number | undefined {
  const form = roomInfoForm(result);
  const value = form && fieldValue(form, 'muc#roominfo_occupants')?.trim();
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/**
 * The nicks of a room's occupants from its disco#items answer (XEP-0045 §6.5: items
 * `room/nick`). ejabberd lists them for rooms whose occupant list is public; Prosody 13 lists
 * none. Items of other JIDs, and nicks over the limit ([LIM2]), are left out.
 */
export function readOccupantNicks(result: Element, room: string): string[] {
  const query = result.getChild('query', NS_DISCO_ITEMS);
  const nicks: string[] = [];
  for (const item of query?.getChildren('item') ?? []) {
    const jid = item.attrs.jid as string | undefined;
    if (!jid?.startsWith(`${room}/`)) continue;
    const nick = nickOrNone(jid.slice(room.length + 1));
    if (nick) nicks.push(nick);
  }
  return nicks;
}

/** The owner's configuration fields that hold a room's name and description. */
export function infoConfig(info: ChannelInfo): Record<string, string> {
  return {
    ...(info.name !== undefined && { 'muc#roomconfig_roomname': info.name }),
    ...(info.description !== undefined && { 'muc#roomconfig_roomdesc': info.description }),
  };
}

/** The `muc#roominfo` form of a disco#info answer. */
function roomInfoForm(result: Element): Element | undefined {
  return result
    .getChild('query', NS_DISCO_INFO)
    ?.getChildren('x', NS_DATA_FORMS)
    .find((x) => fieldValue(x, 'FORM_TYPE') === NS_ROOMINFO);
}

function fieldValue(form: Element, name: string): string | undefined {
  return (
    form
      .getChildren('field')
      .find((field) => field.attrs.var === name)
      ?.getChildText('value') ?? undefined
  );
}
