import type { DomState } from '@xsync/core';
import type * as Y from 'yjs';
import type { RoomState } from './RoomState.js';
import { documentToJson, typedRoots } from './sharedTypes.js';

/** Output formats of {@link exportDocument}. */
export type ExportFormat = 'json' | 'text' | 'xml' | 'svg';

/** What to export: a document by event type and name, in a format. */
export interface ExportRequest {
  /** Event type name. Default: the first of yjs-update, json-patch, dom-ops, channel-info the channel has for `doc`. */
  type?: string;
  doc?: string;
  format: ExportFormat;
  /** Root type of a Yjs document, for `text`, `xml` and `svg`. Default: the first that fits. */
  root?: string;
}

const DEFAULT_TYPES = ['yjs-update', 'json-patch', 'dom-ops', 'channel-info'];

/** Renders one document of a channel state as text in the requested format. Throws if it does not fit. */
export function exportDocument(state: RoomState, request: ExportRequest): string {
  const typeName = request.type ?? DEFAULT_TYPES.find((name) => state.replica(name, request.doc));
  const replica = typeName === undefined ? undefined : state.replica(typeName, request.doc);
  if (!replica) throw new Error(`no document ${request.doc ?? '(default)'}${typeName ? ` of type ${typeName}` : ''}`);
  const { format } = request;
  switch (typeName) {
    case 'yjs-update':
      return exportYjs(replica.state as Y.Doc, format, request.root);
    case 'dom-ops': {
      if (format === 'json') return `${JSON.stringify((replica.state as DomState).toSpec(), null, 2)}\n`;
      const markup = (replica.state as DomState).toString();
      if (format === 'svg' && !/^<svg[\s>]/.test(markup)) throw new Error('this DOM document is not an SVG drawing');
      return `${markup}\n`;
    }
    default:
      if (format !== 'json') throw new Error(`${typeName} documents export as json only`);
      return `${JSON.stringify(replica.state, null, 2)}\n`;
  }
}

function exportYjs(doc: Y.Doc, format: ExportFormat, rootName: string | undefined): string {
  if (format === 'json') return `${JSON.stringify(documentToJson(doc), null, 2)}\n`;
  const roots = [...typedRoots(doc)].filter(([name]) => rootName === undefined || name === rootName);
  const wanted = format === 'text' ? 'text' : 'xml';
  const root = roots.find(([, { kind }]) => kind === wanted);
  if (!root) throw new Error(`no ${wanted} root${rootName ? ` named ${rootName}` : ''} in this Yjs document`);
  const text = root[1].type.toString();
  if (format === 'svg' && !/^<svg[\s>]/.test(text)) throw new Error(`root ${root[0]} does not hold an SVG drawing`);
  return format === 'text' ? text : `${text}\n`;
}
