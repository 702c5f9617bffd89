export {
  XmppProvider,
  type XmppProviderOptions,
  type XmppProviderEvents,
  type ProviderStatus,
  type ProviderOrigin,
} from './XmppProvider.js';
export { UpdateQueue, type UpdateQueueOptions } from './UpdateQueue.js';
export { ArchiveCursor, SETTLE_MS } from './ArchiveCursor.js';
