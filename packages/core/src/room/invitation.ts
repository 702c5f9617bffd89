import { type Element, childByLocalName, textOf, xml } from '../xml/index.js';

/** XEP-0407 (MIX Miscellaneous Capabilities) invitations. */
export const NS_MIX_MISC = 'urn:xmpp:mix:misc:0';

/** An invitation to a channel, as far as the message's sender can vouch for it. */
export interface Invitation {
  /** Bare JID of the message's sender (the `<inviter/>` element is not trusted over it). */
  inviter: string;
  channel: string;
}

/** XEP-0407 §4: a message inviting `to` into `channel`. */
export function invitationMessage(to: string, inviter: string, channel: string): Element {
  return xml(
    'message',
    { to },
    xml(
      'invitation',
      { xmlns: NS_MIX_MISC },
      xml('inviter', {}, inviter),
      xml('invitee', {}, to),
      xml('channel', {}, channel),
    ),
  );
}

/** Reads an invitation message; `undefined` for any other stanza. */
export function readInvitation(stanza: Element): Invitation | undefined {
  if (stanza.name !== 'message') return undefined;
  const invitation = stanza.getChild('invitation', NS_MIX_MISC);
  const channelElement = invitation && childByLocalName(invitation, 'channel');
  const from = stanza.attrs.from as string | undefined;
  if (!channelElement || !from) return undefined;
  const channel = textOf(channelElement).trim();
  if (!/^[^@/\s]+@[^@/\s]+$/.test(channel)) return undefined;
  return { inviter: from.split('/')[0]!, channel };
}
