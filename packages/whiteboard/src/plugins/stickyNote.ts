import { MAX_SIZE, type Shape, clampNumber, sanitizeColor, sanitizeText } from '../model/shapes.js';
import { type ShapeDefinition, setAttributes, svgElement } from '../render/ShapeRegistry.js';
import type { Tool } from '../tools/tools.js';

/** A sticky note: a coloured square with a few lines of text. */
export interface StickyNote extends Shape {
  type: 'sticky-note';
  text: string;
  fill: string;
  size: number;
}

/**
 * An example plugin: a shape and a tool, registered from outside the package with
 * `XmppWhiteboard.registerShape(stickyNoteShape)` and `XmppWhiteboard.registerTool(stickyNoteTool)`.
 */
export const stickyNoteShape: ShapeDefinition<StickyNote> = {
  type: 'sticky-note',
  sanitize: (base, raw) => ({
    ...base,
    type: 'sticky-note',
    text: sanitizeText(raw.text, 280),
    fill: sanitizeColor(raw.fill, '#fff59d'),
    size: Math.max(40, Math.min(MAX_SIZE, clampNumber(raw.size, MAX_SIZE, 160))),
  }),
  render(note, existing) {
    const group = svgElement('g', existing);
    const square = (group.firstChild as SVGRectElement | null) ?? group.appendChild(svgElement('rect', undefined));
    setAttributes(square, {
      x: note.x,
      y: note.y,
      width: note.size,
      height: note.size,
      fill: note.fill,
      stroke: '#c9b700',
    });
    const label =
      (group.childNodes[1] as SVGTextElement | undefined) ?? group.appendChild(svgElement('text', undefined));
    setAttributes(label, {
      x: note.x + 10,
      y: note.y + 28,
      'font-size': 18,
      fill: note.color,
      'font-family': 'system-ui, sans-serif',
    });
    label.textContent = note.text;
    return group;
  },
  bounds: (note) => ({ x: note.x, y: note.y, w: note.size, h: note.size }),
  // A note stays square.
  resize: (note, from, to) => ({
    x: to.x + (note.x - from.x),
    y: to.y + (note.y - from.y),
    size: Math.max(40, Math.min(MAX_SIZE, Math.max(to.w, to.h))),
  }),
};

export const stickyNoteTool: Tool = {
  name: 'sticky-note',
  label: 'Sticky note',
  shortcut: 'n',
  down() {},
  move() {},
  up(point, context) {
    void context.askText(point).then((text) => {
      if (text === undefined) return;
      context.board.undoManager.stopCapturing();
      context.board.add({
        type: 'sticky-note',
        x: point.x,
        y: point.y,
        text,
        fill: '#fff59d',
        size: 160,
        color: '#1d1d1f',
        width: 1,
      });
    });
  },
};
