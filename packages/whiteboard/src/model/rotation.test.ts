import { describe, expect, it } from 'vitest';
import { registerBuiltinShapes } from '../render/builtinShapes.js';
import { ShapeRegistry, shapeBounds, shapeHit } from '../render/ShapeRegistry.js';
import { cornersOf, keepTopLeft, rotateAround, rotatedBounds } from './rotation.js';

const registry = new ShapeRegistry();
registerBuiltinShapes(registry);
const shape = (raw: Record<string, unknown>) =>
  registry.sanitize('s1', { x: 0, y: 0, z: 1, color: '#000', width: 2, ...raw })!;

describe('rotation', () => {
  it('turns points clockwise on screen around a centre', () => {
    const turned = rotateAround({ x: 10, y: 0 }, { x: 0, y: 0 }, Math.PI / 2);
    expect(turned.x).toBeCloseTo(0);
    expect(turned.y).toBeCloseTo(10);
  });

  it('bounds a turned box by its turned corners', () => {
    const box = rotatedBounds({ x: 0, y: 0, w: 100, h: 20 }, Math.PI / 2);
    expect(box.x).toBeCloseTo(40);
    expect(box.y).toBeCloseTo(-40);
    expect(box.w).toBeCloseTo(20);
    expect(box.h).toBeCloseTo(100);
  });

  it('keeps the near corner of a turned box still when its far corner is dragged', () => {
    const from = { x: 0, y: 0, w: 100, h: 50 };
    const angle = 0.7;
    const to = keepTopLeft(from, { x: 0, y: 0, w: 160, h: 90 }, angle);
    const [before] = cornersOf(from, angle);
    const [after] = cornersOf(to, angle);
    expect(after!.x).toBeCloseTo(before!.x);
    expect(after!.y).toBeCloseTo(before!.y);
    expect([to.w, to.h]).toEqual([160, 90]);
  });

  it('hit-tests a turned shape where its ink is drawn, and bounds it as drawn', () => {
    // A long thin filled rectangle standing upright once turned a quarter.
    const bar = shape({ type: 'rect', w: 200, h: 10, fill: '#ff0000', rotation: Math.PI / 2 });
    const definition = registry.get('rect')!;
    expect(shapeHit(definition, bar, { x: 100, y: 80 }, 1)).toBe(true);
    expect(shapeHit(definition, bar, { x: 180, y: 5 }, 1)).toBe(false);
    const bounds = shapeBounds(definition, bar);
    expect(bounds.x).toBeCloseTo(95);
    expect(bounds.h).toBeCloseTo(200);
  });

  it('reads rotations from the network into (-π, π], and anything else as none', () => {
    expect(shape({ type: 'rect', w: 1, h: 1, rotation: 3 * Math.PI }).rotation).toBeCloseTo(Math.PI);
    expect(shape({ type: 'rect', w: 1, h: 1, rotation: (-3 * Math.PI) / 2 }).rotation).toBeCloseTo(Math.PI / 2);
    expect(shape({ type: 'rect', w: 1, h: 1, rotation: Number.NaN }).rotation).toBe(0);
    expect(shape({ type: 'rect', w: 1, h: 1, rotation: '1' }).rotation).toBe(0);
  });
});
