import { html, nothing, svg } from 'lit';
import type { Box } from '../model/shapes.js';
import type { RemoteUser } from './toolbar.js';

// What the board draws over its shapes, in board units under the view's transform: the
// selection, the others' pointers, and the box text is written in.

/** Outlines around the selected shapes' bounds, and the resize handle of a lone one. */
export function renderSelection(boxes: readonly Box[], scale: number) {
  if (boxes.length === 0) return nothing;
  const handle = 8 / scale;
  const [only] = boxes;
  return svg`${boxes.map((box) => svg`<rect class="selection" x=${box.x} y=${box.y} width=${box.w} height=${box.h}></rect>`)}
    ${
      boxes.length === 1 && only
        ? svg`<rect class="handle" x=${only.x + only.w - handle / 2} y=${only.y + only.h - handle / 2}
            width=${handle} height=${handle}></rect>`
        : nothing
    }`;
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
