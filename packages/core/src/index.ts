export {
  Connection,
  ConnectionClosedError,
  connect,
  type ConnectionOptions,
  type ConnectionStatus,
  type ConnectionEvents,
} from './connection/Connection.js';
export type { LoginInfo } from './connection/loginTrace.js';
export { type FastToken, type TokenStore, memoryTokenStore } from './connection/fast/tokens.js';
export { indexedDbTokenStore } from './connection/fast/indexedDbTokenStore.js';
export type { WebSocketConstructor } from './connection/webSocketTransport.js';
export { clearScramCache } from './connection/scram.js';
export { RegistrationError, NS_REGISTER } from './connection/registration.js';
export {
  Room,
  type RoomOptions,
  type RoomEvents,
  type RoomEvent,
  type LiveEvent,
  type RejectedEvent,
  type EventSource,
  type PublishOptions,
  type Published,
  type HistoryQuery,
  type History,
  type AwarenessMessage,
} from './room/Room.js';
export type { RoomSummary, RoomSummaryOptions } from './room/summary.js';
export { NS_AWARENESS, AWARENESS_LIMITS } from './room/awareness.js';
export { PublishError, PublishTimeoutError } from './room/errors.js';
export {
  RoomAccessError,
  UnsupportedByRoomKindError,
  type RoomAccess,
  type RoomCreation,
  type RoomEditors,
  type RoomMember,
  type RoomRole,
} from './room/access.js';
export type { Lane, RoomKindName } from './room/kind.js';
export { discoverRoomKind, NotARoomServiceError } from './room/discovery.js';
export { MucJoinError } from './room/muc/MucProtocol.js';
export { lanesOf } from './events/lanes.js';
export { NS_MIX_MISC, NS_CONFERENCE, type Invitation, invitationMessage, readInvitation } from './room/invitation.js';
export { MAX_PAGE_SIZE } from './room/archive.js';
export { compareArchiveIds } from './room/archiveOrder.js';
export type { Participant, ParticipantChange, SessionChange } from './room/participants.js';
export { MAX_NICK_BYTES } from './room/participants.js';
export {
  defineEventType,
  type EventType,
  type Reducer,
  type StateCodec,
  type PayloadOf,
  type StateOf,
} from './events/EventType.js';
export {
  EventTypeRegistry,
  NS_EVENT,
  DEFAULT_LIMITS,
  type DecodedEvent,
  type RefusedEvent,
  type EncodeOptions,
} from './events/registry.js';
export type { PayloadLimits } from './events/limits.js';
export { EventRejectedError, REJECTION_REASONS, reject, type RejectionReason } from './events/rejection.js';
export {
  ChainTracker,
  canonicalXml,
  sealOf,
  type ChainGap,
  type ChainPosition,
  type ChainVerdict,
} from './events/integrity.js';
export { createRegistry, BUILTIN_EVENT_TYPES } from './events/builtin.js';
export { Replica, type ApplyResult, type ReplicaSnapshot } from './events/Replica.js';
export { decodeBase64, encodeBase64 } from './events/base64.js';
export { yjsUpdate, validateYjsUpdate, REMOTE_UPDATE_ORIGIN } from './events/types/yjsUpdate.js';
export { clientIdPrefix, ownsClientId, newClientId, SESSION_BITS } from './yjs/clientIds.js';
export { jsonPatch, type JsonValue } from './events/types/jsonPatch.js';
export { channelInfo, CHANNEL_INFO_LIMITS, type ChannelInfo } from './events/types/channelInfo.js';
export {
  domOperations,
  DomState,
  ROOT_ID,
  type DomOperation,
  type NodeSpec,
  type ElementSpec,
  type TextSpec,
  type AttributeSpec,
} from './events/types/dom/index.js';
export { xml, Element, childByLocalName, childElements, textOf } from './xml/index.js';
export {
  NS_CATCH_UP,
  BOT_RESOURCE,
  MAX_STATE_VECTOR_CHARS,
  type CatchUpRequest,
  type CatchUpAnswer,
  catchUpRequestIq,
  parseCatchUpRequest,
  catchUpAnswerElement,
  parseCatchUpAnswer,
  partRequestIq,
  partElement,
} from './catchup/protocol.js';
export { type CaughtUp, botAddress, requestCatchUp } from './catchup/client.js';
export { ArchiveCursor, SETTLE_MS } from './room/ArchiveCursor.js';
export {
  NS_HTTP_UPLOAD,
  type UploadService,
  type UploadSlot,
  findUploadService,
  requestUploadSlot,
  uploadFile,
} from './upload/httpUpload.js';
