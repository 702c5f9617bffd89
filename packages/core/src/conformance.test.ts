import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AwarenessSequenceVector,
  type AwarenessVector,
  type EventVector,
  type SequenceVector,
  pick,
  runAwareness,
  runAwarenessSequence,
  runEvent,
  runSequence,
} from './testing/conformance.js';

// Every conformance vector in conformance/ runs here, against the decoding and validation the
// rooms use; and every rule of docs/protocol.md has a vector, or is listed below as one whose
// vectors are still to be written.

const repository = new URL('../../../', import.meta.url);
const load = <T>(name: string): T[] =>
  (JSON.parse(readFileSync(new URL(`conformance/${name}.json`, repository), 'utf8')) as { vectors: T[] }).vectors;

const events = load<EventVector>('events');
const sequences = load<SequenceVector>('sequences');
const awareness = load<AwarenessVector | AwarenessSequenceVector>('awareness');
const isSequence = (vector: AwarenessVector | AwarenessSequenceVector): vector is AwarenessSequenceVector =>
  'updates' in vector;
/**
 * Shape vectors run with the whiteboard's tests, session vectors with the connection's
 * (connection/conformance.test.ts), client vectors with the provider's (yjs/conformance.test.ts),
 * drawing vectors in Chromium (test/browser/conformance-drawing.test.ts), exchange vectors
 * against the servers
 * (test/integration/conformance-exchanges.test.ts); here they count towards the rules covered.
 */
const shapes = load<{ id: string; rules: string[]; description: string }>('whiteboard');
const exchanges = load<{ id: string; rules: string[]; description: string }>('exchanges');
const sessions = load<{ id: string; rules: string[]; description: string }>('sessions');
const clients = load<{ id: string; rules: string[]; description: string }>('clients');
const drawing = load<{ id: string; rules: string[]; description: string }>('drawing');

/** The rule ids docs/protocol.md defines: each `**[ID]**`. */
function rulesOfProtocol(): Set<string> {
  const text = readFileSync(new URL('docs/protocol.md', repository), 'utf8');
  return new Set([...text.matchAll(/\*\*\[([A-Z]+[0-9]+)\]\*\*/g)].map((match) => match[1]!));
}

describe('conformance vectors', () => {
  it.each(events.map((vector) => [vector.id, vector] as const))('event %s', (_, vector) => {
    const outcome = runEvent(vector);
    expect(pick(outcome, vector.expect)).toEqual(vector.expect);
  });

  it.each(sequences.map((vector) => [vector.id, vector] as const))('sequence %s', (_, vector) => {
    const { outcomes, state } = runSequence(vector);
    expect(outcomes.map((outcome, i) => pick(outcome, vector.expect[i]!))).toEqual(vector.expect);
    expect(state).toEqual(vector.state);
  });

  const single = awareness.filter((vector): vector is AwarenessVector => !isSequence(vector));
  it.each(single.map((vector) => [vector.id, vector] as const))('awareness %s', (_, vector) => {
    expect(pick(runAwareness(vector), vector.expect)).toEqual(vector.expect);
  });

  it.each(awareness.filter(isSequence).map((vector) => [vector.id, vector] as const))(
    'awareness sequence %s',
    (_, vector) => {
      const { outcomes, clients } = runAwarenessSequence(vector);
      expect(outcomes.map((outcome, i) => pick(outcome, vector.expect[i]!))).toEqual(vector.expect);
      expect(clients).toEqual(vector.clients);
    },
  );

  it('give every vector a unique id, a description, and rules the protocol defines', () => {
    const all = [...events, ...sequences, ...awareness, ...shapes, ...exchanges, ...sessions, ...clients, ...drawing];
    const rules = rulesOfProtocol();
    expect(new Set(all.map((vector) => vector.id)).size).toBe(all.length);
    for (const vector of all) {
      expect(vector.description.length, vector.id).toBeGreaterThan(0);
      expect(
        vector.rules.filter((rule) => !rules.has(rule)),
        vector.id,
      ).toEqual([]);
    }
  });

  it('cover every rule of the protocol', () => {
    const covered = new Set(
      [...events, ...sequences, ...awareness, ...shapes, ...exchanges, ...sessions, ...clients, ...drawing].flatMap(
        (vector) => vector.rules,
      ),
    );
    const uncovered = [...rulesOfProtocol()].filter((rule) => !covered.has(rule));
    expect(uncovered).toEqual([]);
  });
});
