import type { Board } from './Board.js';
import type { Box, Shape } from './shapes.js';

// Editing commands on a selection, each one transaction of this user (one undo step).

/** Marks copied shapes in the clipboard's text, so a paste knows them from other text. */
const CLIPBOARD_MARK = 'xsync-whiteboard-shapes:';
/** Most shapes one paste adds: the clipboard is as untrusted as the network. */
const MAX_PASTED = 1000;

/** What makes a shape, without its id and stacking order. */
type Fields = Pick<Shape, 'type' | 'x' | 'y' | 'color' | 'width'> & Record<string, unknown>;

/** A shape's fields without its identity and place in the stack. */
function fieldsOf(shape: Shape): Fields {
  const fields: Fields = { ...shape };
  delete fields.id;
  delete fields.z;
  return fields;
}

/** The fields that move a shape by an offset: its origin, and a line's far end. */
export function movedBy(shape: Pick<Shape, 'x' | 'y'> & Record<string, unknown>, dx: number, dy: number) {
  const fields: Record<string, number> = { x: shape.x + dx, y: shape.y + dy };
  if (typeof shape.x2 === 'number') fields.x2 = shape.x2 + dx;
  if (typeof shape.y2 === 'number') fields.y2 = shape.y2 + dy;
  return fields;
}

/** Fields moved by an offset. */
function offset(fields: Fields, dx: number, dy: number): Fields {
  return { ...fields, ...movedBy(fields, dx, dy) };
}

/** The selected shapes, in stacking order. */
function shapesOf(board: Board, ids: Iterable<string>): Shape[] {
  const wanted = new Set(ids);
  return board.all().filter((shape) => wanted.has(shape.id));
}

/** Copies of the shapes, `by` board units down and to the right, on top; returns their ids. */
export function duplicate(board: Board, ids: Iterable<string>, by = 16): string[] {
  const shapes = shapesOf(board, ids);
  const copies: string[] = [];
  board.transact(() => {
    for (const shape of shapes) copies.push(board.add(offset(fieldsOf(shape), by, by)));
  });
  return copies;
}

/** The shapes as clipboard text. */
export function copyText(board: Board, ids: Iterable<string>): string {
  return CLIPBOARD_MARK + JSON.stringify(shapesOf(board, ids).map(fieldsOf));
}

/**
 * Adds the shapes of clipboard text, moved by an offset; returns their ids, or `undefined`
 * for text that holds no copied shapes. Each shape is read by the board's own rules, as a
 * peer's would be: unknown kinds and bad fields are dropped.
 */
export function pasteText(board: Board, text: string, by = 16): string[] | undefined {
  if (!text.startsWith(CLIPBOARD_MARK)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(CLIPBOARD_MARK.length));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const pasted: string[] = [];
  board.transact(() => {
    for (const raw of parsed.slice(0, MAX_PASTED)) {
      if (typeof raw !== 'object' || raw === null) continue;
      const shape = board.registry.sanitize('pasted', raw as Record<string, unknown>);
      if (shape) pasted.push(board.add(offset(fieldsOf(shape), by, by)));
    }
  });
  return pasted;
}

/** Puts the shapes above every other, keeping their order among themselves. */
export function bringToFront(board: Board, ids: Iterable<string>): void {
  const all = board.all();
  const top = all.length > 0 ? all.at(-1)!.z : 0;
  board.transact(() => shapesOf(board, ids).forEach((shape, i) => board.update(shape.id, { z: top + 1 + i })));
}

/** Puts the shapes below every other, keeping their order among themselves. */
export function sendToBack(board: Board, ids: Iterable<string>): void {
  const all = board.all();
  const bottom = all.length > 0 ? all[0]!.z : 0;
  const shapes = shapesOf(board, ids);
  board.transact(() => shapes.forEach((shape, i) => board.update(shape.id, { z: bottom - shapes.length + i })));
}

/** Where shapes line up: an edge or the middle, across (`left`, `center`, `right`) or down. */
export type Alignment = 'left' | 'center' | 'right' | 'top' | 'middle' | 'bottom';

/**
 * Lines the shapes up on the edge or middle of the box around them, as drawn (`bounds` gives
 * a shape's drawn bounds).
 */
export function align(board: Board, ids: Iterable<string>, bounds: (shape: Shape) => Box, to: Alignment): void {
  const shapes = shapesOf(board, ids);
  if (shapes.length < 2) return;
  const boxes = shapes.map(bounds);
  const left = Math.min(...boxes.map((box) => box.x));
  const right = Math.max(...boxes.map((box) => box.x + box.w));
  const top = Math.min(...boxes.map((box) => box.y));
  const bottom = Math.max(...boxes.map((box) => box.y + box.h));
  board.transact(() =>
    shapes.forEach((shape, i) => {
      const box = boxes[i]!;
      const dx = { left: left - box.x, center: (left + right) / 2 - (box.x + box.w / 2), right: right - box.x - box.w };
      const dy = { top: top - box.y, middle: (top + bottom) / 2 - (box.y + box.h / 2), bottom: bottom - box.y - box.h };
      const across = to === 'left' || to === 'center' || to === 'right';
      board.update(shape.id, movedBy(shape, across ? dx[to] : 0, across ? 0 : dy[to]));
    }),
  );
}

/**
 * Spaces three or more shapes evenly across (`x`) or down (`y`): the first and last in that
 * direction stay, and the gaps between neighbours become equal.
 */
export function distribute(board: Board, ids: Iterable<string>, bounds: (shape: Shape) => Box, axis: 'x' | 'y'): void {
  const [start, size] = axis === 'x' ? (['x', 'w'] as const) : (['y', 'h'] as const);
  const placed = shapesOf(board, ids)
    .map((shape) => ({ shape, box: bounds(shape) }))
    .sort((a, b) => a.box[start] - b.box[start]);
  if (placed.length < 3) return;
  const first = placed[0]!.box;
  const last = placed.at(-1)!.box;
  const filled = placed.reduce((total, { box }) => total + box[size], 0);
  const gap = (last[start] + last[size] - first[start] - filled) / (placed.length - 1);
  let at = first[start];
  board.transact(() => {
    for (const { shape, box } of placed) {
      const shift = at - box[start];
      if (shift !== 0) board.update(shape.id, axis === 'x' ? movedBy(shape, shift, 0) : movedBy(shape, 0, shift));
      at += box[size] + gap;
    }
  });
}
