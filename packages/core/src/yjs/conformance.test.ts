import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Connection } from '../connection/Connection.js';
import { Room } from '../room/Room.js';
import type { Element } from '../xml/index.js';
import { type VectorText, textOf } from '../testing/conformance.js';
import { SCRIPTED, ScriptedRoom } from '../testing/ScriptedRoom.js';
import { type ExpectedStanza, describeStanza, find, matchesStanza } from '../testing/stanzaMatch.js';
// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { type XmppProviderOptions, XmppProvider } from './XmppProvider.js';

// The client vectors (conformance/clients.json, docs/protocol.md §15): an XmppProvider of
// @xsync/core, logged in to a loopback server holding one MUC room, on a clock the vector
// moves, must publish and ask what the vector says.

type Roots = Record<string, unknown>;

interface ClientVector {
  id: string;
  rules: string[];
  description: string;
  /** `muc` (default) or `mix`. */
  room?: 'muc' | 'mix';
  provider?: Pick<XmppProviderOptions, 'bots'>;
  /** Messages in the room's archive before the client comes, as the room stamped them. */
  archive?: VectorText[];
  /** IQ answers beyond the room's own: to a request matching `when`, `reply`, with `{id}` its id. */
  answers?: Array<{ when: ExpectedStanza; reply: VectorText }>;
  /** The room reflects each message at once (default), or only at `reflect` steps. */
  reflect?: boolean;
  /** The server resumes a dropped stream (default), or refuses to. */
  resume?: boolean;
  /** The room answers a join at once (default), or only at an `answer-join` step. */
  answerJoins?: boolean;
  steps: Step[];
}

type Step =
  | { act: 'start' | 'synced' | 'drop' | 'reconnected' | 'quiet' | 'answer-join' }
  | { act: 'edit'; insert: string }
  | { act: 'awareness'; state: Record<string, unknown> }
  | { wait: number }
  | { sent: ExpectedStanza; document?: Roots }
  | { asked: ExpectedStanza }
  | { nothing: true }
  | { unasked: ExpectedStanza }
  | { deliver: VectorText }
  | { reflect: true }
  | { state: Roots };

const vectors = (
  JSON.parse(readFileSync(new URL('../../../../conformance/clients.json', import.meta.url), 'utf8')) as {
    vectors: ClientVector[];
  }
).vectors;

/** The real clock, taken before any vector fakes it. */
const realNow = Date.now;
/** How long a step waits for the client, in real time. */
const STEP_TIMEOUT = 5000;

/** A document's roots as a vector names them: `text:NAME`, `map:NAME`, `array:NAME`. */
function rootsOf(doc: Y.Doc, names: Roots): Roots {
  return Object.fromEntries(
    Object.keys(names).map((key) => {
      const [kind, name] = key.split(':') as [string, string];
      if (kind === 'text') return [key, doc.getText(name).toString()];
      if (kind === 'map') return [key, doc.getMap(name).toJSON()];
      return [key, doc.getArray(name).toJSON()];
    }),
  );
}

/**
 * Resolves with `promise`, meanwhile letting the client do whatever falls due at this instant
 * of the vector's clock (timers due now, what arrives over the socket), without moving it.
 */
async function settle<T>(promise: T | Promise<T>, what: string): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  Promise.resolve(promise).then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  const deadline = realNow() + STEP_TIMEOUT;
  while (outcome === undefined) {
    if (realNow() > deadline) throw new Error(`${what}: nothing within ${STEP_TIMEOUT} ms`);
    await vi.advanceTimersByTimeAsync(0);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if ('error' in outcome) throw outcome.error as Error;
  return outcome.value;
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('client vectors', () => {
  it.each(vectors.map((vector) => [vector.id, vector] as const))(
    '%s',
    async (_, vector) => {
      const room = await ScriptedRoom.listen(vector.room ?? 'muc');
      cleanup.push(() => room.close());
      room.behaviour.reflect = vector.reflect ?? true;
      room.behaviour.resume = vector.resume ?? true;
      room.behaviour.answerJoins = vector.answerJoins ?? true;
      /** What the room holds of the document: the archive's, others' and the client's updates. */
      const replica = new Y.Doc();
      const record = (stanza: Element) => {
        const update = find(stanza, '{urn:xsync:1}event > {urn:xsync:yjs:1}update')?.getText();
        if (update) Y.applyUpdate(replica, Buffer.from(update, 'base64'));
      };
      for (const text of vector.archive ?? []) {
        const stanza = parseXml(textOf(text)) as Element;
        room.archiveMessage(stanza);
        record(stanza);
      }
      for (const { when, reply } of vector.answers ?? []) {
        room.answers.push({ when: (request) => matchesStanza(request, when), reply: () => textOf(reply) });
      }
      room.serve();
      const doc = new Y.Doc();
      let connection: Connection | undefined;
      let provider: XmppProvider | undefined;
      cleanup.push(async () => {
        provider?.destroy();
        vi.useRealTimers();
        await connection?.close();
      });
      let synced: Promise<void> | undefined;
      let logins = 0;
      for (const [i, step] of vector.steps.entries()) {
        const where = `${vector.id} step ${i} ${JSON.stringify(step).slice(0, 80)}`;
        if ('act' in step) {
          if (step.act === 'start') {
            connection = await Connection.open({
              service: `xmpp://127.0.0.1:${room.server.port}`,
              domain: SCRIPTED.domain,
              username: SCRIPTED.account.split('@')[0]!,
              password: SCRIPTED.password,
              tokens: false,
            });
            // From here on the vector's clock: it moves only at `wait` steps.
            vi.useFakeTimers({
              toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
            });
            provider = new XmppProvider(new Room(connection, { jid: room.room }), doc, vector.provider);
            const started = provider;
            synced = new Promise((resolve) => {
              if (started.synced) resolve();
              else started.once('synced', () => resolve());
            });
          } else if (step.act === 'synced') {
            await settle(synced!, where);
          } else if (step.act === 'edit') {
            doc.getText('t').insert(doc.getText('t').length, step.insert);
          } else if (step.act === 'awareness') {
            provider!.awareness.setLocalState(step.state);
          } else if (step.act === 'quiet') {
            provider!.setQuiet(true);
          } else if (step.act === 'answer-join') {
            await room.answerJoins();
          } else if (step.act === 'drop') {
            logins = room.logins;
            // What the client asks from here on is what the drop made it ask.
            room.requests.clear();
            const noticed = new Promise<void>((resolve) =>
              connection!.on('status', function onStatus(status) {
                if (status === 'online') return;
                connection!.off('status', onStatus);
                resolve();
              }),
            );
            room.server.drop();
            // The clock moves on only once the client knows: its reconnection timer runs on it.
            await settle(noticed, where);
          } else {
            await settle(room.loggedIn(logins + 1), where);
          }
        } else if ('wait' in step) {
          await vi.advanceTimersByTimeAsync(step.wait);
        } else if ('sent' in step) {
          const sent = await settle(room.messages.next(), where);
          expect(matchesStanza(sent, step.sent), `${where}: the client sent ${describeStanza(sent)}`).toBe(true);
          record(sent);
          if (step.document) expect(rootsOf(replica, step.document), where).toEqual(step.document);
        } else if ('asked' in step) {
          const asked = await settle(
            room.requests.take((request) => matchesStanza(request, step.asked)),
            where,
          );
          expect(asked, where).toBeDefined();
        } else if ('nothing' in step) {
          await settle(room.barrier(), where);
          expect(
            room.messages.pending.map((message) => message.toString().slice(0, 400)),
            where,
          ).toEqual([]);
        } else if ('unasked' in step) {
          await settle(room.barrier(), where);
          expect(
            room.requests.pending.filter((request) => matchesStanza(request, step.unasked)).map(describeStanza),
            where,
          ).toEqual([]);
        } else if ('deliver' in step) {
          const text = textOf(step.deliver);
          record(parseXml(text) as Element);
          await room.deliver(text);
          // Read and handled before the vector goes on.
          await settle(room.barrier(), where);
        } else if ('reflect' in step) {
          await room.reflectNext();
          // Read and handled at this instant of the vector's clock.
          await settle(room.barrier(), where);
        } else {
          await settle(room.barrier(), where);
          expect(rootsOf(doc, step.state), where).toEqual(step.state);
        }
      }
    },
    30_000,
  );
});
