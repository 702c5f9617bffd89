import type { ChannelInfo } from '../../events/types/channelInfo.js';
import { type Element, xml } from '../../xml/index.js';
import { NS_DATA_FORMS } from './protocol.js';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';

/** XEP-0045 §6.4: what the room tells anyone who asks, its name and description among it. */
export function roomInfoIq(room: string): Element {
  return xml('iq', { type: 'get', to: room }, xml('query', { xmlns: NS_DISCO_INFO }));
}

/**
 * A room's name (its `conference` identity) and description (the `muc#roominfo_description`
 * field, XEP-0045 §15.5.4) from its disco#info answer. A name or description left empty
 * counts as none.
 */
export function readRoomInfo(result: Element): ChannelInfo {
  const query = result.getChild('query', NS_DISCO_INFO);
  const identity = query?.getChildren('identity').find((child) => child.attrs.category === 'conference');
  const form = query
    ?.getChildren('x', NS_DATA_FORMS)
    .find((x) => fieldValue(x, 'FORM_TYPE') === 'http://jabber.org/protocol/muc#roominfo');
  const name = identity?.attrs.name as string | undefined;
  const description = form ? fieldValue(form, 'muc#roominfo_description') : undefined;
  return {
    ...(name !== undefined && name !== '' && { name }),
    ...(description !== undefined && description !== '' && { description }),
  };
}

/** The owner's configuration fields that hold a room's name and description. */
export function infoConfig(info: ChannelInfo): Record<string, string> {
  return {
    ...(info.name !== undefined && { 'muc#roomconfig_roomname': info.name }),
    ...(info.description !== undefined && { 'muc#roomconfig_roomdesc': info.description }),
  };
}

function fieldValue(form: Element, name: string): string | undefined {
  return (
    form
      .getChildren('field')
      .find((field) => field.attrs.var === name)
      ?.getChildText('value') ?? undefined
  );
}
