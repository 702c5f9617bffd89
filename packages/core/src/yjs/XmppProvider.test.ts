import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Room, RoomEvent, History, HistoryQuery } from '../room/Room.js';
import { yjsUpdate } from '../events/types/yjsUpdate.js';
import { XmppProvider } from './XmppProvider.js';

/** A channel whose archive forgot every id: queries `after` an id fail as a pruned archive would. */
class PrunedArchiveChannel extends ObservableV2<Record<string, (...args: unknown[]) => void>> {
  readonly participantId = 'me';
  readonly connection = Object.assign(new ObservableV2<Record<string, () => void>>(), { status: 'online' });
  readonly queries: HistoryQuery[] = [];
  constructor(readonly archived: RoomEvent[]) {
    super();
  }
  readonly awarenessSent: Uint8Array[] = [];
  async sendAwareness(update: Uint8Array): Promise<void> {
    this.awarenessSent.push(update);
  }
  async history(query: HistoryQuery = {}): Promise<History> {
    this.queries.push(query);
    if (query.after !== undefined) throw Object.assign(new Error('item-not-found'), { condition: 'item-not-found' });
    return { events: this.archived, rejected: [], last: this.archived.at(-1)?.archiveId, pages: 1 };
  }
}

function archivedEdit(archiveId: string, text: string): RoomEvent {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return {
    type: yjsUpdate as RoomEvent['type'],
    payload: Y.encodeStateAsUpdate(doc),
    doc: undefined,
    archiveId,
    sender: { id: 'other' },
    own: false,
    source: 'history',
    timestamp: undefined,
  };
}

describe('XmppProvider catch-up', () => {
  it('[YP2] resyncs from the whole archive when the cursor id is gone', async () => {
    const channel = new PrunedArchiveChannel([archivedEdit('10', 'pruned? ')]);
    const provider = new XmppProvider(channel as unknown as Room, new Y.Doc(), { connect: false });
    await provider.connect();
    expect(provider.lastArchiveId).toBe('10');
    provider.disconnect();
    channel.archived.push(archivedEdit('20', 'later. '));
    await provider.connect();
    expect(channel.queries).toEqual([{}, { after: '10' }, {}]);
    expect(provider.synced).toBe(true);
    expect(provider.doc.getText('t').length).toBe('pruned? later. '.length);
    provider.destroy();
  });

  it('destroys the awareness it made, and leaves one it was given alone', () => {
    const channel = new PrunedArchiveChannel([]) as unknown as Room;
    const own = new XmppProvider(channel, new Y.Doc(), { connect: false });
    own.destroy();
    expect(own.awareness.getLocalState()).toBeNull();
    const doc = new Y.Doc();
    const given = new Awareness(doc);
    const borrowing = new XmppProvider(channel, doc, { connect: false, awareness: given });
    borrowing.destroy();
    expect(given.getLocalState()).toEqual({});
    given.destroy();
  });

  it('[REJ1] reports a live update that cannot apply instead of throwing into the stream', async () => {
    const channel = new PrunedArchiveChannel([]);
    const provider = new XmppProvider(channel as unknown as Room, new Y.Doc(), { connect: false });
    await provider.connect();
    const rejected: string[] = [];
    provider.on('rejected', (rejection) => rejected.push(`${rejection.reason}@${rejection.archiveId}`));
    // Valid framing, but its item's parent points at an item that does not exist.
    const poisoned = { ...archivedEdit('30', ''), payload: new Uint8Array([1, 1, 1, 0, 4, 0, 1, 116, 2, 104, 105, 0]) };
    expect(() => channel.emit('event', [poisoned as never])).not.toThrow();
    channel.emit('event', [{ ...archivedEdit('31', 'still fine'), source: 'live' } as never]);
    expect(rejected).toEqual(['conflict@30']);
    expect(provider.doc.getText('t').toString()).toBe('still fine');
    provider.destroy();
  });
});
