import { describe, expect, it } from 'vitest';
import { SnapTargets } from './snapping.js';

describe('SnapTargets', () => {
  const targets = new SnapTargets([
    { x: 0, y: 0, w: 100, h: 100 },
    { x: 300, y: 500, w: 50, h: 50 },
  ]);

  it('moves a box so that the closest edge or centre within reach lines up, and says where', () => {
    // Left edge 103 is 3 from the target's right edge 100; top 203 meets nothing.
    const snap = targets.snap({ x: 103, y: 203, w: 40, h: 40 }, 6);
    expect(snap.dx).toBe(-3);
    expect(snap.dy).toBe(0);
    expect(snap.guides).toEqual([{ x: 100, y1: 0, y2: 243 }]);
  });

  it('lines up centres too, and both axes at once', () => {
    // Centre x 327 → 325 (the second box's centre); bottom 498 → 500 (its top).
    const snap = targets.snap({ x: 307, y: 478, w: 40, h: 20 }, 6);
    expect(snap.dx).toBe(-2);
    expect(snap.dy).toBe(2);
    expect(snap.guides).toHaveLength(2);
  });

  it('leaves a box alone when nothing is within reach', () => {
    expect(targets.snap({ x: 150, y: 200, w: 10, h: 10 }, 6)).toEqual({ dx: 0, dy: 0, guides: [] });
  });
});
