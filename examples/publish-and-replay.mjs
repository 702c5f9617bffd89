#!/usr/bin/env node
// Two clients join a room (a MUC room), publish typed events, and a third replays them from the
// archive. Run `npm start` first, or pass XSYNC_SERVICE / XSYNC_DOMAIN for another server.
import { Room, Connection, Replica, domOperations, jsonPatch, yjsUpdate } from '@xsync/core';
import * as Y from 'yjs';

/**
 * @param {{ service: string, domain: string, roomService: string,
 *           accounts: Array<{ username: string, password: string }> }} options
 */
export async function runExample({ service, domain, roomService, accounts }) {
  const [alice, bob] = await Promise.all(
    accounts.map((account) => Connection.open({ service, domain, ...account, resource: 'example' })),
  );
  try {
    const jid = `demo@${roomService}`;
    await Room.create(alice, roomService, 'demo', { listed: true });
    const aliceRoom = new Room(alice, { jid, nick: 'alice' });
    const bobRoom = new Room(bob, { jid, nick: 'bob' });
    await Promise.all([aliceRoom.join(), bobRoom.join()]);

    bobRoom.on('event', (event) =>
      console.log(`bob received ${event.type.name} #${event.archiveId} from ${event.sender.nick}`),
    );

    const doc = new Y.Doc();
    doc.getText('notes').insert(0, `Hello from alice at ${new Date().toISOString()}\n`);
    const edit = await aliceRoom.publish(yjsUpdate, Y.encodeStateAsUpdate(doc), { doc: 'notes' });
    await aliceRoom.publish(jsonPatch, [{ op: 'add', path: '/lastVisit', value: Date.now() }], { doc: 'meta' });
    await aliceRoom.publish(
      domOperations,
      [{ op: 'insert-markup', parent: 'root', id: `c${edit.archiveId}`, markup: '<circle r="10" fill="teal"/>' }],
      { doc: 'board' },
    );

    // Replay: rebuild every document of the room from its archive.
    const notes = new Replica(yjsUpdate, 'notes');
    const board = new Replica(domOperations, 'board');
    const history = await bobRoom.history();
    for (const event of history.events) {
      notes.apply(event);
      board.apply(event);
    }
    console.log(`\nReplayed ${history.events.length} events in ${history.pages} archive page(s):`);
    console.log(`notes:\n${notes.state.getText('notes').toString()}`);
    console.log(`board: ${board.state.size - 1} shapes`);
    aliceRoom.destroy();
    bobRoom.destroy();
  } finally {
    await Promise.all([alice.close(), bob.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runExample({
    service: process.env.XSYNC_SERVICE ?? 'xmpp://127.0.0.1:15222',
    domain: process.env.XSYNC_DOMAIN ?? 'localhost',
    roomService: process.env.XSYNC_ROOM_SERVICE ?? `muc.${process.env.XSYNC_DOMAIN ?? 'localhost'}`,
    accounts: [
      { username: 'alice', password: 'alice-password' },
      { username: 'bob', password: 'bob-password' },
    ],
  });
}
