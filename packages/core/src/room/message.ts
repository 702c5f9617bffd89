import { NS_EVENT } from '../events/registry.js';
import { type Element, childByLocalName, textOf } from '../xml/index.js';

/** What a channel message carries besides its payload. */
export interface RoomMessage {
  /** The message's id as the channel stamped it: its MAM archive id ([ID1]). */
  archiveId: string;
  /** Participant id of the sender: the resource of `from` (XEP-0369 §7.1.5). */
  participantId: string;
  /** Sender's bare JID, when the channel discloses it. */
  senderJid: string | undefined;
  senderNick: string | undefined;
  /** The id the sender gave the message, reflected to the sender only ([ECHO1]). */
  submissionId: string | undefined;
  /** The `<event xmlns='urn:xsync:1'/>` envelope, if the message holds one. */
  envelope: Element | undefined;
  /** When the archive stored it, for messages from history. */
  timestamp: Date | undefined;
}

/**
 * Reads a groupchat message reflected by `channel`. Returns undefined for anything that
 * is not one (other senders, other types, no id).
 */
export function readChannelMessage(message: Element, channel: string, delay?: Element): RoomMessage | undefined {
  if (message.name !== 'message' || message.attrs.type !== 'groupchat') return undefined;
  const from = message.attrs.from as string | undefined;
  const archiveId = message.attrs.id as string | undefined;
  if (!from || !archiveId) return undefined;
  const slash = from.indexOf('/');
  if (slash === -1 || from.slice(0, slash) !== channel) return undefined;
  const mix = childByLocalName(message, 'mix');
  const text = (name: string) => {
    const child = mix && childByLocalName(mix, name);
    return child ? textOf(child) : undefined;
  };
  const stamp = delay?.attrs.stamp as string | undefined;
  return {
    archiveId,
    participantId: from.slice(slash + 1),
    senderJid: text('jid'),
    senderNick: text('nick'),
    submissionId: text('submission-id'),
    envelope: message.getChild('event', NS_EVENT),
    timestamp: stamp ? new Date(stamp) : undefined,
  };
}
