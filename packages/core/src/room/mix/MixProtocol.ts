import type { Connection } from '../../connection/Connection.js';
import type { Element } from '../../xml/index.js';
import { xml } from '../../xml/index.js';
import type { Joined, Lane, RoomMessage, RoomProtocol, RoomSignal } from '../kind.js';
import { errorCondition } from '../errors.js';
import { MAX_NICK_BYTES, type Participant, nickOrNone } from '../participants.js';
import { readMixMessage } from './message.js';
import {
  clientJoinIq,
  clientLeaveIq,
  parseJoinResult,
  parseParticipantEvent,
  parseParticipants,
  participantsIq,
} from './protocol.js';

/**
 * A MIX channel (XEP-0369) joined through the user's own server (MIX-PAM, XEP-0405). Every
 * channel message is archived whatever its hints, so both lanes are archived here ([MIX2]).
 */
export class MixProtocol implements RoomProtocol {
  readonly kind = 'mix';
  /** The subscription is the account's, kept by its server across sessions (MIX-PAM). */
  readonly sessionBound = false;

  constructor(
    private readonly connection: Connection,
    private readonly jid: string,
    private readonly nick: string | undefined,
  ) {}

  async join(): Promise<Joined> {
    const { connection, jid } = this;
    // A MUC service refuses a longer nick itself; a MIX channel would stamp it on every message.
    if (this.nick !== undefined && nickOrNone(this.nick) === undefined) {
      throw new RangeError(`A nick is at most ${MAX_NICK_BYTES} bytes of UTF-8`);
    }
    const joining = connection.request(clientJoinIq(connection.bareJid, jid, this.nick));
    // The participant list is asked for in the same flight. The channel answers only
    // participants, and the join reaches it through the user's server (MIX-PAM) while the
    // query goes straight there, so a refusal, or a list without this participant, just
    // means the join had not arrived: ask again.
    const listing = connection.request(participantsIq(jid)).then(
      (answer) => answer,
      () => undefined,
    );
    const { participantId } = parseJoinResult(await joining);
    const listed = await listing;
    let participants = listed && parseParticipants(listed);
    if (!participants?.some((participant) => participant.id === participantId)) {
      participants = await this.participants();
    }
    return { participantId, participants };
  }

  async leave(): Promise<void> {
    await this.connection.request(clientLeaveIq(this.connection.bareJid, this.jid));
  }

  async participants(): Promise<Participant[]> {
    return parseParticipants(await this.connection.request(participantsIq(this.jid)));
  }

  message(id: string, _lane: Lane, children: Element[]): Element {
    return xml('message', { type: 'groupchat', to: this.jid, id }, ...children);
  }

  receive(stanza: Element): RoomSignal | undefined {
    if (stanza.name !== 'message') return undefined;
    if (stanza.attrs.from === this.jid) return { kind: 'participants', changes: parseParticipantEvent(stanza) };
    if (stanza.attrs.type === 'error') return { kind: 'error', id: stanza.attrs.id, condition: errorCondition(stanza) };
    const message = readMixMessage(stanza, this.jid);
    return message && { kind: 'message', message, stanza };
  }

  readArchived(message: Element, resultId: string | undefined, delay: Element | undefined): RoomMessage | undefined {
    const read = readMixMessage(message, this.jid, delay);
    // The archive id of a result is its `id` (XEP-0313 §4.2); the inner message carries the same.
    return read && { ...read, archiveId: resultId ?? read.archiveId };
  }
}
