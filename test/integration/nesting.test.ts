import { Room, Connection, type ConnectionStatus, type RejectedEvent, jsonPatch } from '@xsync/core';
import { type EjabberdServer, MAX_STANZA_SIZE, startEjabberd } from '@xsync/servers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectEvents } from '../support/fixtures.js';
import { isRunning } from '../support/processes.js';
import { RawSession } from '../support/rawSession.js';

/**
 * A message to `to` whose xsync event payload (a JSON patch) nests `depth` elements; its length
 * is a fixed overhead plus 7 characters per level (the id has a fixed width).
 */
function nested(to: string, type: 'chat' | 'groupchat', depth: number): string {
  const payload = `<patch xmlns='urn:xsync:json-patch:1'>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</patch>`;
  return `<message to='${to}' type='${type}' id='deep-${String(depth).padStart(7, '0')}'><event xmlns='urn:xsync:1'>${payload}</event></message>`;
}

// ejabberd 23.01 and 24.12 with Erlang's default scheduler stack segfaulted, whole VM, when one
// authenticated client sent ~4,000 levels; the server here runs with a stack sized for the
// deepest stanza its size limit admits (MAX_STANZA_SIZE), its own server, so a crash fails this
// file alone.
describe('a deeply nested stanza from a signed-in client', () => {
  let server: EjabberdServer;
  let watcher: Connection;
  let channel: Room;
  let publisher: Room;
  let attacker: RawSession;
  let channelJid: string;
  let attackerJid: string;
  const statuses: ConnectionStatus[] = [];

  beforeAll(async () => {
    server = await startEjabberd();
    const [watcherAccount, publisherAccount, attackerAccount] = await Promise.all([
      server.createAccount(),
      server.createAccount(),
      server.createAccount(),
    ]);
    const open = (account: { username: string; password: string }) =>
      Connection.open({ service: server.tcpUrl, domain: server.domain, ...account });
    watcher = await open(watcherAccount);
    watcher.on('status', (status) => statuses.push(status));
    channelJid = await server.createChannel();
    channel = new Room(watcher, { jid: channelJid });
    await channel.join();
    publisher = new Room(await open(publisherAccount), { jid: channelJid });
    await publisher.join();
    ({ session: attacker, jid: attackerJid } = await RawSession.open({
      tcpUrl: server.tcpUrl,
      domain: server.domain,
      ...attackerAccount,
    }));
  });

  afterAll(async () => {
    attacker?.close();
    channel?.destroy();
    publisher?.destroy();
    await watcher?.close();
    await publisher?.connection.close();
    await server?.stop();
  });

  /** The server is up and the watcher, untouched, still gets the next event. */
  async function othersNoticeNothing(): Promise<void> {
    expect(isRunning(server.pid)).toBe(true);
    const seen = collectEvents(channel, 1);
    const { archiveId } = await publisher.publish(jsonPatch, [{ op: 'add', path: '/after', value: true }]);
    expect((await seen)[0]!.archiveId).toBe(archiveId);
    expect(statuses).toEqual([]);
  }

  it('[SRV1] 10,000 levels sent to another user leave the server and its other clients running', async () => {
    const deep = nested(watcher.jid, 'chat', 10_000);
    expect(deep.length).toBeGreaterThan(70_000);
    attacker.write(deep);
    await othersNoticeNothing();
  });

  it('[SRV1] 10,000 levels sent to a channel are relayed at most as a refused event, never crash a client', async () => {
    const bareJid = attackerJid.split('/')[0]!;
    attacker.write(
      `<iq type='set' id='join' to='${bareJid}'><client-join xmlns='urn:xmpp:mix:pam:2' channel='${channelJid}'>` +
        `<join xmlns='urn:xmpp:mix:core:1'><subscribe node='urn:xmpp:mix:nodes:messages'/></join></client-join></iq>`,
    );
    await attacker.waitFor(/<iq[^>]*id='join'[^>]*type='result'|<iq[^>]*type='result'[^>]*id='join'/);
    const rejected: RejectedEvent[] = [];
    channel.on('rejected', (rejection) => rejected.push(rejection));
    attacker.write(nested(channelJid, 'groupchat', 10_000));
    // The channel either reflects the message to its sender (and so relays it to everyone) or refuses it.
    const fate = await attacker.waitFor(/<message[^>]*(?:type='error'|from='[^']*' [^>]*id=)|<submission-id/);
    await othersNoticeNothing();
    if (!fate[0].includes('error')) {
      await vi.waitFor(() => expect(rejected.map((rejection) => rejection.reason)).toEqual(['too-deep']));
    }
  });

  it('[SRV1] the deepest stanza the size limit admits leaves the server running', async () => {
    const overhead = nested(watcher.jid, 'chat', 0).length;
    const depth = Math.floor((MAX_STANZA_SIZE - overhead) / 7);
    const deepest = nested(watcher.jid, 'chat', depth);
    expect(deepest.length).toBeLessThanOrEqual(MAX_STANZA_SIZE);
    expect(depth).toBeGreaterThan(149_000);
    attacker.write(deepest);
    await othersNoticeNothing();
  });

  it('[SRV1] a stanza over the size limit closes only the sender’s stream', async () => {
    const oversized = nested(watcher.jid, 'chat', Math.ceil(MAX_STANZA_SIZE / 7) + 10);
    attacker.write(oversized);
    expect(await attacker.waitForClose()).toBe(true);
    expect(attacker.received).toMatch(/policy-violation/);
    await othersNoticeNothing();
  });
});
