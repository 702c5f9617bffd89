import { ObservableV2 } from 'lib0/observable';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { RejectedEvent, Room } from '../room/Room.js';
import { AwarenessSync, MAX_AWARENESS_CLIENTS } from './AwarenessSync.js';

const senders = new Map<number, Awareness>();

/** The awareness update a client with `clientID` would send for `state` (its clock counting up). */
function updateOf(clientID: number, state: Record<string, unknown>): Uint8Array {
  let awareness = senders.get(clientID);
  if (!awareness) {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    awareness = new Awareness(doc);
    senders.set(clientID, awareness);
  }
  awareness.setLocalState(state);
  return encodeAwarenessUpdate(awareness, [clientID]);
}

describe('AwarenessSync [AW5]', () => {
  const syncs: AwarenessSync[] = [];
  afterEach(() => {
    for (const sync of syncs.splice(0)) sync.destroy();
    for (const awareness of senders.values()) awareness.destroy();
    senders.clear();
  });

  function setUp() {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any event, as a Room emits them
    const room = new ObservableV2<Record<string, (...args: any[]) => void>>() as unknown as Room & {
      emit(name: string, args: unknown[]): void;
    };
    Object.assign(room, { connection: { jid: 'me@example.org/web' }, participantId: 'me' });
    const awareness = new Awareness(new Y.Doc());
    senders.set(-syncs.length - 1, awareness);
    const rejected: RejectedEvent[] = [];
    const sync = new AwarenessSync({
      awareness,
      room,
      docName: undefined,
      batchInterval: 0,
      interval: 100,
      quietInterval: 2000,
      updateLeavingSoon: () => false,
      onError: (error) => {
        throw error;
      },
      onRejected: (rejection) => rejected.push(rejection),
    });
    syncs.push(sync);
    sync.listen('on');
    const receive = (sender: string, update: Uint8Array) =>
      room.emit('awareness', [{ update, doc: undefined, sender: { id: sender } }]);
    return { awareness, rejected, receive };
  }

  it('keeps an awareness client id to the participant that spoke for it first', () => {
    const { awareness, rejected, receive } = setUp();
    receive('alice', updateOf(1001, { user: { name: 'Alice' } }));
    receive('mallory', updateOf(1001, { user: { name: 'Not Alice' } }));
    expect(awareness.getStates().get(1001)).toEqual({ user: { name: 'Alice' } });
    expect(rejected.map((rejection) => [rejection.reason, rejection.sender.id])).toEqual([
      ['impersonation', 'mallory'],
    ]);
    // Nor can anyone speak for this client's own id; its own echo is no news.
    receive('mallory', updateOf(awareness.clientID, { user: { name: 'Me?' } }));
    expect(rejected.at(-1)?.reason).toBe('impersonation');
    receive('me', encodeAwarenessUpdate(awareness, [awareness.clientID]));
    expect(rejected).toHaveLength(2);
    // Alice goes on updating her own.
    receive('alice', updateOf(1001, { user: { name: 'Alice B.' } }));
    expect(awareness.getStates().get(1001)).toEqual({ user: { name: 'Alice B.' } });
  });

  it(`lets one participant hold at most ${MAX_AWARENESS_CLIENTS} awareness clients at once`, () => {
    const { awareness, rejected, receive } = setUp();
    for (let client = 1; client <= 4000; client++) receive('mallory', updateOf(client, { cursor: client }));
    expect(awareness.getStates().size).toBe(1 + MAX_AWARENESS_CLIENTS);
    expect(rejected).toHaveLength(4000 - MAX_AWARENESS_CLIENTS);
    expect(new Set(rejected.map((rejection) => rejection.reason))).toEqual(new Set(['oversized']));
    // Others are unaffected.
    receive('bob', updateOf(5000, { user: { name: 'Bob' } }));
    expect(awareness.getStates().get(5000)).toEqual({ user: { name: 'Bob' } });
  });
});
