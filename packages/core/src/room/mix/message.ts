import { NS_EVENT } from '../../events/registry.js';
import { type Element, childByLocalName, childElements, localNameOf, textOf } from '../../xml/index.js';
import type { RoomMessage } from '../kind.js';
import { nickOrNone } from '../participants.js';

/**
 * Reads a groupchat message reflected by the MIX channel `channel`: its `id` is the archive id
 * ([ID1]), the resource of `from` the participant id (XEP-0369 §7.1.5), and `<mix/>` names the
 * sender and, in the sender's own copy only, its submission id ([ECHO1]). Returns undefined for
 * anything else (other senders, other types, no id).
 */
export function readMixMessage(message: Element, channel: string, delay?: Element): RoomMessage | undefined {
  if (message.name !== 'message' || message.attrs.type !== 'groupchat') return undefined;
  const from = message.attrs.from as string | undefined;
  const archiveId = message.attrs.id as string | undefined;
  if (!from || !archiveId) return undefined;
  const slash = from.indexOf('/');
  if (slash === -1 || from.slice(0, slash) !== channel) return undefined;
  // A client may put its own <mix/> in a message; the channel appends its own after it.
  const mix = childElements(message).findLast((child) => localNameOf(child) === 'mix');
  const text = (name: string) => {
    const child = mix && childByLocalName(mix, name);
    return child ? textOf(child) : undefined;
  };
  const stamp = delay?.attrs.stamp as string | undefined;
  return {
    archiveId,
    lane: 'durable',
    participantId: from.slice(slash + 1),
    senderJid: text('jid'),
    senderNick: nickOrNone(text('nick')),
    submissionId: text('submission-id'),
    envelopes: message.getChildren('event', NS_EVENT),
    timestamp: stamp ? new Date(stamp) : undefined,
  };
}
