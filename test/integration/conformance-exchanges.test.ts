import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from '@xsync/bot';
import { type Connection, type Element, Room, jsonPatch } from '@xsync/core';
// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type VectorText, textOf } from '../../packages/core/src/testing/conformance.js';
import { type ExpectedStanza, describeStanza, matchesStanza } from '../../packages/core/src/testing/stanzaMatch.js';
import { Fixture, createAccount } from '../support/fixtures.js';

// The protocol's exchange vectors (conformance/exchanges.json, docs/protocol.md §15) against
// this run's server (ejabberd or Prosody) and a bot: each vector's stanzas are sent as they
// are written, and what comes back must match.

interface ExchangeVector {
  id: string;
  rules: string[];
  description: string;
  /** The account that sends: `alice` (owner of the rooms, a participant of `{room}`, as `{nick}`) or `mallory` (in no room). */
  as: 'alice' | 'mallory';
  /** The servers it runs on (`ejabberd`, `prosody`); all when absent. */
  servers?: string[];
  /** `raw`: written to the stream as the text it is, for stanzas no XML library would build. */
  steps: Array<{ send: VectorText; raw?: boolean } | { receive: ExpectedStanza; as?: 'alice' | 'mallory' }>;
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../conformance/exchanges.json', import.meta.url), 'utf8')) as {
    vectors: ExchangeVector[];
  }
).vectors;

const fixture = new Fixture('exchanges');
const connections: Record<string, Connection> = {};
const places: Record<string, string> = {};
let bot: Bot | undefined;
let dataDir: string;

beforeAll(async () => {
  const { tcpUrl, domain, mucDomain, mixDomain } = inject('server');
  dataDir = await mkdtemp(join(tmpdir(), 'xsync-exchanges-'));
  connections.alice = await fixture.connect();
  connections.mallory = await fixture.connect();
  const name = (kind: string) => `exchanges-${kind}-${Math.random().toString(36).slice(2, 8)}`;
  const room = await Room.create(connections.alice, mucDomain, name('room'));
  const privateRoom = await Room.create(connections.alice, mucDomain, name('private'), { access: 'private' });
  const membersEdit = await Room.create(connections.alice, mucDomain, name('members'), { editors: 'members' });
  // alice takes part in the room the bot follows, whose archive holds an event.
  const inRoom = new Room(connections.alice, { jid: room });
  await inRoom.join();
  const { archiveId } = await inRoom.publish(jsonPatch, [{ op: 'add', path: '/title', value: 'Plan' }]);
  places['event-id'] = archiveId;
  // The event is archived before its publication is acknowledged, so at or before this second.
  places['event-second'] = new Date(Math.ceil(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  if (/^\d+$/.test(archiveId)) places['event-id-less-one'] = (BigInt(archiveId) - 1n).toString();
  const account = await createAccount('exchanges-bot');
  bot = await Bot.start({
    service: tcpUrl,
    domain,
    ...account,
    channels: [room],
    acceptInvitesFrom: [connections.alice.bareJid],
    dataDir,
    logger: pino({ level: 'silent' }),
  });
  const botJid = `${account.username}@${domain}`;
  Object.assign(places, {
    room,
    private: privateRoom,
    'members-edit': membersEdit,
    bot: `${botJid}/xsync-bot`,
    'bot-bare': botJid,
    alice: connections.alice.jid.split('/')[0]!,
    mallory: connections.mallory.jid.split('/')[0]!,
    domain,
    muc: mucDomain,
    nick: connections.alice.jid.split('@')[0]!,
  });
  if (mixDomain) {
    places.mix = await Room.create(connections.alice, mixDomain, name('mix'));
    // alice takes part, to see others come and go.
    await new Room(connections.alice, { jid: places.mix }).join();
  }
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await fixture.close();
  await rm(dataDir, { recursive: true, force: true });
});

const fill = (text: string) => text.replace(/\{([a-z-]+)\}/g, (whole, key: string) => places[key] ?? whole);
/** Resolves with the first stanza matching `expected`, or rejects after 15 s with what came. */
function receive(connection: Connection, expected: ExpectedStanza): Promise<Element> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const onStanza = (stanza: Element) => {
      if (matchesStanza(stanza, expected, fill)) {
        clearTimeout(timer);
        connection.off('stanza', onStanza);
        resolve(stanza);
      } else {
        seen.push(describeStanza(stanza));
      }
    };
    const timer = setTimeout(() => {
      connection.off('stanza', onStanza);
      reject(new Error(`nothing matched ${JSON.stringify(expected)}; received:\n${seen.join('\n')}`));
    }, 15_000);
    connection.on('stanza', onStanza);
  });
}

describe('exchange vectors', () => {
  const here = vectors.filter((vector) => !vector.servers || vector.servers.includes(inject('server').kind));
  it.each(here.map((vector) => [vector.id, vector] as const))(
    '%s',
    async (_, vector) => {
      // Each vector has a room of its own to create.
      places.fresh = `exchanges-fresh-${Math.random().toString(36).slice(2, 8)}@${inject('server').mucDomain}`;
      const connection = connections[vector.as]!;
      let waiting: Array<Promise<Element>> = [];
      for (const [i, step] of vector.steps.entries()) {
        if ('receive' in step) {
          await expect(
            waiting.shift() ?? receive(connections[step.as ?? vector.as]!, step.receive),
          ).resolves.toBeDefined();
          continue;
        }
        // Listen for every answer this send brings before sending, so none comes unheard.
        const answers: Array<{ receive: ExpectedStanza; as?: 'alice' | 'mallory' }> = [];
        for (const later of vector.steps.slice(i + 1)) {
          if (!('receive' in later)) break;
          answers.push(later);
        }
        waiting = answers.map((later) => {
          const answer = receive(connections[later.as ?? vector.as]!, later.receive);
          // Awaited in turn below; a step that fails first leaves the rest handled, not stray.
          answer.catch(() => undefined);
          return answer;
        });
        const text = fill(textOf(step.send));
        if (step.raw) await connection.xmpp.write(text);
        else await connection.send(parseXml(text) as Element);
      }
    },
    30_000,
  );
});
