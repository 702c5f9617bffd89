import { describe, expect, it } from 'vitest';
import { distanceToSegment, inBox, inEllipse, nearBoxOutline, nearEllipseOutline, nearPolyline } from './geometry.js';

describe('hit-testing geometry', () => {
  it('measures the distance to a segment, its ends included', () => {
    expect(distanceToSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    expect(distanceToSegment({ x: 13, y: 4 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(distanceToSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5);
  });

  it('meets a diagonal line near its ink only, not in the empty corners of its box', () => {
    const diagonal = [0, 0, 100, 100];
    expect(nearPolyline({ x: 50, y: 52 }, diagonal, 2, { x: 0, y: 0 }, 4)).toBe(true);
    // Inside the line's bounding box, far from the line itself.
    expect(nearPolyline({ x: 90, y: 10 }, diagonal, 2, { x: 0, y: 0 }, 4)).toBe(false);
    // Strokes carry x, y, pressure triples, relative to the shape's origin.
    expect(nearPolyline({ x: 160, y: 150 }, [0, 0, 0.5, 100, 0, 0.5], 3, { x: 60, y: 150 }, 2)).toBe(true);
    expect(nearPolyline({ x: 3, y: 4 }, [0, 0, 0.5], 3, { x: 0, y: 0 }, 5)).toBe(true);
  });

  it('meets an unfilled box and ellipse at their outline, and their middle only when filled', () => {
    const box = { x: 0, y: 0, w: 200, h: 100 };
    expect(nearBoxOutline({ x: 100, y: 2 }, box, 4)).toBe(true);
    expect(nearBoxOutline({ x: 100, y: 50 }, box, 4)).toBe(false);
    expect(nearBoxOutline({ x: 100, y: -6 }, box, 4)).toBe(false);
    expect(inBox({ x: 100, y: 50 }, box)).toBe(true);
    expect(nearEllipseOutline({ x: 100, y: 1 }, box, 4)).toBe(true);
    expect(nearEllipseOutline({ x: 198, y: 50 }, box, 4)).toBe(true);
    expect(nearEllipseOutline({ x: 100, y: 50 }, box, 4)).toBe(false);
    // The corner of the box is outside the ellipse.
    expect(nearEllipseOutline({ x: 5, y: 5 }, box, 4)).toBe(false);
    expect(inEllipse({ x: 100, y: 50 }, box)).toBe(true);
    expect(inEllipse({ x: 5, y: 5 }, box)).toBe(false);
  });
});
