import { type Point, inBox } from '../model/geometry.js';
import { centerOf, rotateAround, rotatedBounds } from '../model/rotation.js';
import { type Box, type Shape, sanitizeBase } from '../model/shapes.js';

export const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A kind of shape: how its fields are read from untrusted data, drawn and bounded. Plugins
 * register their own ({@link ShapeRegistry.register}) without touching the package.
 */
export interface ShapeDefinition<S extends Shape = Shape> {
  type: string;
  /**
   * Reads the type's own fields from what a peer wrote, on top of the checked common fields.
   * Returns `undefined` to drop the shape. Must clamp every number and bound every string.
   */
  sanitize(base: Shape, raw: Record<string, unknown>): S | undefined;
  /**
   * Draws the shape unrotated: updates `existing` (the element it returned last time) or makes
   * a new one. Its rotation, opacity and dash are applied to the element afterwards
   * ({@link renderShape}); a `transform` the definition sets stays, behind the rotation.
   */
  render(shape: S, existing: SVGElement | undefined): SVGElement;
  /** Bounds in board units, unrotated: the box the shape turns around the centre of. */
  bounds(shape: S): Box;
  /**
   * The fields that hold the styles this kind takes beyond colour, width, opacity and dash,
   * which every shape takes: `fill` (a colour, or `none`), `fontSize` (board units).
   */
  styles?: { fill?: string; fontSize?: string };
  /**
   * Whether a press at `point` (in the shape's unrotated frame) meets the shape, `tolerance`
   * board units around the pointer: its ink, for clicking and erasing. Default: anywhere in its
   * bounds (right for filled shapes).
   */
  hits?(shape: S, point: Point, tolerance: number): boolean;
  /**
   * The fields that make the shape fill `to` where it filled `from` (its unrotated bounds when
   * the resize began). Default: a box shape's `x`, `y`, `w`, `h`; shapes drawn from points map
   * each point.
   */
  resize?(shape: S, from: Box, to: Box): Record<string, unknown>;
}

/** Maps a point from one box onto another. */
export function mapPoint(point: Point, from: Box, to: Box): Point {
  return {
    x: to.x + (from.w === 0 ? 0 : ((point.x - from.x) * to.w) / from.w),
    y: to.y + (from.h === 0 ? 0 : ((point.y - from.y) * to.h) / from.h),
  };
}

/** The fields that resize `shape` from `from` to `to`, as its definition says. */
export function resizeFields(definition: ShapeDefinition, shape: Shape, from: Box, to: Box): Record<string, unknown> {
  if (definition.resize) return definition.resize(shape, from, to);
  if (typeof shape.w !== 'number' || typeof shape.h !== 'number') return {};
  const corner = mapPoint(shape, from, to);
  const scaleX = from.w === 0 ? 1 : to.w / from.w;
  const scaleY = from.h === 0 ? 1 : to.h / from.h;
  return { x: corner.x, y: corner.y, w: Math.max(1, shape.w * scaleX), h: Math.max(1, (shape.h as number) * scaleY) };
}

/**
 * Bounds of each shape object a board hands out; a board makes a new object when a shape
 * changes, so an entry never goes stale, and goes with its shape.
 */
const boundsCache = new WeakMap<Shape, Box>();

/** The axis-aligned bounds of a shape as it is drawn, rotation included. */
export function shapeBounds(definition: ShapeDefinition, shape: Shape): Box {
  return rotatedBounds(definition.bounds(shape), shape.rotation);
}

/** {@link shapeBounds}, computed once per version of the shape. */
export function cachedBounds(definition: ShapeDefinition, shape: Shape): Box {
  let box = boundsCache.get(shape);
  if (!box) {
    box = shapeBounds(definition, shape);
    boundsCache.set(shape, box);
  }
  return box;
}

/** A point of the board in a shape's own, unrotated frame. */
export function toShapeFrame(definition: ShapeDefinition, shape: Shape, point: Point): Point {
  if (shape.rotation === 0) return point;
  return rotateAround(point, centerOf(definition.bounds(shape)), -shape.rotation);
}

/**
 * Draws a shape as its definition does, then turns it, fades it and dashes its lines as its
 * common styles say. Every drawing of a shape (the board, exports) goes through here.
 */
export function renderShape(definition: ShapeDefinition, shape: Shape, existing: SVGElement | undefined): SVGElement {
  existing?.removeAttribute('transform');
  const element = definition.render(shape, existing);
  const own = element.getAttribute('transform');
  if (shape.rotation !== 0) {
    const { x, y } = centerOf(definition.bounds(shape));
    const turn = `rotate(${(shape.rotation * 180) / Math.PI} ${x} ${y})`;
    element.setAttribute('transform', own ? `${turn} ${own}` : turn);
  }
  toggleAttribute(element, 'opacity', shape.opacity < 1 ? String(shape.opacity) : undefined);
  const w = shape.width;
  const dashes = { solid: undefined, dashed: `${w * 4} ${w * 3}`, dotted: `0 ${w * 2.5}` };
  toggleAttribute(element, 'stroke-dasharray', dashes[shape.dash]);
  // Dots are round caps of zero-length dashes.
  if (shape.dash === 'dotted') element.setAttribute('stroke-linecap', 'round');
  return element;
}

function toggleAttribute(element: Element, name: string, value: string | undefined): void {
  if (value === undefined) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

/**
 * Whether a press at `point` meets `shape`, as its definition says. Shapes whose bounds the
 * press misses are passed over at the cost of a box test, so the finer test of the ink runs
 * only for shapes near the pointer, however many the board holds.
 */
export function shapeHit(definition: ShapeDefinition, shape: Shape, point: Point, tolerance: number): boolean {
  // Grown by the line's width too: an outline's ink reaches half of it past the bounds.
  if (!inBox(point, cachedBounds(definition, shape), tolerance + shape.width)) return false;
  return definition.hits ? definition.hits(shape, toShapeFrame(definition, shape, point), tolerance) : true;
}

/** The shape kinds a whiteboard knows; unknown kinds from the network are not drawn. */
export class ShapeRegistry {
  readonly #definitions = new Map<string, ShapeDefinition>();

  register<S extends Shape>(definition: ShapeDefinition<S>): void {
    if (this.#definitions.has(definition.type)) throw new Error(`shape type ${definition.type} is already registered`);
    this.#definitions.set(definition.type, definition as unknown as ShapeDefinition);
  }

  get(type: string): ShapeDefinition | undefined {
    return this.#definitions.get(type);
  }

  get types(): string[] {
    return [...this.#definitions.keys()];
  }

  /** A valid shape from untrusted fields, or `undefined` (unknown type, or refused by its definition). */
  sanitize(id: string, raw: Record<string, unknown>): Shape | undefined {
    const base = sanitizeBase(id, raw);
    const definition = base && this.#definitions.get(base.type);
    if (!base || !definition) return undefined;
    try {
      return definition.sanitize(base, raw);
    } catch {
      return undefined;
    }
  }
}

/** An SVG element of `name`, reused when `existing` already is one. */
export function svgElement<K extends keyof SVGElementTagNameMap>(
  name: K,
  existing: SVGElement | undefined,
): SVGElementTagNameMap[K] {
  if (existing?.tagName === name) return existing as SVGElementTagNameMap[K];
  return document.createElementNS(SVG_NS, name);
}

export function setAttributes(element: Element, attributes: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
}
