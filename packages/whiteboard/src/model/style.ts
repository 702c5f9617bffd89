import type { ShapeDefinition } from '../render/ShapeRegistry.js';
import type { Dash, Shape } from './shapes.js';

/** How the next shape looks, and what the properties panel sets on the selection. */
export interface Style {
  /** Line and text colour. */
  color: string;
  /** Line width in board units. */
  width: number;
  /** Fill colour, or `none`, for shapes that have a fill. */
  fill: string;
  dash: Dash;
  /** 0.1 (faint) to 1. */
  opacity: number;
  /** Font size in board units, for shapes that hold text. */
  fontSize: number;
}

export type StyleName = keyof Style;

export const DEFAULT_STYLE: Style = {
  color: '#1d1d1f',
  width: 2,
  fill: 'none',
  dash: 'solid',
  opacity: 1,
  fontSize: 20,
};

/** Line and text colours offered. */
export const COLORS = ['#1d1d1f', '#b3261e', '#0a5dc2', '#1e7b34', '#c25e00', '#8e24aa'];
/** Fill colours offered: light enough for text and lines to read on them. */
export const FILLS = ['#ffc9c9', '#b2f2bb', '#a5d8ff', '#ffec99', '#eebefa', '#e9ecef'];
/** Line widths offered, in board units, with their names. */
export const WIDTHS: ReadonlyArray<[number, string]> = [
  [1, 'Thin'],
  [2, 'Medium'],
  [4, 'Bold'],
  [8, 'Extra bold'],
];
/** Font sizes offered, in board units, with their names. */
export const FONT_SIZES: ReadonlyArray<[number, string]> = [
  [16, 'Small'],
  [20, 'Medium'],
  [28, 'Large'],
  [40, 'Extra large'],
];

/** The styles every shape takes, as the fields a new shape is made with. */
export function commonStyle(style: Style): Pick<Shape, 'color' | 'width' | 'opacity' | 'dash'> {
  return { color: style.color, width: style.width, opacity: style.opacity, dash: style.dash };
}

/** The styles a shape of this kind takes: the common ones, and `fill` and `fontSize` if it has them. */
export function stylesOf(definition: ShapeDefinition): StyleName[] {
  const names: StyleName[] = ['color', 'width', 'dash', 'opacity'];
  if (definition.styles?.fill) names.push('fill');
  if (definition.styles?.fontSize) names.push('fontSize');
  return names;
}

/** The fields that give `shape` what `style` sets, among the styles its kind takes. */
export function styleFields(definition: ShapeDefinition, style: Partial<Style>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of ['color', 'width', 'dash', 'opacity'] as const) {
    if (style[name] !== undefined) fields[name] = style[name];
  }
  const { fill, fontSize } = definition.styles ?? {};
  if (fill && style.fill !== undefined) fields[fill] = style.fill;
  if (fontSize && style.fontSize !== undefined) fields[fontSize] = style.fontSize;
  return fields;
}

/** What a shape looks like, in the terms of {@link Style} (for the panel to show). */
export function styleOfShape(definition: ShapeDefinition, shape: Shape): Partial<Style> {
  const style: Partial<Style> = { color: shape.color, width: shape.width, dash: shape.dash, opacity: shape.opacity };
  const { fill, fontSize } = definition.styles ?? {};
  if (fill) style.fill = typeof shape[fill] === 'string' ? (shape[fill] as string) : 'none';
  if (fontSize && typeof shape[fontSize] === 'number') style.fontSize = shape[fontSize] as number;
  return style;
}
