import type { Box } from '../model/shapes.js';

/** What the board shows: the board point at the surface's top-left corner, and the zoom. */
export interface Viewport {
  x: number;
  y: number;
  /** Screen pixels per board unit: 1 is 100 %. */
  scale: number;
}

/** A surface's size in screen pixels. */
export interface ScreenSize {
  width: number;
  height: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;

const clampZoom = (scale: number) => Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, scale));

/** The view at `scale`, keeping `point` (board units) at the same place on the screen. */
export function zoomedAt(view: Viewport, point: { x: number; y: number }, scale: number): Viewport {
  const next = clampZoom(scale);
  return {
    x: point.x - ((point.x - view.x) * view.scale) / next,
    y: point.y - ((point.y - view.y) * view.scale) / next,
    scale: next,
  };
}

/** The view moved by screen pixels. */
export function pannedBy(view: Viewport, dx: number, dy: number): Viewport {
  return { ...view, x: view.x + dx / view.scale, y: view.y + dy / view.scale };
}

/** The part of the board in view, in board units. */
export function visibleBox(view: Viewport, size: ScreenSize): Box {
  return { x: view.x, y: view.y, w: size.width / view.scale, h: size.height / view.scale };
}

/** A view with `point` in the middle, at `scale`. */
export function centeredOn(point: { x: number; y: number }, size: ScreenSize, scale: number): Viewport {
  return { x: point.x - size.width / 2 / scale, y: point.y - size.height / 2 / scale, scale };
}

/** A view showing all of `box`, centred, as large as fits but at most `maxScale`. */
export function showing(box: Box, size: ScreenSize, maxScale = Number.POSITIVE_INFINITY): Viewport {
  const fit = Math.min(size.width / Math.max(box.w, 1e-6), size.height / Math.max(box.h, 1e-6));
  const scale = clampZoom(Math.min(maxScale, fit));
  return centeredOn({ x: box.x + box.w / 2, y: box.y + box.h / 2 }, size, scale);
}
