import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Element } from '../xml/index.js';
import { type VectorText, textOf } from '../testing/conformance.js';
import { ScriptedServer } from '../testing/ScriptedServer.js';
import { type ExpectedStanza, describeStanza, find, matchesStanza } from '../testing/stanzaMatch.js';
import { Connection } from './Connection.js';
import { memoryTokenStore } from './fast/tokens.js';
// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';

// The session vectors (conformance/sessions.json, docs/protocol.md §15): @xsync/core's
// Connection logs in to a loopback server that says what each vector's server says, and must
// send what the vector's client sends.

interface SessionVector {
  id: string;
  rules: string[];
  description: string;
  client: {
    username: string;
    password: string;
    domain: string;
    resource?: string;
    register?: boolean;
    pipelining?: boolean;
    /** The SCRAM client nonce, base64 of 18 bytes: the client's randomness, fixed. */
    nonce?: string;
  };
  steps: Array<
    | { server: VectorText; split?: number; until?: ExpectedStanza }
    | { client: ExpectedStanza; save?: Record<string, string> }
    | { received: ExpectedStanza }
    | { act: 'open'; requests?: VectorText[] }
    | { act: 'online' | 'close' | 'inactive' | 'drop' }
    | { answer: ExpectedStanza }
  >;
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../../../conformance/sessions.json', import.meta.url), 'utf8')) as {
    vectors: SessionVector[];
  }
).vectors;

/** How long a step waits for the client: more than the client's 1 s reconnect delay. */
const STEP_TIMEOUT = 5000;

/** The stanzas a connection delivered, each taken once by a `received` step. */
class Received {
  readonly #stanzas: Element[] = [];
  readonly #fill: (text: string) => string;

  constructor(fill: (text: string) => string) {
    this.#fill = fill;
  }

  readonly #waiting: Array<{ expected: ExpectedStanza; resolve: (stanza: Element) => void }> = [];

  push(stanza: Element): void {
    const index = this.#waiting.findIndex(({ expected }) => matchesStanza(stanza, expected, this.#fill));
    if (index === -1) this.#stanzas.push(stanza);
    else this.#waiting.splice(index, 1)[0]!.resolve(stanza);
  }

  take(expected: ExpectedStanza): Promise<Element> {
    const index = this.#stanzas.findIndex((stanza) => matchesStanza(stanza, expected, this.#fill));
    if (index !== -1) return Promise.resolve(this.#stanzas.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = { expected, resolve };
      this.#waiting.push(waiter);
      setTimeout(() => {
        const at = this.#waiting.indexOf(waiter);
        if (at === -1) return;
        this.#waiting.splice(at, 1);
        reject(new Error(`received nothing like ${JSON.stringify(expected)}`));
      }, STEP_TIMEOUT);
    });
  }
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  vi.restoreAllMocks();
});

/** Makes the client's 18 random bytes of a SCRAM nonce those of `nonce`. */
function fixNonce(nonce: string): void {
  const bytes = Buffer.from(nonce, 'base64');
  const original = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
    if (array instanceof Uint8Array && array.length === bytes.length) {
      array.set(bytes);
      return array;
    }
    return original(array);
  });
}

describe('session vectors', () => {
  it.each(vectors.map((vector) => [vector.id, vector] as const))(
    '%s',
    async (_, vector) => {
      const server = await ScriptedServer.listen();
      cleanup.push(() => server.close());
      if (vector.client.nonce) fixNonce(vector.client.nonce);
      const tokens = memoryTokenStore();
      // Values the client chose (`save`), for later steps to name in braces.
      const places: Record<string, string> = {};
      const fill = (text: string) => text.replace(/\{([a-z-]+)\}/g, (whole, key: string) => places[key] ?? whole);
      const received = new Received(fill);
      let connection: Connection | undefined;
      let answers: Array<Promise<Element>> = [];
      cleanup.push(async () => {
        await connection?.close();
      });
      for (const [i, step] of vector.steps.entries()) {
        const where = `${vector.id} step ${i}`;
        if ('act' in step) {
          if (step.act === 'open') {
            const opened = server.connections + 1;
            const started = Connection.start({
              service: `xmpp://127.0.0.1:${server.port}`,
              domain: vector.client.domain,
              username: vector.client.username,
              password: vector.client.password,
              resource: vector.client.resource,
              register: vector.client.register,
              pipelining: vector.client.pipelining,
              tokens,
            });
            connection = started;
            started.on('stanza', (stanza) => received.push(stanza));
            // Requests the application makes before the session is ready ([SES12]).
            answers = (step.requests ?? []).map((text) => started.request(parseXml(fill(textOf(text))) as Element));
            for (const answer of answers) answer.catch(() => undefined);
            await server.connection(opened);
          } else if (step.act === 'online') {
            await connection!.ready;
          } else if (step.act === 'close') {
            await connection!.close();
            connection = undefined;
          } else if (step.act === 'inactive') {
            await connection!.setActive(false);
          } else {
            const reconnected = server.connections + 1;
            server.drop();
            await server.connection(reconnected);
          }
        } else if ('server' in step) {
          const bytes = new TextEncoder().encode(fill(textOf(step.server)));
          if (step.split === undefined) {
            await server.write(bytes);
          } else {
            // The rest only once the client has read the first part: a separate read.
            await server.write(bytes.subarray(0, step.split));
            await received.take(step.until!);
            await server.write(bytes.subarray(step.split));
          }
        } else if ('client' in step) {
          const kind = step.client.name === 'r' || step.client.name === 'a' ? 'acks' : 'stanzas';
          const sent = await server.next(kind, STEP_TIMEOUT);
          expect(matchesStanza(sent, step.client, fill), `${where}: the client sent ${describeStanza(sent)}`).toBe(
            true,
          );
          for (const [name, at] of Object.entries(step.save ?? {})) {
            // `path@attribute`, or `@attribute` of the element itself.
            const [path, attribute] = at.split('@') as [string, string];
            const value = (path ? find(sent, path) : sent)?.attrs[attribute] as string | undefined;
            if (value === undefined) throw new Error(`${where}: nothing at ${at} to save`);
            places[name] = value;
          }
        } else if ('answer' in step) {
          const answer = await answers.shift()!;
          expect(matchesStanza(answer, step.answer, fill), `${where}: answered ${describeStanza(answer)}`).toBe(true);
        } else {
          await expect(received.take(step.received), where).resolves.toBeDefined();
        }
      }
    },
    30_000,
  );
});
