import { describe, expect, it } from 'vitest';
import type { Shape } from '../model/shapes.js';
import { stickyNoteShape } from '../plugins/stickyNote.js';
import { registerBuiltinShapes } from './builtinShapes.js';
import { ShapeRegistry, resizeFields } from './ShapeRegistry.js';

const registry = new ShapeRegistry();
registerBuiltinShapes(registry);
registry.register(stickyNoteShape as never);

/** A shape as the board holds it, read through its definition. */
const shape = (raw: Record<string, unknown>): Shape =>
  registry.sanitize('s1', { x: 0, y: 0, z: 1, color: '#000', width: 2, ...raw })!;

/** Resizes `raw` so that its bounds double in width and height, and returns the shape after. */
function doubled(raw: Record<string, unknown>): { before: Shape; after: Shape } {
  const before = shape(raw);
  const definition = registry.get(before.type)!;
  const from = definition.bounds(before);
  const to = { x: from.x, y: from.y, w: from.w * 2, h: from.h * 2 };
  const after = shape({ ...raw, ...resizeFields(definition, before, from, to) });
  return { before, after };
}

describe('resizing every kind of shape', () => {
  it('boxes take the new bounds', () => {
    const { after } = doubled({ type: 'rect', x: 10, y: 20, w: 100, h: 50 });
    expect(after).toMatchObject({ x: 10, y: 20, w: 200, h: 100 });
  });

  it('lines and strokes map every point, keeping the top-left corner of their bounds', () => {
    const line = doubled({ type: 'line', x: 10, y: 10, x2: 110, y2: 60 }).after;
    const bounds = registry.get('line')!.bounds(shape({ type: 'line', x: 10, y: 10, x2: 110, y2: 60 }));
    // Bounds reach a line's width past its ends, which stay that far inside the new bounds.
    const grownLine = { w: bounds.w * 2 - 4, h: bounds.h * 2 - 4 };
    expect([line.x, line.y]).toEqual([10, 10]);
    expect(line.x2).toBeCloseTo(10 + grownLine.w);
    expect(line.y2).toBeCloseTo(10 + grownLine.h);
    const { before, after } = doubled({ type: 'stroke', x: 50, y: 50, points: [0, 0, 0.5, 40, 20, 0.7] });
    const box = registry.get('stroke')!.bounds(before);
    const grown = registry.get('stroke')!.bounds(after);
    expect(grown.x).toBeCloseTo(box.x, 0);
    expect((after.points as number[])[5]).toBe(0.7);
    // The ink grows with the bounds; the line width stays.
    expect(grown.w).toBeGreaterThan(box.w * 1.8);
    expect(after.width).toBe(2);
  });

  it('text grows its font, and a sticky note stays square', () => {
    const text = doubled({ type: 'text', x: 0, y: 0, text: 'Hello', size: 20 }).after;
    expect(text.size).toBe(40);
    const note = doubled({ type: 'sticky-note', x: 0, y: 0, text: 'Note', size: 160, fill: '#fff59d' }).after;
    expect(note.size).toBe(320);
  });
});
