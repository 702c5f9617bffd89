import type { IconNode } from 'lucide';
import {
  AlignCenterHorizontal,
  AlignCenterVertical,
  AlignEndHorizontal,
  AlignEndVertical,
  AlignHorizontalSpaceBetween,
  AlignStartHorizontal,
  AlignStartVertical,
  AlignVerticalSpaceBetween,
  BringToFront,
  Circle,
  Copy,
  Eye,
  Eraser,
  FileDown,
  Highlighter,
  ImageDown,
  Minus,
  MousePointer2,
  MoveUpRight,
  Palette,
  Pencil,
  Redo2,
  Scan,
  SendToBack,
  Square,
  StickyNote,
  Trash2,
  Type,
  Undo2,
  ZoomIn,
  ZoomOut,
} from 'lucide';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

export type { IconNode };

/** The toolbar's icons, from Lucide (ISC licence), by what they stand for. */
export const ICONS = {
  select: MousePointer2,
  pen: Pencil,
  highlighter: Highlighter,
  eraser: Eraser,
  line: Minus,
  arrow: MoveUpRight,
  rect: Square,
  ellipse: Circle,
  text: Type,
  'sticky-note': StickyNote,
  undo: Undo2,
  redo: Redo2,
  zoomIn: ZoomIn,
  zoomOut: ZoomOut,
  fit: Scan,
  svg: FileDown,
  png: ImageDown,
  clear: Trash2,
  delete: Trash2,
  duplicate: Copy,
  front: BringToFront,
  back: SendToBack,
  follow: Eye,
  style: Palette,
  'align-left': AlignStartVertical,
  'align-center': AlignCenterVertical,
  'align-right': AlignEndVertical,
  'align-top': AlignStartHorizontal,
  'align-middle': AlignCenterHorizontal,
  'align-bottom': AlignEndHorizontal,
  'distribute-x': AlignHorizontalSpaceBetween,
  'distribute-y': AlignVerticalSpaceBetween,
  collapse: Minus,
} satisfies Record<string, IconNode>;

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const markup = new WeakMap<IconNode, string>();

/**
 * An icon as inline SVG that takes the text colour. Its markup comes from the icon set, never
 * from the network, and is made once per icon, so re-rendering a toolbar leaves icons alone.
 */
export function icon(node: IconNode) {
  let text = markup.get(node);
  if (text === undefined) {
    const children = node
      .map(
        ([tag, attributes]) =>
          `<${tag} ${Object.entries(attributes)
            .map(([name, value]) => `${name}="${escape(String(value))}"`)
            .join(' ')}/>`,
      )
      .join('');
    text = `<svg class="icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${children}</svg>`;
    markup.set(node, text);
  }
  return unsafeHTML(text);
}
