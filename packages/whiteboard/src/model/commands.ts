import type { Board } from './Board.js';
import type { Shape } from './shapes.js';

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

/** Moves fields by an offset: the shape's origin, and a line's far end. */
function offset(fields: Fields, dx: number, dy: number): Fields {
  const moved: Fields = { ...fields, x: fields.x + dx, y: fields.y + dy };
  if (typeof fields.x2 === 'number') moved.x2 = fields.x2 + dx;
  if (typeof fields.y2 === 'number') moved.y2 = (fields.y2 as number) + dy;
  return moved;
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
