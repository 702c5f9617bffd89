import { type Element, childByLocalName, childElements, localNameOf, textOf, xml } from '../../xml/index.js';
import { type Participant, type ParticipantChange, nickOrNone } from '../participants.js';

export const NS_MIX_CORE = 'urn:xmpp:mix:core:1';
export const NS_MIX_PAM = 'urn:xmpp:mix:pam:2';
export const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';
export const NS_PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';
export const NODE_MESSAGES = 'urn:xmpp:mix:nodes:messages';
export const NODE_PARTICIPANTS = 'urn:xmpp:mix:nodes:participants';

/** XEP-0369 §7.3.2: create a channel on a MIX service. */
export function createChannelIq(mixDomain: string, name?: string): Element {
  return xml('iq', { type: 'set', to: mixDomain }, xml('create', { xmlns: NS_MIX_CORE, channel: name }));
}

/** XEP-0405 §5.1: join through the user's own server, subscribing to messages and participants. */
export function clientJoinIq(userBareJid: string, channel: string, nick?: string): Element {
  return xml(
    'iq',
    { type: 'set', to: userBareJid },
    xml(
      'client-join',
      { xmlns: NS_MIX_PAM, channel },
      xml(
        'join',
        { xmlns: NS_MIX_CORE },
        xml('subscribe', { node: NODE_MESSAGES }),
        xml('subscribe', { node: NODE_PARTICIPANTS }),
        nick === undefined ? undefined : xml('nick', {}, nick),
      ),
    ),
  );
}

/** XEP-0405 §5.2: leave through the user's own server. */
export function clientLeaveIq(userBareJid: string, channel: string): Element {
  return xml(
    'iq',
    { type: 'set', to: userBareJid },
    xml('client-leave', { xmlns: NS_MIX_PAM, channel }, xml('leave', { xmlns: NS_MIX_CORE })),
  );
}

/** XEP-0369 §6.4: the participants node, read through PubSub. */
export function participantsIq(channel: string): Element {
  return xml(
    'iq',
    { type: 'get', to: channel },
    xml('pubsub', { xmlns: NS_PUBSUB }, xml('items', { node: NODE_PARTICIPANTS })),
  );
}

/**
 * Reads the participant id from a join result. ejabberd 23.01 answers `<client-join/>` in
 * `urn:xmpp:mix:core:1` rather than the PAM namespace, so elements are found by local name.
 * The id is the part of `join/@jid` before `#` (XEP-0369 §7.1.1), or `join/@id`.
 */
export function parseJoinResult(result: Element): { participantId: string; nick?: string } {
  const clientJoin = childByLocalName(result, 'client-join');
  const join = clientJoin && childByLocalName(clientJoin, 'join');
  if (!join) throw new Error('MIX join result without <join/>');
  const jid = join.attrs.jid as string | undefined;
  const hash = jid?.indexOf('#') ?? -1;
  const participantId = (join.attrs.id as string | undefined) ?? (hash > 0 ? jid!.slice(0, hash) : undefined);
  if (!participantId) throw new Error('MIX join result without a participant id');
  const nick = childByLocalName(join, 'nick');
  const own = nick && nickOrNone(textOf(nick));
  return { participantId, ...(own && { nick: own }) };
}

/** Reads `<item id='…'><participant jid='…' nick='…'/></item>` in any MIX namespace version. */
export function parseParticipantItem(item: Element): Participant | undefined {
  const id = item.attrs.id as string | undefined;
  const participant = childByLocalName(item, 'participant');
  if (!id || !participant) return undefined;
  // ejabberd 23.01 puts jid and nick in attributes; XEP-0369 puts them in child elements.
  const jid = (participant.attrs.jid as string | undefined) ?? textOfChild(participant, 'jid');
  const nick = nickOrNone((participant.attrs.nick as string | undefined) ?? textOfChild(participant, 'nick'));
  return { id, ...(jid && { jid }), ...(nick && { nick }) };
}

/** Parses the participants node's items from a PubSub result. */
export function parseParticipants(result: Element): Participant[] {
  const pubsub = childByLocalName(result, 'pubsub');
  const items = pubsub && childByLocalName(pubsub, 'items');
  if (!items) return [];
  return childElements(items)
    .filter((item) => localNameOf(item) === 'item')
    .map(parseParticipantItem)
    .filter((participant): participant is Participant => participant !== undefined);
}

/** Reads participant joins (`item`) and leaves (`retract`) from a PubSub event message. */
export function parseParticipantEvent(message: Element): ParticipantChange[] {
  const event = message.getChild('event', NS_PUBSUB_EVENT);
  const items = event?.getChild('items');
  if (!items || items.attrs.node !== NODE_PARTICIPANTS) return [];
  const changes: ParticipantChange[] = [];
  for (const child of childElements(items)) {
    if (child.name === 'item') {
      const participant = parseParticipantItem(child);
      if (participant) changes.push({ kind: 'joined', participant });
    } else if (child.name === 'retract' && typeof child.attrs.id === 'string') {
      changes.push({ kind: 'left', id: child.attrs.id });
    }
  }
  return changes;
}

function textOfChild(parent: Element, localName: string): string | undefined {
  const child = childByLocalName(parent, localName);
  return child ? textOf(child) : undefined;
}
