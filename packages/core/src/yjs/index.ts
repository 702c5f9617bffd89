export {
  XmppProvider,
  CHANGE_PAUSE,
  type XmppProviderOptions,
  type XmppProviderEvents,
  type ProviderStatus,
  type ProviderOrigin,
  type CatchUpResult,
  type IntegrityReport,
} from './XmppProvider.js';
export { UpdateQueue, type UpdateQueueOptions } from './UpdateQueue.js';
export { ArchiveCursor, SETTLE_MS } from '../room/ArchiveCursor.js';
export { RoomSession, type RoomSessionOptions } from './RoomSession.js';
export { type SyncState, syncStateOf, describeSyncState, watchSyncState } from './syncState.js';
export { watchRole } from './roomRole.js';
export { RoomAccess, type RoomSource } from './RoomAccess.js';
export { type AwarenessUser, USER_COLORS, announceUser, userOf } from './awarenessUser.js';
