import type { Board } from '../model/Board.js';
import { ICONS, type IconNode } from '../ui/icons.js';
import type { Box, Shape } from '../model/shapes.js';

/** A point on the board, with the pen's pressure (0.5 for devices that do not tell). */
export interface BoardPoint {
  x: number;
  y: number;
  pressure: number;
}

/** What a tool may use while it handles a gesture. */
export interface ToolContext {
  board: Board;
  /** The colour and width chosen in the toolbar. */
  style: { color: string; width: number };
  /** Shapes under a point, topmost first, within `radius` board units. */
  hitTest(point: BoardPoint, radius: number): string[];
  /** Shapes whose bounds meet a box. */
  inBox(box: Box): string[];
  boundsOf(id: string): Box | undefined;
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
}

/** A drawing tool: pointer gestures in, board edits out. */
export interface Tool {
  name: string;
  label: string;
  /** Keyboard shortcut (a single key). */
  shortcut: string;
  /** Icon shown on the toolbar button (a Lucide icon node); without one the label shows. */
  icon?: IconNode;
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
        color: context.style.color,
        width: context.style.width,
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
      const { color, width } = context.style;
      id = context.board.add({ type, x: point.x, y: point.y, x2: point.x, y2: point.y, color, width });
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
      const { color, width } = context.style;
      id = context.board.add({ type, ...box(point), color, width });
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
      const { color } = context.style;
      context.board.add({ type: 'text', x: point.x, y: point.y, text: value, size: 20, color, width: 1 });
    });
  },
};

/** Select, move and resize. */
function selectTool(): Tool {
  let mode: 'move' | 'resize' | 'marquee' | undefined;
  let start = { x: 0, y: 0 };
  let originals = new Map<string, Shape>();
  /** The bounds of the shape being resized, when the resize began. */
  let from: Box | undefined;
  return {
    name: 'select',
    label: 'Select',
    shortcut: 'v',
    down(point, context, event) {
      context.board.undoManager.stopCapturing();
      start = { x: point.x, y: point.y };
      const [only] = context.selection;
      const bounds = context.selection.size === 1 && only ? context.boundsOf(only) : undefined;
      const handle =
        bounds && Math.hypot(point.x - (bounds.x + bounds.w), point.y - (bounds.y + bounds.h)) < 8 * context.scale;
      if (handle) {
        mode = 'resize';
        from = bounds;
      } else {
        const [hit] = context.hitTest(point, 4 * context.scale);
        if (hit) {
          if (event.shiftKey) context.select(new Set([...context.selection, hit]));
          else if (!context.selection.has(hit)) context.select([hit]);
          mode = 'move';
        } else {
          if (!event.shiftKey) context.select([]);
          mode = 'marquee';
        }
      }
      originals = new Map(
        [...context.selection].map((id) => [id, context.board.get(id)!]).filter(([, shape]) => shape) as Array<
          [string, Shape]
        >,
      );
    },
    move(point, context) {
      const dx = point.x - start.x;
      const dy = point.y - start.y;
      if (mode === 'move') {
        context.onFrame('move', () =>
          context.board.transact(() => {
            for (const [id, shape] of originals) {
              const fields: Record<string, number> = { x: shape.x + dx, y: shape.y + dy };
              if (typeof shape.x2 === 'number') fields.x2 = (shape.x2 as number) + dx;
              if (typeof shape.y2 === 'number') fields.y2 = (shape.y2 as number) + dy;
              context.board.update(id, fields);
            }
          }),
        );
      } else if (mode === 'resize') {
        const [[id, shape] = []] = originals;
        if (!id || !shape || !from) return;
        // The handle is the bounds' bottom-right corner; the top-left stays where it is.
        const to = { x: from.x, y: from.y, w: Math.max(1, from.w + dx), h: Math.max(1, from.h + dy) };
        context.onFrame('resize', () => context.board.update(id, context.resizeFields(shape, from!, to)));
      } else if (mode === 'marquee') {
        const box = { x: Math.min(start.x, point.x), y: Math.min(start.y, point.y), w: Math.abs(dx), h: Math.abs(dy) };
        context.onFrame('marquee', () => context.select(context.inBox(box)));
      }
    },
    up(_point, context) {
      mode = undefined;
      context.board.undoManager.stopCapturing();
    },
  };
}

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
  for (const tool of tools) tool.icon ??= ICONS[tool.name as keyof typeof ICONS];
  return tools;
}
