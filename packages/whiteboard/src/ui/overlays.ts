import { html, nothing, svg } from 'lit';
import { centerOf } from '../model/rotation.js';
import type { Box } from '../model/shapes.js';
import type { Guide } from '../tools/snapping.js';
import { type Frame, handlesOf } from '../tools/select.js';
import type { RemoteUser } from './toolbar.js';

// What the board draws over its shapes, in board units under the view's transform: the
// selection, the others' pointers, and the box text is written in.

/**
 * Outlines around the selected shapes, turned with them, and the selection's handles on its
 * frame (a lone shape's own, or the box around several): resize at its far corner, turn above
 * its top edge.
 */
export function renderSelection(frames: readonly Frame[], selection: Frame | undefined, scale: number) {
  if (frames.length === 0) return nothing;
  const outline = (frame: Frame) =>
    svg`<rect class="selection" x=${frame.box.x} y=${frame.box.y} width=${frame.box.w} height=${frame.box.h}
      transform=${turn(frame.box, frame.rotation)}></rect>`;
  return svg`${frames.map(outline)}
    ${
      selection
        ? svg`${frames.length > 1 ? outline(selection) : nothing}
          <g transform=${turn(selection.box, selection.rotation)}>${renderHandles(selection.box, scale)}</g>`
        : nothing
    }`;
}

function renderHandles(box: Box, scale: number) {
  const size = 8 / scale;
  const { resize, rotate } = handlesOf(box, scale);
  return svg`<line class="selection" x1=${rotate.x} y1=${rotate.y} x2=${rotate.x} y2=${box.y}></line>
    <circle class="handle rotate-handle" cx=${rotate.x} cy=${rotate.y} r=${size / 2}></circle>
    <rect class="handle resize-handle" x=${resize.x - size / 2} y=${resize.y - size / 2} width=${size} height=${size}></rect>`;
}

function turn(box: Box, rotation: number): string {
  if (rotation === 0) return '';
  const center = centerOf(box);
  return `rotate(${(rotation * 180) / Math.PI} ${center.x} ${center.y})`;
}

/** The lines that show what a dragged selection lined up with. */
export function renderGuides(guides: readonly Guide[]) {
  return guides.map((guide) =>
    'x' in guide
      ? svg`<line class="guide" x1=${guide.x} y1=${guide.y1} x2=${guide.x} y2=${guide.y2}></line>`
      : svg`<line class="guide" x1=${guide.x1} y1=${guide.y} x2=${guide.x2} y2=${guide.y}></line>`,
  );
}

/**
 * The others' pointers: an arrow in each person's colour, with their name on a tag below and
 * to its right, where it covers little of what they point at. Drawn at screen size whatever
 * the zoom.
 */
export function renderCursors(users: readonly RemoteUser[], scale: number) {
  const size = 1 / scale;
  return users
    .filter((user) => user.pointer)
    .map(
      (user) => svg`<g class="cursor" transform="translate(${user.pointer!.x} ${user.pointer!.y}) scale(${size})">
        <path d="M0 0 L0 14 L4 10.5 L7 17 L9.5 16 L6.5 9.5 L11.5 9.5 Z" fill=${user.color} stroke="#fff" stroke-width="1"></path>
        <rect x="10" y="16" rx="3" width=${user.name.length * 7 + 10} height="15" fill=${user.color}></rect>
        <text x="14" y="27" fill="#fff">${user.name}</text>
      </g>`,
    );
}

/**
 * The box text is written in, at a place on the screen, holding `initial`: Enter starts a
 * new line; Escape, Ctrl+Enter or leaving the box ends it with what it holds.
 */
export function renderTextEditor(
  place: { left: number; top: number },
  initial: string,
  finish: (value: string) => void,
) {
  const lines = Math.max(2, initial.split('\n').length + 1);
  return html`<textarea
    class="text-input"
    aria-label="Text"
    title="Enter for a new line; Escape or Ctrl+Enter to finish"
    rows=${lines}
    style="left:${place.left}px;top:${place.top}px"
    .value=${initial}
    @keydown=${(event: KeyboardEvent) => {
      const done = event.key === 'Escape' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey));
      if (!done) return;
      event.preventDefault();
      finish((event.target as HTMLTextAreaElement).value);
    }}
    @blur=${(event: FocusEvent) => finish((event.target as HTMLTextAreaElement).value)}
  ></textarea>`;
}

/** While this view follows someone's, a frame in their colour says whose, with a way out. */
export function renderFollowing(user: RemoteUser, stop: () => void) {
  return html`<div class="following" style="--followed:${user.color}">
    <span>Following ${user.name}</span>
    <button type="button" @click=${stop}>Stop</button>
  </div>`;
}
