import { type Element, childByLocalName, textOf } from '@xsync/core';

/** XEP-0407 (MIX Miscellaneous Capabilities) invitations. */
export const NS_MIX_MISC = 'urn:xmpp:mix:misc:0';

/** An invitation to a channel, as far as the message's sender can vouch for it. */
export interface Invitation {
  /** Bare JID of the message's sender (the `<inviter/>` element is not trusted over it). */
  inviter: string;
  channel: string;
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

/** Whether an inviter is allowed by a list of bare JIDs, domains and `*`. */
export function inviterAllowed(inviter: string, allowed: readonly string[]): boolean {
  const domain = inviter.slice(inviter.indexOf('@') + 1);
  return allowed.some((entry) => entry === '*' || entry === inviter || entry === domain);
}
