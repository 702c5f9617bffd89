import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registerBuiltinShapes } from '../render/builtinShapes.js';
import { ShapeRegistry } from '../render/ShapeRegistry.js';
import { Board } from './Board.js';
import { MAX_POINTS } from './shapes.js';

function boards(): [Board, Board] {
  const registry = new ShapeRegistry();
  registerBuiltinShapes(registry);
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'remote'));
  b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update, 'remote'));
  return [new Board(a, registry), new Board(b, registry)];
}

describe('Board', () => {
  it('adds, updates and removes shapes that both boards read alike', () => {
    const [one, two] = boards();
    const id = one.add({ type: 'rect', x: 1, y: 2, w: 3, h: 4, color: '#ff0000', width: 2 });
    one.update(id, { x: 10 });
    expect(two.get(id)).toMatchObject({ type: 'rect', x: 10, y: 2, w: 3, h: 4, color: '#ff0000' });
    two.remove([id]);
    expect(one.get(id)).toBeUndefined();
  });

  it('[WB2] streams stroke points, and stops at MAX_POINTS', () => {
    const [one, two] = boards();
    const id = one.add({ type: 'stroke', x: 0, y: 0, color: '#000000', width: 2, points: [0, 0, 0.5] });
    const seen: number[] = [];
    two.observe((ids) => ids.has(id) && seen.push((two.get(id)!.points as number[]).length));
    one.appendPoints(id, [1, 1, 0.5, 2, 2, 0.5]);
    one.appendPoints(id, [3, 3, 0.5]);
    expect(seen).toEqual([9, 12]);
    one.appendPoints(
      id,
      Array.from({ length: MAX_POINTS * 3 }, () => 1),
    );
    expect((two.get(id)!.points as number[]).length).toBe(MAX_POINTS * 3);
  });

  it("undo takes back this user's changes only", () => {
    const [one, two] = boards();
    const mine = one.add({ type: 'ellipse', x: 0, y: 0, w: 5, h: 5, color: '#000000', width: 1 });
    one.undoManager.stopCapturing();
    const theirs = two.add({ type: 'rect', x: 0, y: 0, w: 5, h: 5, color: '#000000', width: 1 });
    one.undoManager.undo();
    expect(two.get(mine)).toBeUndefined();
    expect(one.get(theirs)).toBeDefined();
    expect(one.undoManager.undoStack).toHaveLength(0);
  });

  it('[WB1] reads peers\u2019 shapes through the sanitizers: clamped, bounded or dropped', () => {
    const [one] = boards();
    const raw = (fields: Record<string, unknown>) => {
      const map = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
      return map;
    };
    one.shapes.set('far', raw({ type: 'ellipse', x: 1e300, y: Number.NaN, w: -1, h: 1e9, color: 'red; x' }));
    one.shapes.set('alien', raw({ type: 'video', x: 0, y: 0 }));
    one.shapes.set('text', raw({ type: 'text', x: 0, y: 0, text: 'a\u0000b'.repeat(2000), size: 1e6 }));
    one.shapes.set('image', raw({ type: 'image', x: 0, y: 0, w: 1, h: 1, href: 'data:text/html;base64,PHNjcmlwdD4=' }));
    expect(one.get('far')).toMatchObject({ x: 1_000_000, y: 0, w: 0, h: 100_000, color: '#1d1d1f' });
    expect(one.get('alien')).toBeUndefined();
    expect(one.get('text')).toMatchObject({ size: 400 });
    expect((one.get('text')!.text as string).length).toBeLessThanOrEqual(2000);
    expect(one.get('text')!.text).not.toContain('\u0000');
    expect(one.get('image')).toBeUndefined();
    expect(one.all().map((shape) => shape.id)).toEqual(['far', 'text']);
  });
});
