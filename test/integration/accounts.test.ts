import { randomBytes } from 'node:crypto';
import { Room, Connection, readInvitation, type Element, xml } from '@xsync/core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Fixture } from '../support/fixtures.js';

const fixture = new Fixture('accounts');
const opened: Connection[] = [];
afterAll(async () => {
  await Promise.all(opened.map((connection) => connection.close()));
  await fixture.close();
});

/** Opens a connection this file closes at the end. */
async function open(username: string, password: string, register: boolean): Promise<Connection> {
  const { tcpUrl, domain } = inject('server');
  const connection = await Connection.open({ service: tcpUrl, domain, username, password, register });
  opened.push(connection);
  return connection;
}

describe('guest accounts and the room directory', () => {
  it('registers a new account in band (XEP-0077), then signs in to it as to any other', async () => {
    const username = `accounts-guest-${randomBytes(5).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const first = await open(username, password, true);
    expect(first.bareJid).toBe(`${username}@${inject('server').domain}`);
    // An account that exists is just signed in, with or without asking to register.
    expect((await open(username, password, true)).bareJid).toBe(first.bareJid);
    expect((await open(username, password, false)).bareJid).toBe(first.bareJid);
    // Someone else's name with a wrong password still fails as a login does.
    await expect(open(username, 'wrong-password', true)).rejects.toThrow(/not-authorized/);
  });

  it('lists the rooms of the service and tells which exist', async () => {
    const connection = await fixture.connect();
    const { roomService } = inject('server');
    const jid = await fixture.createChannel(connection);
    expect(await Room.list(connection, roomService)).toContain(jid);
    expect(await Room.exists(connection, jid)).toBe(true);
    expect(await Room.exists(connection, `accounts-missing-${randomBytes(5).toString('hex')}@${roomService}`)).toBe(
      false,
    );
  });

  it('invites someone into a room (XEP-0407 for MIX, XEP-0249 for MUC)', async () => {
    const member = await fixture.join(await fixture.createChannel(await fixture.connect()));
    const invitee = await fixture.connect();
    // A message to a bare JID reaches only available resources: once the server has answered a
    // ping sent after the initial presence, it has processed that presence too.
    await invitee.request(
      xml('iq', { type: 'get', to: invitee.xmpp.jid?.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })),
    );
    const received = new Promise<Element>((resolve) =>
      invitee.on('stanza', (stanza) => {
        if (readInvitation(stanza)) resolve(stanza);
      }),
    );
    await member.invite(invitee.bareJid);
    expect(readInvitation(await received)).toEqual({ inviter: member.connection.bareJid, room: member.jid });
  });
});
