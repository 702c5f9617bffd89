import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stickyNoteShape } from './plugins/stickyNote.js';
import { registerBuiltinShapes } from './render/builtinShapes.js';
import { ShapeRegistry } from './render/ShapeRegistry.js';

// The whiteboard's conformance vectors (conformance/whiteboard.json, docs/protocol.md §15):
// shapes as a peer may write them, and what every receiver draws of them.

interface ShapeVector {
  id: string;
  rules: string[];
  description: string;
  /** The shape's key in the board's map; `s1` when not given. */
  shapeId?: string;
  shape: Record<string, unknown>;
  /** The shape as read, or `null` for one that is not drawn. */
  expect: Record<string, unknown> | null;
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../../conformance/whiteboard.json', import.meta.url), 'utf8')) as {
    vectors: ShapeVector[];
  }
).vectors;

const registry = new ShapeRegistry();
registerBuiltinShapes(registry);
registry.register(stickyNoteShape);

/** Numbers to 9 decimals: vectors give angles and sizes as another implementation computes them. */
const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value ?? null, (_, item: unknown) => (typeof item === 'number' ? +item.toFixed(9) : item)));

describe('whiteboard conformance vectors', () => {
  it.each(vectors.map((vector) => [vector.id, vector] as const))('%s', (_, vector) => {
    const shape = registry.sanitize(vector.shapeId ?? 's1', vector.shape);
    expect(rounded(shape)).toEqual(rounded(vector.expect));
  });
});
