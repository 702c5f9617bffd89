import type { ChainPosition } from '../events/integrity.js';
import type { EventType } from '../events/EventType.js';
import type { EventTypeRegistry } from '../events/registry.js';
import type { RejectionReason } from '../events/rejection.js';
import type { Lane, RoomKindName } from './kind.js';
import type { RoomCreation } from './access.js';
import type { Participant, ParticipantChange, SessionChange } from './participants.js';

/** Where an event came from: the live stream or the archive. */
export type EventSource = 'live' | 'history';

/** A decoded, validated event of a room. */
export interface RoomEvent<Payload = unknown> {
  type: EventType<Payload>;
  payload: Payload;
  /** Document or stream within the room, if the sender named one ([ENV3]). */
  doc: string | undefined;
  /** MAM archive id: the event's position in the room's order ([ORD2]). */
  archiveId: string;
  sender: Participant;
  /** Published through this very Room object (its echo, [ECHO1]). */
  own: boolean;
  source: EventSource;
  /** Archive time, for events from history. */
  timestamp: Date | undefined;
  /** Its place in its sender's chain, its seal checked ([INT1], [INT2]); absent if the sender keeps none. */
  chain?: ChainPosition;
}

/** A decoded, validated event that came on the live lane: relayed, never archived ([LANE2]). */
export interface LiveEvent<Payload = unknown> {
  type: EventType<Payload>;
  payload: Payload;
  doc: string | undefined;
  sender: Participant;
  /** Broadcast through this very Room object (its echo). */
  own: boolean;
  /**
   * For an own echo: when it was broadcast (`performance.now()`), so that the time it spent
   * in the room's relay can be told.
   */
  sentAt?: number;
}

/** An incoming event that was refused; the stream goes on without it ([REJ1]). */
export interface RejectedEvent {
  reason: RejectionReason;
  message: string;
  /** Archive id of the refused message; `undefined` on the live lane. */
  archiveId: string | undefined;
  sender: Participant;
  /** `{namespace}element` of the refused payload, when it had one. */
  payloadName: string | undefined;
  /** Document the event named ([ENV3]), when it named a valid one. */
  doc?: string | undefined;
  source: EventSource;
  lane: Lane;
}

/** Presence data (cursors, names) that rode on a message ([AW1]). */
export interface AwarenessMessage {
  /** A y-protocols awareness update. */
  update: Uint8Array;
  doc: string | undefined;
  sender: Participant;
}

/** Events of a {@link Room}. */
export interface RoomEvents {
  /** A valid event of the durable lane, in room order. */
  event: (event: RoomEvent) => void;
  /** A valid event of the live lane ([LANE2]). */
  live: (event: LiveEvent) => void;
  /** An invalid event was dropped. */
  rejected: (rejection: RejectedEvent) => void;
  /** A live awareness update arrived (never from history). */
  awareness: (message: AwarenessMessage) => void;
  /** Someone joined or left. */
  participants: (change: ParticipantChange, participants: ReadonlyMap<string, Participant>) => void;
  /** A session entered or left a MUC room that discloses real JIDs; after any `participants` event it caused. */
  session: (change: SessionChange) => void;
  /** The room removed this client (kicked, banned, or the room was destroyed): join again to go on. */
  removed: (condition: string) => void;
}

/** Options of {@link Room}. */
export interface RoomOptions {
  /** Bare JID of the room: a MUC room (`team@muc.example.org`) or a MIX channel (`team@mix.example.org`). */
  jid: string;
  /** The room's kind. Default: found by service discovery on the room's service ([KIND1]). */
  kind?: RoomKindName;
  /** Event types understood here. Default: `createRegistry()`, the built-in types. */
  registry?: EventTypeRegistry;
  /**
   * When this client's join creates a MUC room: who may enter it, who edits, whether it is
   * listed ([ACC1]). Default: public, everyone edits, unlisted.
   */
  creation?: RoomCreation;
  /**
   * Whether joining may create the room (MUC: entering a room that does not exist creates it).
   * When `false`, a join that created the room destroys it again and fails with `MucJoinError`
   * (`item-not-found`): a follower such as a bot never brings back a room its owner ended.
   * Default: `true`.
   */
  create?: boolean;
  /** Nick to join with. Default: a MIX channel assigns none; a MUC room gets the account's local part. */
  nick?: string;
  /** Milliseconds to wait for a published event's reflection. Default: 10,000. */
  publishTimeout?: number;
  /**
   * Least milliseconds between two automatic fallback bodies ([ENV4]). A `<body/>` makes
   * ejabberd process a message about three times slower, so bursts carry one only at this
   * interval. Default: 10,000; `0` puts one on every event.
   */
  fallbackBodyInterval?: number;
}

/** Options of {@link Room.publish} and {@link Room.broadcast}. */
export interface PublishOptions {
  /** Document or stream within the room ([ENV3]). */
  doc?: string;
  /**
   * Fallback `<body/>` for ordinary clients ([ENV4]): a string is always sent, `false` never.
   * Default: the type's `describe()`, at most once per `fallbackBodyInterval`, durable lane only.
   */
  body?: string | false;
  /** A y-protocols awareness update to carry in the same stanza ([AW1]). */
  awareness?: Uint8Array;
}

/** Where a published event landed. */
export interface Published {
  /** MAM archive id the room gave the event. */
  archiveId: string;
  /** The message id this client sent. */
  submissionId: string;
}

/** Events from the archive, oldest first. */
export interface History {
  events: RoomEvent[];
  rejected: RejectedEvent[];
  /** Archive id of the newest item read, valid or not: the cursor to continue from. */
  last: string | undefined;
  /** Archive requests made. */
  pages: number;
}
