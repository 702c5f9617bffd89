import type { Box } from '../model/shapes.js';

/** A line drawn while something snaps: vertical at `x` (from `y1` to `y2`) or horizontal at `y`. */
export type Guide = { x: number; y1: number; y2: number } | { y: number; x1: number; x2: number };

interface Edge {
  /** Where the edge or centre line is on its axis. */
  at: number;
  /** The extent of its box along the other axis, for drawing a guide. */
  from: number;
  to: number;
}

/** The left, centre and right (or top, middle and bottom) of a box on one axis. */
function edgesOf(box: Box, axis: 'x' | 'y'): Edge[] {
  const [start, size, otherStart, otherSize] =
    axis === 'x' ? [box.x, box.w, box.y, box.h] : [box.y, box.h, box.x, box.w];
  return [start, start + size / 2, start + size].map((at) => ({ at, from: otherStart, to: otherStart + otherSize }));
}

/**
 * The edges and centres of the shapes something may snap to, sorted once when a drag begins,
 * so that each pointer move costs a binary search, however many shapes the board holds.
 */
export class SnapTargets {
  readonly #x: Edge[];
  readonly #y: Edge[];

  constructor(boxes: Iterable<Box>) {
    const all = [...boxes];
    this.#x = all.flatMap((box) => edgesOf(box, 'x')).sort((a, b) => a.at - b.at);
    this.#y = all.flatMap((box) => edgesOf(box, 'y')).sort((a, b) => a.at - b.at);
  }

  /**
   * How far to move `box` (already where the pointer put it) so that one of its edges or its
   * centre lines up with a target's, on each axis, if one is within `threshold`; and the guides
   * that show what lined up.
   */
  snap(box: Box, threshold: number): { dx: number; dy: number; guides: Guide[] } {
    const x = nearest(this.#x, edgesOf(box, 'x'), threshold);
    const y = nearest(this.#y, edgesOf(box, 'y'), threshold);
    const dx = x?.shift ?? 0;
    const dy = y?.shift ?? 0;
    const guides: Guide[] = [];
    if (x)
      guides.push({
        x: x.target.at,
        y1: Math.min(x.target.from, box.y + dy),
        y2: Math.max(x.target.to, box.y + dy + box.h),
      });
    if (y)
      guides.push({
        y: y.target.at,
        x1: Math.min(y.target.from, box.x + dx),
        x2: Math.max(y.target.to, box.x + dx + box.w),
      });
    return { dx, dy, guides };
  }
}

/** The target closest to any of `edges`, within `threshold`, and the shift that meets it. */
function nearest(targets: readonly Edge[], edges: readonly Edge[], threshold: number) {
  let best: { target: Edge; shift: number } | undefined;
  for (const edge of edges) {
    const i = firstAtOrAfter(targets, edge.at);
    for (const target of [targets[i - 1], targets[i]]) {
      if (!target) continue;
      const shift = target.at - edge.at;
      if (Math.abs(shift) <= threshold && (!best || Math.abs(shift) < Math.abs(best.shift))) best = { target, shift };
    }
  }
  return best;
}

function firstAtOrAfter(targets: readonly Edge[], at: number): number {
  let [low, high] = [0, targets.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (targets[middle]!.at < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
