import type { XmppProvider } from '@xsync/core/yjs';

/** What the status line shows: `synced`, `syncing` or `offline`, with unsent local changes. */
export interface EditorStatus {
  state: 'synced' | 'syncing' | 'offline';
  /** Local changes the channel has not acknowledged yet. */
  unsynced: number;
}

export function statusOf(provider: XmppProvider | undefined): EditorStatus {
  if (!provider) return { state: 'offline', unsynced: 0 };
  const unsynced = provider.unsyncedChanges;
  // A connection that is reconnecting counts as offline: edits wait until it is back.
  if (provider.status === 'disconnected' || provider.channel.connection.status !== 'online') {
    return { state: 'offline', unsynced };
  }
  if (provider.status === 'connecting' || !provider.synced || unsynced > 0) return { state: 'syncing', unsynced };
  return { state: 'synced', unsynced };
}

export function describeStatus(status: EditorStatus): string {
  const pending = status.unsynced > 0 ? ` · ${status.unsynced} unsent` : '';
  if (status.state === 'synced') return 'Synced';
  if (status.state === 'syncing') return `Syncing…${pending}`;
  return `Offline${pending}`;
}
