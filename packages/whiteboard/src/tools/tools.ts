import type { Board } from '../model/Board.js';
import type { Box, Shape } from '../model/shapes.js';
import { type Style, type StyleName, commonStyle } from '../model/style.js';
import { ICONS, type IconNode } from '../ui/icons.js';
import type { Guide } from './snapping.js';
import { selectTool } from './select.js';

/** A point on the board, with the pen's pressure (0.5 for devices that do not tell). */
export interface BoardPoint {
  x: number;
  y: number;
  pressure: number;
}

/** What a tool may use while it handles a gesture. */
export interface ToolContext {
  board: Board;
  /** The style chosen for the next shape (the properties panel). */
  style: Style;
  /** Shapes under a point, topmost first, within `radius` board units. */
  hitTest(point: BoardPoint, radius: number): string[];
  /** Shapes whose bounds meet a box. */
  inBox(box: Box): string[];
  /** A shape's bounds as drawn (rotation included). */
  boundsOf(id: string): Box | undefined;
  /** A shape's unrotated bounds and its rotation: the frame it is resized and turned in. */
  frameOf(id: string): { box: Box; rotation: number } | undefined;
  /** The drawn bounds of the shapes in view, except `except`'s: what a dragged selection snaps to. */
  snapTargets(except: ReadonlySet<string>): Box[];
  /** Shows lines that say what a drag lined up with; none to hide them. */
  showGuides(guides: readonly Guide[]): void;
  /** The fields that make a shape fill `to` where it filled `from` (its kind decides how). */
  resizeFields(shape: Shape, from: Box, to: Box): Record<string, unknown>;
  selection: ReadonlySet<string>;
  select(ids: Iterable<string>): void;
  /** Runs `work` once in the next animation frame, however often it is asked for before then. */
  onFrame(key: string, work: () => void): void;
  /**
   * Asks the user for text at a point, in place (several lines; `initial` to edit what is
   * there); resolves with what they wrote, or `undefined` if they wrote nothing.
   */
  askText(point: { x: number; y: number }, initial?: string): Promise<string | undefined>;
  /** Board units per screen pixel. */
  scale: number;
  /** Dragged shapes always snap, as they do while Ctrl (⌘) is held. */
  alwaysSnap: boolean;
}

/** A drawing tool: pointer gestures in, board edits out. */
export interface Tool {
  name: string;
  label: string;
  /** Keyboard shortcut (a single key). */
  shortcut: string;
  /** Icon shown on the toolbar button (a Lucide icon node); without one the label shows. */
  icon?: IconNode;
  /** The styles of the shapes it makes, offered in the properties panel while it is chosen. */
  styles?: readonly StyleName[];
  down(point: BoardPoint, context: ToolContext, event: PointerEvent): void;
  move(point: BoardPoint, context: ToolContext, event: PointerEvent): void;
  up(point: BoardPoint, context: ToolContext, event: PointerEvent): void;
}

function freehand(name: 'pen' | 'highlighter', label: string, shortcut: string): Tool {
  let id: string | undefined;
  let origin = { x: 0, y: 0 };
  let pending: number[] = [];
  const flush = (context: ToolContext) => {
    if (id && pending.length > 0) context.board.appendPoints(id, pending);
    pending = [];
  };
  return {
    name,
    label,
    shortcut,
    down(point, context) {
      context.board.undoManager.stopCapturing();
      origin = { x: point.x, y: point.y };
      id = context.board.add({
        type: 'stroke',
        x: point.x,
        y: point.y,
        ...commonStyle(context.style),
        highlighter: name === 'highlighter',
        points: [0, 0, point.pressure],
      });
    },
    move(point, context) {
      if (!id) return;
      pending.push(point.x - origin.x, point.y - origin.y, point.pressure);
      // Points stream while the pen is down, coalesced per frame ([WB2]).
      context.onFrame('stroke', () => flush(context));
    },
    up(_point, context) {
      flush(context);
      id = undefined;
      context.board.undoManager.stopCapturing();
    },
  };
}

const eraser: Tool = {
  name: 'eraser',
  label: 'Eraser',
  shortcut: 'e',
  down(point, context) {
    context.board.undoManager.stopCapturing();
    this.move(point, context, undefined as never);
  },
  move(point, context) {
    const hits = context.hitTest(point, 6 * context.scale);
    if (hits.length > 0) context.board.remove(hits);
  },
  up(_point, context) {
    context.board.undoManager.stopCapturing();
  },
};

function lineTool(type: 'line' | 'arrow', label: string, shortcut: string): Tool {
  let id: string | undefined;
  return {
    name: type,
    label,
    shortcut,
    down(point, context) {
      context.board.undoManager.stopCapturing();
      id = context.board.add({ type, x: point.x, y: point.y, x2: point.x, y2: point.y, ...commonStyle(context.style) });
    },
    move(point, context) {
      if (id) context.onFrame('line', () => context.board.update(id!, { x2: point.x, y2: point.y }));
    },
    up(point, context) {
      if (!id) return;
      const shape = context.board.get(id);
      if (shape && Math.hypot(point.x - shape.x, point.y - shape.y) < 2 * context.scale) context.board.remove([id]);
      else context.board.update(id, { x2: point.x, y2: point.y });
      id = undefined;
      context.board.undoManager.stopCapturing();
    },
  };
}

function boxTool(type: 'rect' | 'ellipse', label: string, shortcut: string): Tool {
  let id: string | undefined;
  let start = { x: 0, y: 0 };
  const box = (point: BoardPoint) => ({
    x: Math.min(start.x, point.x),
    y: Math.min(start.y, point.y),
    w: Math.abs(point.x - start.x),
    h: Math.abs(point.y - start.y),
  });
  return {
    name: type,
    label,
    shortcut,
    down(point, context) {
      context.board.undoManager.stopCapturing();
      start = { x: point.x, y: point.y };
      const { fill } = context.style;
      id = context.board.add({ type, ...box(point), ...commonStyle(context.style), fill });
    },
    move(point, context) {
      if (id) context.onFrame('box', () => context.board.update(id!, box(point)));
    },
    up(point, context) {
      if (!id) return;
      const final = box(point);
      if (final.w < 2 * context.scale && final.h < 2 * context.scale) context.board.remove([id]);
      else context.board.update(id, final);
      id = undefined;
      context.board.undoManager.stopCapturing();
    },
  };
}

const text: Tool = {
  name: 'text',
  label: 'Text',
  shortcut: 't',
  down() {},
  move() {},
  up(point, context) {
    void context.askText(point).then((value) => {
      if (!value) return;
      context.board.undoManager.stopCapturing();
      const { style } = context;
      context.board.add({
        type: 'text',
        x: point.x,
        y: point.y,
        text: value,
        size: style.fontSize,
        ...commonStyle(style),
        width: 1,
      });
    });
  },
};

/** The built-in tools, in toolbar order, each with its icon. */
export function builtinTools(): Tool[] {
  const tools = [
    selectTool(),
    freehand('pen', 'Pen', 'p'),
    freehand('highlighter', 'Highlighter', 'h'),
    eraser,
    lineTool('line', 'Line', 'l'),
    lineTool('arrow', 'Arrow', 'a'),
    boxTool('rect', 'Rectangle', 'r'),
    boxTool('ellipse', 'Ellipse', 'o'),
    text,
  ];
  const lines: StyleName[] = ['color', 'width', 'dash', 'opacity'];
  const styles: Record<string, StyleName[]> = {
    pen: ['color', 'width', 'opacity'],
    highlighter: ['color', 'width', 'opacity'],
    line: lines,
    arrow: lines,
    rect: [...lines, 'fill'],
    ellipse: [...lines, 'fill'],
    text: ['color', 'fontSize', 'opacity'],
  };
  for (const tool of tools) {
    tool.icon ??= ICONS[tool.name as keyof typeof ICONS];
    tool.styles ??= styles[tool.name];
  }
  return tools;
}
