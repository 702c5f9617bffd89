/** Largest coordinate accepted from the network; anything beyond is clamped ([WB1]). */
export const MAX_COORDINATE = 1_000_000;
/** Largest width or height of a shape. */
export const MAX_SIZE = 100_000;
/** Most points a stroke keeps; longer lists from the network are cut. */
export const MAX_POINTS = 5000;
/** Most characters of a text shape. */
export const MAX_TEXT = 2000;
/** Largest inline image, as a data: URL ([WB3]). */
export const MAX_INLINE_IMAGE = 256 * 1024;

/** What every shape has; its type adds the rest. */
export interface Shape {
  id: string;
  type: string;
  x: number;
  y: number;
  /** Stacking order: higher is on top. */
  z: number;
  color: string;
  /** Stroke width in board units. */
  width: number;
  /** Turn around the centre of its unrotated bounds, in radians, clockwise: (-π, π]. */
  rotation: number;
  /** 0.1 (faint) to 1 (opaque). */
  opacity: number;
  /** How its lines are drawn. */
  dash: Dash;
  [property: string]: unknown;
}

/** Line styles a shape is drawn with. */
export const DASHES = ['solid', 'dashed', 'dotted'] as const;
export type Dash = (typeof DASHES)[number];

/** A freehand stroke: points are `x, y, pressure` triples relative to the shape's `x, y`. */
export interface StrokeShape extends Shape {
  type: 'stroke';
  points: number[];
  highlighter: boolean;
}

export interface LineShape extends Shape {
  type: 'line' | 'arrow';
  x2: number;
  y2: number;
}

export interface BoxShape extends Shape {
  type: 'rect' | 'ellipse' | 'image' | 'text';
  w: number;
  h: number;
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** A finite number clamped to ±`limit`, or `fallback`. */
export function clampNumber(value: unknown, limit: number, fallback = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.max(-limit, Math.min(limit, value));
}

export function sanitizeColor(value: unknown, fallback = '#1d1d1f'): string {
  return typeof value === 'string' && COLOR.test(value) ? value : fallback;
}

/** A fill colour, or `undefined` for none (anything that is not a colour, such as `none`). */
export function sanitizeFill(value: unknown): string | undefined {
  return typeof value === 'string' && COLOR.test(value) ? value : undefined;
}

/** An angle in (-π, π]; 0 for anything that is not a finite number. */
export function sanitizeRotation(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
  const turned = value % (2 * Math.PI);
  if (turned > Math.PI) return turned - 2 * Math.PI;
  if (turned <= -Math.PI) return turned + 2 * Math.PI;
  return turned;
}

export function sanitizeText(value: unknown, limit = MAX_TEXT): string {
  return typeof value === 'string'
    ? value.slice(0, limit).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    : '';
}

/** The fields every shape has, made safe: ids are short strings, numbers finite and bounded. */
export function sanitizeBase(id: string, raw: Record<string, unknown>): Shape | undefined {
  if (typeof raw.type !== 'string' || id.length === 0 || id.length > 64) return undefined;
  return {
    id,
    type: raw.type,
    x: clampNumber(raw.x, MAX_COORDINATE),
    y: clampNumber(raw.y, MAX_COORDINATE),
    z: clampNumber(raw.z, Number.MAX_SAFE_INTEGER),
    color: sanitizeColor(raw.color),
    width: Math.max(0.5, Math.min(100, clampNumber(raw.width, 100, 2))),
    rotation: sanitizeRotation(raw.rotation),
    opacity: Math.max(0.1, Math.min(1, clampNumber(raw.opacity, 1, 1))),
    dash: DASHES.includes(raw.dash as Dash) ? (raw.dash as Dash) : 'solid',
  };
}

/** Axis-aligned bounds in board units. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}
