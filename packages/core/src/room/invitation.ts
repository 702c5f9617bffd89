import { type Element, childByLocalName, textOf, xml } from '../xml/index.js';
import type { RoomKindName } from './kind.js';

/** XEP-0407 (MIX Miscellaneous Capabilities) invitations. */
export const NS_MIX_MISC = 'urn:xmpp:mix:misc:0';

/** XEP-0249 direct MUC invitations. */
export const NS_CONFERENCE = 'jabber:x:conference';

/** XEP-0045 §7.8.2 mediated invitations travel in the room's user namespace. */
const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';

/** An invitation to a room, as far as the message's sender can vouch for it. */
export interface Invitation {
  /** Bare JID of the message's sender (an `<inviter/>` element is not trusted over it). */
  inviter: string;
  /** Bare JID of the room. */
  room: string;
}

/**
 * A message inviting `to` into `room`: XEP-0407 §4 for a MIX channel. For a MUC room, from
 * an occupant, a mediated invitation (XEP-0045 §7.8.2), sent to the room, which vouches for
 * the inviter and, in a members-only room that lets members invite, makes the invitee a
 * member ([ACC1]); from anyone else (rooms take messages from occupants only), a XEP-0249
 * direct invitation.
 */
export function invitationMessage(
  to: string,
  inviter: string,
  room: string,
  kind: RoomKindName = 'mix',
  { occupant = false }: { occupant?: boolean } = {},
): Element {
  if (kind === 'muc' && occupant) {
    return xml('message', { to: room }, xml('x', { xmlns: NS_MUC_USER }, xml('invite', { to })));
  }
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

/**
 * Reads an invitation message of any kind (MIX, MUC mediated, MUC direct); `undefined` for
 * any other stanza. A mediated invitation comes from the room, which names the inviter.
 */
export function readInvitation(stanza: Element): Invitation | undefined {
  const from = stanza.attrs.from as string | undefined;
  if (stanza.name !== 'message' || !from) return undefined;
  const mediated = stanza.getChild('x', NS_MUC_USER)?.getChild('invite');
  if (mediated) {
    const room = from;
    const inviter = String(mediated.attrs.from ?? '').split('/')[0]!;
    // The room names the inviter; a room speaks only for accounts of its own server, so a
    // remote room cannot pass off an invitation as one from a local account. A room that hides
    // real JIDs (Prosody's semi-anonymous rooms) names the inviter's occupant JID instead: no account.
    if (!JID.test(room) || !JID.test(inviter) || inviter === room || !sameServer(room, inviter)) return undefined;
    return { inviter, room };
  }
  const mix = stanza.getChild('invitation', NS_MIX_MISC);
  const channel = mix && childByLocalName(mix, 'channel');
  const room = channel
    ? textOf(channel).trim()
    : (stanza.getChild('x', NS_CONFERENCE)?.attrs.jid as string | undefined);
  if (room === undefined || !JID.test(room)) return undefined;
  return { inviter: from.split('/')[0]!, room };
}

/** A bare JID with a local part. */
const JID = /^[^@/\s]+@[^@/\s]+$/;

/** Whether the room's service is the inviter's domain or one of its subdomains (`muc.example.org`). */
function sameServer(room: string, inviter: string): boolean {
  const service = room.split('@')[1]!;
  const domain = inviter.split('@')[1]!;
  return service === domain || service.endsWith(`.${domain}`);
}
