import { XmppWhiteboard } from './XmppWhiteboard.js';

export { XmppWhiteboard, DOC_PREFIX } from './XmppWhiteboard.js';
export { Board, LOCAL_ORIGIN } from './model/Board.js';
export {
  type Shape,
  type StrokeShape,
  type LineShape,
  type BoxShape,
  type Box,
  MAX_COORDINATE,
  MAX_SIZE,
  MAX_POINTS,
  MAX_TEXT,
  MAX_INLINE_IMAGE,
  clampNumber,
  sanitizeColor,
  sanitizeText,
} from './model/shapes.js';
export {
  ShapeRegistry,
  type ShapeDefinition,
  shapeHit,
  svgElement,
  setAttributes,
  SVG_NS,
} from './render/ShapeRegistry.js';
export {
  type Point,
  distanceToSegment,
  inBox,
  inEllipse,
  nearBoxOutline,
  nearEllipseOutline,
  nearPolyline,
} from './model/geometry.js';
export { registerBuiltinShapes, strokePath } from './render/builtinShapes.js';
export { type Tool, type ToolContext, type BoardPoint, builtinTools } from './tools/tools.js';
export { exportSvg, exportStandaloneSvg, exportPng, boundsOf } from './export.js';
export { stickyNoteShape, stickyNoteTool, type StickyNote } from './plugins/stickyNote.js';

declare global {
  interface HTMLElementTagNameMap {
    'xmpp-whiteboard': XmppWhiteboard;
  }
}

if (!customElements.get('xmpp-whiteboard')) customElements.define('xmpp-whiteboard', XmppWhiteboard);
