import type { Box } from './shapes.js';

// Where a pointer meets a shape: the ink, not the box around it. Distances are in board
// units; `reach` is how far from the ink a press still counts (the pointer's tolerance plus
// half the line's width).

export interface Point {
  x: number;
  y: number;
}

/** Distance from `p` to the segment `a`–`b`. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Whether `p` is within `reach` of the polyline through `points` (flat `x, y, …` pairs with `stride` numbers each, offset by `origin`). */
export function nearPolyline(
  p: Point,
  points: readonly number[],
  stride: number,
  origin: Point,
  reach: number,
): boolean {
  const at = (i: number) => ({ x: origin.x + points[i]!, y: origin.y + points[i + 1]! });
  if (points.length < stride) return false;
  if (points.length < 2 * stride) return Math.hypot(p.x - at(0).x, p.y - at(0).y) <= reach;
  for (let i = 0; i + stride < points.length; i += stride) {
    if (distanceToSegment(p, at(i), at(i + stride)) <= reach) return true;
  }
  return false;
}

/** Whether `p` lies in `box` grown by `reach` on every side. */
export function inBox(p: Point, box: Box, reach = 0): boolean {
  return p.x >= box.x - reach && p.x <= box.x + box.w + reach && p.y >= box.y - reach && p.y <= box.y + box.h + reach;
}

/** Whether `p` is within `reach` of the outline of `box`. */
export function nearBoxOutline(p: Point, box: Box, reach: number): boolean {
  if (!inBox(p, box, reach)) return false;
  const inside = Math.min(p.x - box.x, box.x + box.w - p.x, p.y - box.y, box.y + box.h - p.y);
  return inside <= reach;
}

/** Whether `p` lies in the ellipse inscribed in `box`, grown by `reach`. */
export function inEllipse(p: Point, box: Box, reach = 0): boolean {
  const rx = box.w / 2 + reach;
  const ry = box.h / 2 + reach;
  if (rx <= 0 || ry <= 0) return false;
  const dx = (p.x - (box.x + box.w / 2)) / rx;
  const dy = (p.y - (box.y + box.h / 2)) / ry;
  return dx * dx + dy * dy <= 1;
}

/** Whether `p` is within `reach` of the outline of the ellipse inscribed in `box`. */
export function nearEllipseOutline(p: Point, box: Box, reach: number): boolean {
  const shrunk = { x: box.x + reach, y: box.y + reach, w: box.w - 2 * reach, h: box.h - 2 * reach };
  return inEllipse(p, box, reach) && !(shrunk.w > 0 && shrunk.h > 0 && inEllipse(p, shrunk));
}

/** `box` shrunk by `pad` on every side (never below nothing). */
export function inset(box: Box, pad: number): Box {
  return { x: box.x + pad, y: box.y + pad, w: Math.max(0, box.w - 2 * pad), h: Math.max(0, box.h - 2 * pad) };
}

/** The box around some boxes, or `undefined` for none. */
export function unionOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  const x = Math.min(...boxes.map((box) => box.x));
  const y = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.w));
  const bottom = Math.max(...boxes.map((box) => box.y + box.h));
  return { x, y, w: right - x, h: bottom - y };
}
