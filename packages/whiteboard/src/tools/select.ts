import { movedBy } from '../model/commands.js';
import { type Point, unionOf } from '../model/geometry.js';
import { centerOf, keepTopLeft, rotateAround, snapAngle } from '../model/rotation.js';
import { type Box, type Shape, sanitizeRotation } from '../model/shapes.js';
import { SnapTargets } from './snapping.js';
import type { Tool, ToolContext } from './tools.js';

/** Screen pixels within which a press takes a handle, and the turn handle stands above the box. */
const HANDLE_REACH = 8;
const ROTATE_HANDLE_OFFSET = 24;

/** A box and how it is turned: a shape's unrotated bounds, or around a selection of several. */
export interface Frame {
  box: Box;
  rotation: number;
}

/** Where a selection's handles are, in its frame's own unrotated terms. */
export function handlesOf(box: Box, scale: number): { resize: Point; rotate: Point } {
  return {
    resize: { x: box.x + box.w, y: box.y + box.h },
    rotate: { x: box.x + box.w / 2, y: box.y - ROTATE_HANDLE_OFFSET * scale },
  };
}

/**
 * The frame a selection is resized and turned in: a lone shape's own, turned with it; for
 * several, the box around them as drawn.
 */
export function selectionFrame(
  context: Pick<ToolContext, 'frameOf' | 'boundsOf'>,
  ids: ReadonlySet<string>,
): Frame | undefined {
  const [only] = ids;
  if (ids.size === 1 && only) return context.frameOf(only);
  const box = unionOf([...ids].map((id) => context.boundsOf(id)).filter((bounds) => bounds !== undefined));
  return box && { box, rotation: 0 };
}

/**
 * Select, move (snapping to what is in view while Ctrl or ⌘ is held, as in Excalidraw and
 * tldraw), resize from the corner handle, and turn from the handle above (in 15° steps with
 * Shift): one shape in its own turned frame, several together in the box around them.
 */
export function selectTool(): Tool {
  let mode: 'move' | 'resize' | 'rotate' | 'marquee' | undefined;
  let start = { x: 0, y: 0 };
  let originals = new Map<string, Shape>();
  /** The selection's frame, and each shape's own, when a resize or turn began. */
  let frame: Frame | undefined;
  let frames = new Map<string, Frame>();
  let snapping: { targets: SnapTargets; box: Box } | undefined;

  const write = (context: ToolContext, key: string, fieldsOf: (id: string, shape: Shape) => Record<string, unknown>) =>
    context.onFrame(key, () =>
      context.board.transact(() => {
        for (const [id, shape] of originals) context.board.update(id, fieldsOf(id, shape));
      }),
    );

  return {
    name: 'select',
    label: 'Select',
    shortcut: 'v',
    down(point, context, event) {
      context.board.undoManager.stopCapturing();
      start = { x: point.x, y: point.y };
      frame = selectionFrame(context, context.selection);
      const reach = HANDLE_REACH * context.scale;
      const local = frame && rotateAround(point, centerOf(frame.box), -frame.rotation);
      const handles = frame && handlesOf(frame.box, context.scale);
      const near = (handle: Point | undefined) =>
        local !== undefined && handle !== undefined && Math.hypot(local.x - handle.x, local.y - handle.y) < reach;
      if (near(handles?.resize)) {
        mode = 'resize';
      } else if (near(handles?.rotate)) {
        mode = 'rotate';
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
      frames = new Map(
        [...originals.keys()].map((id) => [id, context.frameOf(id)!]).filter(([, own]) => own) as Array<
          [string, Frame]
        >,
      );
      snapping = undefined;
      if (mode === 'move') {
        const moving = new Set(originals.keys());
        const box = unionOf([...moving].map((id) => context.boundsOf(id)).filter((bounds) => bounds !== undefined));
        if (box) snapping = { targets: new SnapTargets(context.snapTargets(moving)), box };
      }
    },
    move(point, context, event) {
      let dx = point.x - start.x;
      let dy = point.y - start.y;
      if (mode === 'move') {
        if (snapping && (event.ctrlKey || event.metaKey || context.alwaysSnap)) {
          const { box, targets } = snapping;
          const snap = targets.snap({ ...box, x: box.x + dx, y: box.y + dy }, 6 * context.scale);
          dx += snap.dx;
          dy += snap.dy;
          context.showGuides(snap.guides);
        } else {
          context.showGuides([]);
        }
        write(context, 'move', (_id, shape) => movedBy(shape, dx, dy));
      } else if (mode === 'resize' && frame) {
        const { box: from, rotation } = frame;
        // The pointer's travel in the frame's own terms; the handle is its bottom-right corner.
        const center = centerOf(from);
        const now = rotateAround(point, center, -rotation);
        const began = rotateAround(start, center, -rotation);
        const grown = {
          x: from.x,
          y: from.y,
          w: Math.max(1, from.w + now.x - began.x),
          h: Math.max(1, from.h + now.y - began.y),
        };
        const to = keepTopLeft(from, grown, rotation);
        write(context, 'resize', (_id, shape) => context.resizeFields(shape, from, to));
      } else if (mode === 'rotate' && frame) {
        const center = centerOf(frame.box);
        const angle = (p: Point) => Math.atan2(p.y - center.y, p.x - center.x);
        let turn = angle(point) - angle(start);
        if (event.shiftKey) turn = snapAngle(frame.rotation + turn) - frame.rotation;
        // Each shape turns on itself, and around the selection's centre when there are several.
        write(context, 'rotate', (id, shape) => {
          const own = frames.get(id);
          if (!own) return {};
          const from = centerOf(own.box);
          const to = rotateAround(from, center, turn);
          return { ...movedBy(shape, to.x - from.x, to.y - from.y), rotation: sanitizeRotation(own.rotation + turn) };
        });
      } else if (mode === 'marquee') {
        const box = { x: Math.min(start.x, point.x), y: Math.min(start.y, point.y), w: Math.abs(dx), h: Math.abs(dy) };
        context.onFrame('marquee', () => context.select(context.inBox(box)));
      }
    },
    up(_point, context) {
      mode = undefined;
      snapping = undefined;
      context.showGuides([]);
      context.board.undoManager.stopCapturing();
    },
  };
}
