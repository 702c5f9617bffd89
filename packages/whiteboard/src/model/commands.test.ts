import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registerBuiltinShapes } from '../render/builtinShapes.js';
import { ShapeRegistry } from '../render/ShapeRegistry.js';
import { Board } from './Board.js';
import { align, bringToFront, copyText, distribute, duplicate, pasteText, sendToBack } from './commands.js';

function board(): Board {
  const registry = new ShapeRegistry();
  registerBuiltinShapes(registry);
  return new Board(new Y.Doc(), registry);
}

const rect = (x: number) => ({ type: 'rect', x, y: 0, w: 10, h: 10, color: '#000000', width: 2 });

describe('editing commands', () => {
  it('duplicates shapes beside themselves, on top, as one undo step', () => {
    const b = board();
    const line = b.add({ type: 'line', x: 0, y: 0, x2: 50, y2: 50, color: '#000000', width: 2 });
    b.undoManager.stopCapturing();
    const [copy] = duplicate(b, [line]);
    expect(b.get(copy!)).toMatchObject({ type: 'line', x: 16, y: 16, x2: 66, y2: 66 });
    expect(b.all().at(-1)!.id).toBe(copy);
    b.undoManager.undo();
    expect(b.size).toBe(1);
  });

  it('copies to text and pastes it back, reading what it pastes as it reads a peer', () => {
    const [from, to] = [board(), board()];
    const ids = [
      from.add(rect(0)),
      from.add({ type: 'text', x: 5, y: 5, text: 'Hi', size: 20, color: '#000000', width: 1 }),
    ];
    const text = copyText(from, ids);
    const pasted = pasteText(to, text, 0)!;
    expect(pasted.map((id) => to.get(id)!.type)).toEqual(['rect', 'text']);
    expect(to.get(pasted[1]!)).toMatchObject({ text: 'Hi', x: 5, y: 5 });
    expect(pasteText(to, 'plain words')).toBeUndefined();
    expect(pasteText(to, 'xsync-whiteboard-shapes:{"not":"a list"}')).toBeUndefined();
    // Unknown kinds and bad values are dropped or clamped, as from the network.
    const hostile = pasteText(
      to,
      `xsync-whiteboard-shapes:${JSON.stringify([{ type: 'script' }, { ...rect(0), x: 1e12 }])}`,
    )!;
    expect(hostile).toHaveLength(1);
    expect(Math.abs(to.get(hostile[0]!)!.x)).toBeLessThan(1e7);
  });

  it('brings shapes to the front and sends them to the back, keeping their own order', () => {
    const b = board();
    const [first, second, third] = [b.add(rect(0)), b.add(rect(1)), b.add(rect(2))];
    bringToFront(b, [first!, second!]);
    expect(b.all().map((shape) => shape.id)).toEqual([third, first, second]);
    sendToBack(b, [second!]);
    expect(b.all().map((shape) => shape.id)).toEqual([second, third, first]);
  });

  it('lines shapes up on an edge or middle of the box around them, lines by both ends', () => {
    const b = board();
    const bounds = (shape: { x: number; y: number; w?: unknown; h?: unknown }) => ({
      x: shape.x,
      y: shape.y,
      w: (shape.w as number) ?? 0,
      h: (shape.h as number) ?? 0,
    });
    const small = b.add({ ...rect(0), y: 40 });
    const wide = b.add({ ...rect(100), w: 50 });
    align(b, [small, wide], bounds, 'right');
    expect([b.get(small)!.x, b.get(wide)!.x]).toEqual([140, 100]);
    align(b, [small, wide], bounds, 'top');
    expect([b.get(small)!.y, b.get(wide)!.y]).toEqual([0, 0]);
    const line = b.add({ type: 'line', x: 0, y: 100, x2: 30, y2: 130, color: '#000000', width: 2 });
    align(
      b,
      [small, line],
      (shape) => (shape.type === 'line' ? { x: 0, y: 100, w: 30, h: 30 } : bounds(shape)),
      'bottom',
    );
    expect(b.get(line)).toMatchObject({ y: 100, y2: 130 });
    expect(b.get(small)!.y).toBe(120);
  });

  it('spaces three or more shapes evenly between the first and the last', () => {
    const b = board();
    const bounds = (shape: { x: number; y: number }) => ({ x: shape.x, y: shape.y, w: 10, h: 10 });
    const ids = [b.add(rect(0)), b.add(rect(15)), b.add(rect(90))];
    distribute(b, ids, bounds, 'x');
    expect(ids.map((id) => b.get(id)!.x)).toEqual([0, 45, 90]);
    distribute(b, ids.slice(0, 2), bounds, 'y');
    expect(ids.map((id) => b.get(id)!.y)).toEqual([0, 0, 0]);
  });
});
