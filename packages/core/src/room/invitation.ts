import { type Element, childByLocalName, textOf, xml } from '../xml/index.js';
import type { RoomKindName } from './kind.js';

/** XEP-0407 (MIX Miscellaneous Capabilities) invitations. */
export const NS_MIX_MISC = 'urn:xmpp:mix:misc:0';

/** XEP-0249 direct MUC invitations. */
export const NS_CONFERENCE = 'jabber:x:conference';

/** An invitation to a room, as far as the message's sender can vouch for it. */
export interface Invitation {
  /** Bare JID of the message's sender (an `<inviter/>` element is not trusted over it). */
  inviter: string;
  /** Bare JID of the room. */
  room: string;
}

/**
 * A message inviting `to` into `room`: XEP-0407 §4 for a MIX channel, a XEP-0249 direct
 * invitation for a MUC room.
 */
export function invitationMessage(to: string, inviter: string, room: string, kind: RoomKindName = 'mix'): Element {
  if (kind === 'muc') return xml('message', { to }, xml('x', { xmlns: NS_CONFERENCE, jid: room }));
  return xml(
    'message',
    { to },
    xml(
      'invitation',
      { xmlns: NS_MIX_MISC },
      xml('inviter', {}, inviter),
      xml('invitee', {}, to),
      xml('channel', {}, room),
    ),
  );
}

/** Reads an invitation message of either kind; `undefined` for any other stanza. */
export function readInvitation(stanza: Element): Invitation | undefined {
  const from = stanza.attrs.from as string | undefined;
  if (stanza.name !== 'message' || !from) return undefined;
  const mix = stanza.getChild('invitation', NS_MIX_MISC);
  const channel = mix && childByLocalName(mix, 'channel');
  const room = channel
    ? textOf(channel).trim()
    : (stanza.getChild('x', NS_CONFERENCE)?.attrs.jid as string | undefined);
  if (room === undefined || !/^[^@/\s]+@[^@/\s]+$/.test(room)) return undefined;
  return { inviter: from.split('/')[0]!, room };
}
