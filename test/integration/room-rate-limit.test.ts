import type { Element } from '@xmpp/xml';
import { Connection, Room, yjsUpdate } from '@xsync/core';
import { type RoomMessageRate, type XmppServer, startEjabberd, startProsody } from '@xsync/servers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { docOf } from '../support/yjs.js';

// A bucket small enough that any server refuses part of a flood, however slowly it reads it:
// 1,000 messages fit in 40 + 40 a second only if reading them takes the server 24 s.
const RATE: RoomMessageRate = { perSecond: 40, burst: 40 };
const FLOOD = 1000;
const DRAWN = 20;

/** A one-character Yjs update of `room`'s participant. */
function anUpdate(room: Room): Uint8Array {
  const doc = docOf(room);
  doc.getText('t').insert(0, 'v');
  return Y.encodeStateAsUpdate(doc);
}

describe.each([
  ['ejabberd 24.12', () => startEjabberd({ roomMessageRate: RATE })],
  ['Prosody 13', () => startProsody({ roomMessageRate: RATE })],
] as const)('per-participant message rate in MUC rooms on %s', (_name, start) => {
  let server: XmppServer;
  const connections: Connection[] = [];
  const rooms: Room[] = [];
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    for (const room of rooms) room.destroy();
    await Promise.all(connections.map((connection) => connection.close()));
    await server?.stop();
  });

  async function enter(prefix: string, jid?: string): Promise<Room> {
    const account = await server.createAccount(`${prefix}-${Math.random().toString(36).slice(2, 8)}`);
    const connection = await Connection.open({ service: server.tcpUrl, domain: server.domain, ...account });
    connections.push(connection);
    const roomJid = jid ?? (await Room.create(connection, server.mucDomain, `${prefix}-room`, { access: 'public' }));
    const room = new Room(connection, { jid: roomJid, nick: prefix });
    rooms.push(room);
    await room.join();
    return room;
  }

  /**
   * What the room did with the groupchat messages `nick` sends from `room`: relayed back to
   * it, or refused; `all` resolves once `count` have an outcome.
   */
  function outcomes(room: Room, nick: string, count: number) {
    const seen = { relayed: 0, refused: [] as string[], all: undefined as unknown as Promise<void> };
    seen.all = new Promise<void>((resolve) => {
      room.connection.on('stanza', (stanza) => {
        if (stanza.name !== 'message') return;
        if (stanza.attrs.type === 'error') {
          seen.refused.push(stanza.getChild('error')?.getChildElements()[0]?.name ?? 'none');
        } else if (stanza.attrs.type === 'groupchat' && stanza.attrs.from === `${room.jid}/${nick}`) {
          seen.relayed++;
        } else return;
        if (seen.relayed + seen.refused.length === count) resolve();
      });
    });
    return seen;
  }

  it('[LIM2] the server holds one flooding participant to its rate, and lets the others through', async () => {
    const owner = await enter('owner');
    const flooder = await enter('flooder', owner.jid);
    const honest = await enter('honest', owner.jid);
    const flooded = outcomes(flooder, 'flooder', FLOOD);
    const drawn = outcomes(honest, 'honest', DRAWN);

    // The flood is made first and then written at once, so that only the server's reading sets its pace.
    const stanzas: Element[] = [];
    const capture = vi.spyOn(flooder.connection, 'send').mockImplementation(async (stanza) => {
      stanzas.push(stanza);
    });
    for (let n = 0; n < FLOOD; n++) await flooder.broadcast(yjsUpdate, anUpdate(flooder));
    capture.mockRestore();
    const started = performance.now();
    void Promise.all(stanzas.map((stanza) => flooder.connection.send(stanza)));

    // Meanwhile someone draws at 60 Hz.
    for (let n = 0; n < DRAWN; n++) {
      await honest.broadcast(yjsUpdate, anUpdate(honest));
      await new Promise((resolve) => setTimeout(resolve, 16));
    }
    await flooded.all;
    const seconds = (performance.now() - started) / 1000;
    await drawn.all;

    expect(drawn.refused).toEqual([]);
    expect(flooded.refused.length).toBeGreaterThan(0);
    expect(new Set(flooded.refused)).toEqual(new Set(['resource-constraint']));
    // Every message was relayed or refused, and no more were relayed than the bucket holds.
    expect(flooded.relayed + flooded.refused.length).toBe(FLOOD);
    expect(flooded.relayed).toBeLessThanOrEqual(RATE.burst + RATE.perSecond * seconds);
  });
});
