import type { XmppProvider } from './XmppProvider.js';

/** Where a document stands for its user: `synced`, `syncing` or `offline`, with unsent local changes. */
export interface SyncState {
  state: 'synced' | 'syncing' | 'offline';
  /** Local changes the channel has not acknowledged yet. */
  unsynced: number;
}

/** The sync state of a provider, as a status line shows it. */
export function syncStateOf(provider: XmppProvider | undefined): SyncState {
  if (!provider) return { state: 'offline', unsynced: 0 };
  const unsynced = provider.unsyncedChanges;
  // A connection that is reconnecting counts as offline: edits wait until it is back.
  if (provider.status === 'disconnected' || provider.room.connection.status !== 'online') {
    return { state: 'offline', unsynced };
  }
  if (provider.status === 'connecting' || !provider.synced || unsynced > 0) return { state: 'syncing', unsynced };
  return { state: 'synced', unsynced };
}

/** `Synced`, `Syncing… · 3 unsent` or `Offline · 3 unsent`. */
export function describeSyncState(status: SyncState): string {
  const pending = status.unsynced > 0 ? ` · ${status.unsynced} unsent` : '';
  if (status.state === 'synced') return 'Synced';
  if (status.state === 'syncing') return `Syncing…${pending}`;
  return `Offline${pending}`;
}

/**
 * Calls `listener` with the provider's sync state now and whenever it changes (provider and
 * connection events both move it). Returns the function that stops watching.
 */
export function watchSyncState(provider: XmppProvider, listener: (state: SyncState) => void): () => void {
  let last: SyncState | undefined;
  const check = () => {
    const state = syncStateOf(provider);
    if (last && state.state === last.state && state.unsynced === last.unsynced) return;
    last = state;
    listener(state);
  };
  const events = ['status', 'sync', 'unsynced'] as const;
  for (const name of events) provider.on(name, check);
  const connection = provider.room.connection;
  connection.on('status', check);
  check();
  return () => {
    for (const name of events) provider.off(name, check);
    connection.off('status', check);
  };
}
