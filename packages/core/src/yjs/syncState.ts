import type { XmppProvider } from './XmppProvider.js';

/** Where a document stands for its user: `synced`, `syncing` or `offline`, with unsent local changes. */
export interface SyncState {
  state: 'synced' | 'syncing' | 'offline';
  /** Local changes the channel has not acknowledged yet: things the person did, not Yjs updates. */
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

/**
 * The state in words about the user's work: `All changes saved`, `Saving 3 changes…`,
 * `Syncing…` (catching up, nothing of theirs waiting), `Offline · 3 changes not yet saved` or
 * `Offline`. A change is what the person did in one go (a stroke, a typed word), as
 * {@link XmppProvider.unsyncedChanges} counts.
 */
export function describeSyncState(status: SyncState): string {
  const changes = `${status.unsynced} ${status.unsynced === 1 ? 'change' : 'changes'}`;
  if (status.state === 'synced') return 'All changes saved';
  if (status.state === 'syncing') return status.unsynced > 0 ? `Saving ${changes}…` : 'Syncing…';
  return status.unsynced > 0 ? `Offline · ${changes} not yet saved` : 'Offline';
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
