import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot, SnapshotStore } from '@xsync/bot';
import {
  Room,
  type Connection,
  NS_CATCH_UP,
  catchUpAnswerElement,
  catchUpRequestIq,
  requestCatchUp,
  yjsUpdate,
} from '@xsync/core';
import { type CatchUpResult, XmppProvider } from '@xsync/core/yjs';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import * as Y from 'yjs';
import { Fixture, createAccount, dropSocket } from '../support/fixtures.js';
import { docOf, waitForDoc, waitForEmit } from '../support/yjs.js';

const fixture = new Fixture('bot');
const providers: XmppProvider[] = [];
const bots: Bot[] = [];
let dataDir: string;
let botAccount: { username: string; password: string };
let botJid: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'xsync-bot-test-'));
  botAccount = await createAccount('bot');
  botJid = `${botAccount.username}@${inject('server').domain}`;
});
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  await Promise.all(bots.splice(0).map((bot) => bot.stop()));
});
afterAll(async () => {
  await fixture.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function startBot(channels: string[], options: Partial<Parameters<typeof Bot.start>[0]> = {}): Promise<Bot> {
  const { tcpUrl, domain } = inject('server');
  const bot = await Bot.start({
    service: tcpUrl,
    domain,
    ...botAccount,
    channels,
    dataDir,
    logger: pino({ level: 'silent' }),
    ...options,
  });
  bots.push(bot);
  return bot;
}

/** A writer that publishes one-character Yjs edits as separate events. */
async function writer(jid: string, docName?: string) {
  const channel = await fixture.join(jid);
  const doc = docOf(channel);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return {
    doc,
    channel,
    /** Inserts `count` characters and publishes each as its own event; resolves with the last archive id. */
    async write(count: number, char = 'x'): Promise<string> {
      let last = '';
      for (let i = 0; i < count; i++) {
        doc.getText('t').insert(doc.getText('t').length, char);
        last = (await channel.publish(yjsUpdate, updates.shift()!, { body: false, doc: docName })).archiveId;
      }
      return last;
    },
  };
}

/** A provider on a new connection that may ask `botList`; resolves with how its first catch-up went. */
async function lateJoiner(jid: string, botList: string[], options = {}) {
  const connection: Connection = await fixture.connect();
  const mamQueries: number[] = [];
  // What left and what came back, in order: the flights of the join and the catch-up.
  const flights: string[] = [];
  const sent = new Map<string, string>();
  type Stanza = { name: string; attrs: { id?: string; type?: string }; getChild(name: string, ns?: string): unknown };
  connection.xmpp.on('send', (element: Stanza) => {
    // A MUC join is a presence, answered by the self-presence (status 110).
    if (element.name === 'presence' && element.getChild('x', 'http://jabber.org/protocol/muc')) {
      flights.push('send join');
      return;
    }
    if (element.name !== 'iq') return;
    if (element.getChild('query', 'urn:xmpp:mam:2')) mamQueries.push(1);
    const kind = element.getChild('client-join', 'urn:xmpp:mix:pam:2')
      ? 'join'
      : element.getChild('catch-up', 'urn:xsync:catch-up:1')
        ? 'catch-up'
        : undefined;
    if (kind && element.attrs.id) {
      sent.set(element.attrs.id, kind);
      flights.push(`send ${kind}`);
    }
  });
  connection.xmpp.on('element', (element: Stanza & { toString(): string }) => {
    if (element.name === 'presence' && /<status code=["']110["']/.test(element.toString())) {
      flights.push('answer join');
      return;
    }
    const kind = element.name === 'iq' && element.attrs.id ? sent.get(element.attrs.id) : undefined;
    if (kind) flights.push(`answer ${kind}`);
  });
  const provider = new XmppProvider(new Room(connection, { jid }), new Y.Doc(), {
    connect: false,
    bots: botList,
    ...options,
  });
  providers.push(provider);
  const catchUp = waitForEmit<CatchUpResult>(provider, 'catch-up', () => true);
  await provider.connect();
  return { provider, result: await catchUp, mamQueries: mamQueries.length, flights };
}

describe('xsync-bot', () => {
  it('[CU2] serves a late joiner in one request, with no archive query', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(300);
    await startBot([jid]);
    await source.write(20, 'y');
    const late = await lateJoiner(jid, [botJid]);
    expect(late.result).toMatchObject({ source: 'bot', bot: botJid, requests: 1 });
    expect(late.mamQueries).toBe(0);
    // [YP12] The catch-up request leaves with the join, before its answer.
    expect(late.flights.slice(0, 2)).toEqual(['send join', 'send catch-up']);
    expect(late.flights).toContain('answer catch-up');
    // In sync on the bot's answer; the join's own answer may come after it.
    await vi.waitFor(() => expect(late.flights).toContain('answer join'));
    expect(late.provider.doc.getText('t').toString()).toBe(source.doc.getText('t').toString());
    // Live edits after the catch-up still arrive.
    await source.write(5, 'z');
    await waitForDoc(late.provider.doc, () => late.provider.doc.getText('t').toString().endsWith('zzzzz'));
  });

  it('[YP12] a joiner whose join and catch-up share a flight misses nothing written meanwhile', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(50);
    await startBot([jid]);
    // Edits go on while three clients join: some land before the bot answers, some between
    // its answer and the join taking effect, some after.
    const writing = source.write(150, 'w');
    const joiners = await Promise.all([1, 2, 3].map(() => lateJoiner(jid, [botJid])));
    await writing;
    const expected = source.doc.getText('t').toString();
    expect(expected).toHaveLength(200);
    for (const joiner of joiners) {
      expect(joiner.result.source).toBe('bot');
      await waitForDoc(joiner.provider.doc, () => joiner.provider.doc.getText('t').toString() === expected);
    }
  });

  it('[CU1] falls back to the archive when no bot answers', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(30);
    const late = await lateJoiner(jid, [botJid]);
    expect(late.result.source).toBe('archive');
    expect(late.result.fallbackReason).toMatch(/service-unavailable/);
    expect(late.provider.doc.getText('t').toString()).toBe(source.doc.getText('t').toString());
  });

  it('[CU4] cuts a large answer into parts, fetched together', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    const doc = source.doc;
    // One event with 20,000 distinct insertions: a large update that compresses badly.
    doc.transact(() => {
      for (let i = 0; i < 20_000; i++) doc.getText('t').insert(Math.floor(Math.random() * (i + 1)), 'ab'[i % 2]!);
    });
    await source.channel.publish(yjsUpdate, Y.encodeStateAsUpdate(doc), { body: false });
    await startBot([jid], { catchUp: { partSize: 16 * 1024 } });
    const late = await lateJoiner(jid, [botJid]);
    expect(late.result.source).toBe('bot');
    expect(late.result.requests).toBeGreaterThan(2);
    expect(late.provider.doc.getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it('loses nothing when restarted mid-stream, and replays only the tail after its snapshot', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(200);
    const first = await startBot([jid]);
    // Writing goes on while the bot stops (writing its snapshot) and starts again.
    const writing = source.write(200, 'w');
    await first.stop();
    bots.splice(bots.indexOf(first), 1);
    const second = await startBot([jid]);
    // The restart logs in with the FAST token kept in the data dir (SES9).
    expect(second.connection.login?.mechanism).toBe('HT-SHA-256-NONE');
    expect(existsSync(join(dataDir, 'fast-tokens.json'))).toBe(true);
    await writing;
    const follower = second.followers.get(jid)!;
    expect(follower.startedFrom?.snapshot).toBeDefined();
    expect(follower.startedFrom!.replayed).toBeLessThan(400);
    const late = await lateJoiner(jid, [botJid]);
    expect(late.result.source).toBe('bot');
    expect(late.provider.doc.getText('t').toString()).toBe(source.doc.getText('t').toString());
    expect(follower.state.yjsDoc(undefined)!.getText('t').toString()).toBe(source.doc.getText('t').toString());
  });

  it('rebuilds from the archive when its snapshot is corrupt', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(50);
    await (await startBot([jid])).stop();
    bots.splice(0);
    const file = new SnapshotStore(join(dataDir, 'snapshots')).fileOf(jid);
    const bytes = await readFile(file);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0xff;
    await writeFile(file, bytes);
    const bot = await startBot([jid]);
    const follower = bot.followers.get(jid)!;
    expect(follower.startedFrom).toEqual({ snapshot: undefined, replayed: 50 });
    expect(await bot.metrics.snapshotsRejected.get()).toMatchObject({ values: [{ value: 1 }] });
    expect(follower.state.yjsDoc(undefined)!.getText('t').length).toBe(50);
  });

  it('[CU5] answers item-not-found for a document it does not keep, and the joiner reads the archive', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    await (await writer(jid, 'one')).write(2, 'a');
    await (await writer(jid, 'two')).write(2, 'b');
    const third = await writer(jid, 'three');
    await third.write(3, 'c');
    // Room for two documents: the third is not kept, so the bot cannot vouch for it.
    await startBot([jid], { maxDocuments: 2 });
    const late = await lateJoiner(jid, [botJid], { doc: 'three' });
    expect(late.result).toMatchObject({ source: 'archive', fallbackReason: `${botJid}: item-not-found` });
    expect(late.provider.doc.getText('t').toString()).toBe('ccc');
    // A document it keeps is still served.
    const kept = await lateJoiner(jid, [botJid], { doc: 'one' });
    expect(kept.result).toMatchObject({ source: 'bot' });
    expect(kept.provider.doc.getText('t').toString()).toBe('aa');
  });

  it('[CU5] refuses non-participants as it refuses rooms it does not follow, malformed requests and floods, and keeps serving', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(3);
    await startBot([jid], { catchUp: { burst: 3, perSecond: 0.001 } });
    const request = { channel: jid, doc: undefined, stateVector: Y.encodeStateVector(new Y.Doc()) };
    const outsider = await fixture.connect();
    // One answer for "not in the room" and "no such room", so nobody learns which rooms the bot follows.
    const answers = await Promise.allSettled([
      requestCatchUp(outsider, botJid, request, 5000),
      requestCatchUp(outsider, botJid, { ...request, channel: `unknown-${jid}` }, 5000),
    ]);
    expect(answers.map((answer) => answer.status === 'rejected' && answer.reason.condition)).toEqual([
      'item-not-found',
      'item-not-found',
    ]);
    const member = (await fixture.join(jid)).connection;
    const garbage = catchUpRequestIq(`${botJid}/xsync-bot`, { ...request, stateVector: new Uint8Array([255, 255]) });
    await expect(member.request(garbage)).rejects.toMatchObject({ condition: 'bad-request' });
    await expect(requestCatchUp(member, botJid, { ...request, channel: 'nope@x' }, 5000)).rejects.toMatchObject({
      condition: 'item-not-found',
    });
    expect((await requestCatchUp(member, botJid, request, 5000)).requests).toBe(1);
    // The burst of 3 is spent: the next request is refused for the moment.
    await expect(requestCatchUp(member, botJid, request, 5000)).rejects.toMatchObject({
      condition: 'resource-constraint',
    });
    // Another participant is unaffected, and gets the document.
    const other = (await fixture.join(jid)).connection;
    const answer = await requestCatchUp(other, botJid, request, 5000);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, answer.update);
    expect(doc.getText('t').toString()).toBe('xxx');
    expect(NS_CATCH_UP).toBe('urn:xsync:catch-up:1');
  });

  it('[CU3] in a MUC room, answers a joiner from its live state, without reading the archive', async () => {
    const { mucDomain } = inject('server');
    const jid = await Room.create(
      await fixture.connect(),
      mucDomain,
      `bot-muc-${Math.random().toString(36).slice(2, 10)}`,
    );
    const source = await writer(jid);
    await source.write(3);
    const bot = await startBot([jid]);
    const archiveReads: string[] = [];
    bot.connection.xmpp.on('send', (element: { name: string; getChild(name: string, ns: string): unknown }) => {
      if (element.name === 'iq' && element.getChild('query', 'urn:xmpp:mam:2')) archiveReads.push('query');
    });
    // Written after the bot's replay: the bot holds them from the live stream alone.
    await source.write(2, 'y');
    const joiner = await lateJoiner(jid, [botJid]);
    expect(joiner.result).toMatchObject({ source: 'bot', requests: 1 });
    expect(joiner.provider.doc.getText('t').toString()).toBe('xxxyy');
    expect(archiveReads).toEqual([]);
  });

  it('[ACC4] drops a destroyed room and its snapshot, and never brings the room back', async () => {
    const { mucDomain } = inject('server');
    const owner = await fixture.connect();
    const jid = await Room.create(owner, mucDomain, `bot-ended-${Math.random().toString(36).slice(2, 10)}`);
    const source = await writer(jid);
    await source.write(2);
    const kept = await Room.create(owner, mucDomain, `bot-kept-${Math.random().toString(36).slice(2, 10)}`);
    const file = (room: string) => new SnapshotStore(join(dataDir, 'snapshots')).fileOf(room);

    // Destroyed while the bot follows it.
    let bot = await startBot([jid]);
    await bot.flush();
    expect(existsSync(file(jid))).toBe(true);
    const unfollowed = waitForEmit<string>(bot as never, 'unfollowed', () => true);
    const first = new Room(owner, { jid });
    await first.join();
    await first.destroyRoom();
    first.destroy();
    expect(await unfollowed).toBe(jid);
    expect(bot.followers.has(jid)).toBe(false);
    expect(existsSync(file(jid))).toBe(false);
    await bot.stop();
    bots.length = 0;

    // Destroyed while the bot was away: at its start it drops the room and serves the others.
    const second = await Room.create(owner, mucDomain, `bot-away-${Math.random().toString(36).slice(2, 10)}`);
    bot = await startBot([second, kept]);
    await bot.flush();
    await bot.stop();
    bots.length = 0;
    const ender = new Room(owner, { jid: second });
    await ender.join();
    await ender.destroyRoom();
    ender.destroy();
    bot = await startBot([second, kept]);
    expect([...bot.followers.keys()]).toEqual([kept]);
    expect(existsSync(file(second))).toBe(false);
    // The bot's join did not create the room again.
    expect(await Room.exists(owner, second)).toBe(false);
  });

  it.runIf(inject('server').kind === 'ejabberd')(
    '[ACC4] [HIST7] a room destroyed and made again while the bot was away gets none of the old state',
    async () => {
      const { mucDomain } = inject('server');
      const owner = await fixture.connect();
      const name = `bot-again-${Math.random().toString(36).slice(2, 10)}`;
      const jid = await Room.create(owner, mucDomain, name);
      const old = await writer(jid);
      await old.write(3, 'o');
      let bot = await startBot([jid]);
      await bot.flush();
      await bot.stop();
      bots.length = 0;
      const ender = new Room(owner, { jid });
      await ender.join();
      await ender.destroyRoom();
      ender.destroy();
      // Someone makes a room of the same name, with other content.
      await Room.create(await fixture.connect(), mucDomain, name);
      const fresh = await writer(jid);
      await fresh.write(2, 'n');
      bot = await startBot([jid]);
      expect(bot.followers.get(jid)?.startedFrom).toEqual({ snapshot: undefined, replayed: 2 });
      const joiner = await lateJoiner(jid, [botJid]);
      expect(joiner.result.source).toBe('bot');
      expect(joiner.provider.doc.getText('t').toString()).toBe('nn');
    },
  );

  it('reports health and Prometheus metrics over HTTP', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(4);
    const bot = await startBot([jid], { httpPort: 0 });
    const health = await fetch(`${bot.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      healthy: true,
      connection: 'online',
      channels: [{ jid, ready: true }],
    });
    await lateJoiner(jid, [botJid]);
    const metrics = await (await fetch(`${bot.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/xsync_bot_catch_up_requests_total\{result="served"\} 1/);
    expect(metrics).toMatch(/xsync_bot_channels 1/);
    expect(metrics).toMatch(new RegExp(`xsync_bot_events_total\\{channel="${jid}"\\} 4`));
    expect((await fetch(`${bot.httpUrl}/nothing`)).status).toBe(404);
  });

  it('follows a channel it is invited to, from an allowed inviter only', async () => {
    const { domain } = inject('server');
    const bot = await startBot([], { acceptInvitesFrom: [domain] });
    const jid = await fixture.createChannel(await fixture.connect());
    const following = waitForEmit<string>(bot, 'following', (channel) => channel === jid);
    await (await fixture.join(jid)).invite(botJid);
    await following;
    expect([...bot.followers.keys()]).toEqual([jid]);
    expect(JSON.parse(await readFile(join(dataDir, 'invited-channels.json'), 'utf8'))).toEqual([jid]);
    await bot.stop();
    bots.splice(0);
    // Remembered across a restart.
    const restarted = await startBot([], { acceptInvitesFrom: [domain] });
    expect([...restarted.followers.keys()]).toEqual([jid]);
    await restarted.stop();
    bots.splice(0);
    // An invitation from an inviter not on the list is ignored, and says so.
    let ignored!: () => void;
    const ignoredLogged = new Promise<void>((resolve) => (ignored = resolve));
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => line.includes('invitation ignored') && ignored() },
    );
    const strict = await startBot([], { acceptInvitesFrom: ['elsewhere.example'], logger, dataDir: undefined });
    const other = await fixture.createChannel(await fixture.connect());
    await (await fixture.join(other)).invite(botJid);
    await ignoredLogged;
    expect(strict.followers.has(other)).toBe(false);
  });

  it('follows no more invited rooms than it may', async () => {
    const { domain } = inject('server');
    let capped!: () => void;
    const cappedLogged = new Promise<void>((resolve) => (capped = resolve));
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => line.includes('as many invited rooms') && capped() },
    );
    const bot = await startBot([], { acceptInvitesFrom: [domain], maxInvitedRooms: 1, logger, dataDir: undefined });
    const [first, second] = [
      await fixture.createChannel(await fixture.connect()),
      await fixture.createChannel(await fixture.connect()),
    ];
    const following = waitForEmit<string>(bot, 'following', (channel) => channel === first);
    await (await fixture.join(first)).invite(botJid);
    await following;
    await (await fixture.join(second)).invite(botJid);
    await cappedLogged;
    expect([...bot.followers.keys()]).toEqual([first]);
  });

  it("[YP9] refuses a hostile bot's answer and reads the archive instead", async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(10);
    const impostor = await fixture.connect({ resource: 'xsync-bot' });
    // Answers every catch-up with bytes that are not a Yjs update.
    impostor.xmpp.iqCallee.get(NS_CATCH_UP, 'catch-up', () =>
      catchUpAnswerElement({
        channel: jid,
        doc: undefined,
        last: '999999999999999999',
        stateVector: new Uint8Array([0]),
        parts: 1,
        token: undefined,
        firstPart: new Uint8Array([1, 200, 7, 7, 7]),
      }),
    );
    const late = await lateJoiner(jid, [impostor.bareJid]);
    expect(late.result.source).toBe('archive');
    expect(late.result.fallbackReason).toMatch(/bot answer refused \(invalid-payload\)/);
    expect(late.provider.doc.getText('t').toString()).toBe(source.doc.getText('t').toString());
    // The bogus cursor was not taken: the provider's cursor is the archive's.
    expect(late.provider.lastArchiveId).not.toBe('999999999999999999');
  });

  it('recovers on its own after losing its session: reads the archive tail it missed', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(20);
    const bot = await startBot([jid]);
    const doc = bot.followers.get(jid)!.state.yjsDoc(undefined)!;
    const restarted = waitForEmit(bot.connection as never, 'restarted', () => true);
    dropSocket(bot.connection, { allowResume: false });
    await source.write(50, 'm');
    await restarted;
    await waitForDoc(doc, () => doc.getText('t').length === 70);
    expect(doc.getText('t').toString()).toBe(source.doc.getText('t').toString());
  });

  it('[YP9] a client whose session was lost catches up from the bot in one request', async () => {
    const jid = await fixture.createChannel(await fixture.connect());
    const source = await writer(jid);
    await source.write(10);
    await startBot([jid]);
    const { provider } = await lateJoiner(jid, [botJid]);
    const again = waitForEmit<CatchUpResult>(provider, 'catch-up', () => true);
    dropSocket(provider.room.connection, { allowResume: false });
    await source.write(30, 'r');
    expect(await again).toMatchObject({ source: 'bot', requests: 1 });
    await waitForDoc(provider.doc, () => provider.doc.getText('t').length === 40);
    expect(provider.doc.getText('t').toString()).toBe(source.doc.getText('t').toString());
  });
});
