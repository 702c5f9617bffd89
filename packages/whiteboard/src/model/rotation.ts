import type { Point } from './geometry.js';
import type { Box } from './shapes.js';

// A shape turns around the centre of its unrotated bounds. Its definition draws, hit-tests
// and resizes it unrotated; these map between the board and the shape's own frame.

export function centerOf(box: Box): Point {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/** `point` turned by `angle` radians (clockwise on screen) around `center`. */
export function rotateAround(point: Point, center: Point, angle: number): Point {
  if (angle === 0) return point;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const [dx, dy] = [point.x - center.x, point.y - center.y];
  return { x: center.x + dx * cos - dy * sin, y: center.y + dx * sin + dy * cos };
}

/** The four corners of `box` turned by `angle` around its centre: top-left, top-right, bottom-right, bottom-left. */
export function cornersOf(box: Box, angle: number): Point[] {
  const center = centerOf(box);
  return [
    { x: box.x, y: box.y },
    { x: box.x + box.w, y: box.y },
    { x: box.x + box.w, y: box.y + box.h },
    { x: box.x, y: box.y + box.h },
  ].map((corner) => rotateAround(corner, center, angle));
}

/** The axis-aligned box around `box` turned by `angle`. */
export function rotatedBounds(box: Box, angle: number): Box {
  if (angle === 0) return box;
  const corners = cornersOf(box, angle);
  const xs = corners.map((corner) => corner.x);
  const ys = corners.map((corner) => corner.y);
  const [x, y] = [Math.min(...xs), Math.min(...ys)];
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

/**
 * Where `to` (in the shape's own frame) must be moved so that its top-left corner stays where
 * `from`'s was on the board once both turn by `angle` around their own centres: a rotated
 * shape resized from its far corner keeps its near one still.
 */
export function keepTopLeft(from: Box, to: Box, angle: number): Box {
  if (angle === 0) return to;
  const before = rotateAround({ x: from.x, y: from.y }, centerOf(from), angle);
  const after = rotateAround({ x: to.x, y: to.y }, centerOf(to), angle);
  return { ...to, x: to.x + before.x - after.x, y: to.y + before.y - after.y };
}

/** `angle` to the nearest multiple of `step` radians. */
export function snapAngle(angle: number, step = Math.PI / 12): number {
  return Math.round(angle / step) * step;
}
