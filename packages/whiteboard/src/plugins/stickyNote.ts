import { MAX_SIZE, type Shape, clampNumber, sanitizeColor, sanitizeText } from '../model/shapes.js';
import { type ShapeDefinition, setAttributes, svgElement } from '../render/ShapeRegistry.js';
import type { Tool } from '../tools/tools.js';
import { charsThatFit, fitLines, wrapText } from '../model/wrap.js';
import { ICONS } from '../ui/icons.js';

/** A sticky note: a coloured square with a few lines of text. */
export interface StickyNote extends Shape {
  type: 'sticky-note';
  text: string;
  fill: string;
  size: number;
  /** Font size of its text, in board units. */
  fontSize: number;
}

/**
 * An example plugin: a shape and a tool, registered from outside the package with
 * `XmppWhiteboard.registerShape(stickyNoteShape)` and `XmppWhiteboard.registerTool(stickyNoteTool)`.
 */
/** Inner margin of a note's text, in board units. */
const NOTE_PADDING = 10;

export const stickyNoteShape: ShapeDefinition<StickyNote> = {
  type: 'sticky-note',
  sanitize: (base, raw) => ({
    ...base,
    type: 'sticky-note',
    text: sanitizeText(raw.text, 280),
    fill: sanitizeColor(raw.fill, '#fff59d'),
    size: Math.max(40, Math.min(MAX_SIZE, clampNumber(raw.size, MAX_SIZE, 160))),
    fontSize: Math.max(6, Math.min(400, clampNumber(raw.fontSize, 400, 18))),
  }),
  styles: { fill: 'fill', fontSize: 'fontSize' },
  render(note, existing) {
    const font = note.fontSize;
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
      x: note.x + NOTE_PADDING,
      y: note.y + NOTE_PADDING,
      'font-size': font,
      fill: note.color,
      'font-family': 'system-ui, sans-serif',
    });
    // The text wraps inside the note, and what does not fit ends in an ellipsis.
    const inner = note.size - 2 * NOTE_PADDING;
    const chars = charsThatFit(inner, font);
    const lines = fitLines(wrapText(note.text, chars), inner / (font * 1.25), chars);
    label.replaceChildren(
      ...lines.map((line, i) => {
        const span = svgElement('tspan', undefined);
        setAttributes(span, { x: note.x + NOTE_PADDING, dy: i === 0 ? font : font * 1.25 });
        span.textContent = line;
        return span;
      }),
    );
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
  icon: ICONS['sticky-note'],
  styles: ['fill', 'fontSize', 'opacity'],
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
        fill: context.style.fill === 'none' ? '#fff59d' : context.style.fill,
        size: 160,
        fontSize: context.style.fontSize,
        color: '#1d1d1f',
        width: 1,
        opacity: context.style.opacity,
      });
    });
  },
};
