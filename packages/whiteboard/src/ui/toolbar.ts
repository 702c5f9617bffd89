import type { SyncState } from '@xsync/core/yjs';
import { describeSyncState } from '@xsync/core/yjs';
import { html, nothing } from 'lit';
import type { Tool } from '../tools/tools.js';

/** Colours offered for the next shape and the selection. */
export const COLORS = ['#1d1d1f', '#b3261e', '#0a5dc2', '#1e7b34', '#c25e00', '#8e24aa'];
/** Line widths offered, in board units. */
export const WIDTHS = [1, 2, 4, 8, 16];

/** How the next shape (and a restyled selection) looks. */
export interface Style {
  color: string;
  width: number;
}

/** Someone else on the board, as their awareness tells. */
export interface RemoteUser {
  clientId: number;
  name: string;
  color: string;
  pointer: { x: number; y: number } | undefined;
  drawing: boolean;
}

/** What the toolbar shows. */
export interface ToolbarState {
  tools: readonly Tool[];
  tool: Tool;
  style: Style;
  readOnly: boolean;
  viewOnly: boolean;
  users: readonly RemoteUser[];
  status: SyncState;
  /** Clear was pressed and waits for its confirmation. */
  confirmingClear: boolean;
  /** The view's zoom: 1 is 100 %. */
  zoom: number;
}

/** What the toolbar's controls do. */
export interface ToolbarActions {
  chooseTool(name: string): void;
  restyle(style: Partial<Style>): void;
  undo(): void;
  redo(): void;
  zoomBy(factor: number): void;
  resetZoom(): void;
  zoomToFit(): void;
  download(kind: 'svg' | 'png'): void;
  askClear(): void;
  clear(): void;
  cancelClear(): void;
}

/**
 * The whiteboard's toolbar: tools, colours and widths (which restyle the selection too),
 * undo, zoom, export, clear (after a confirmation that says it is for everyone), who is here
 * and the sync state.
 */
export function renderToolbar(state: ToolbarState, actions: ToolbarActions) {
  const { style, readOnly } = state;
  return html`<div part="toolbar" role="toolbar" aria-label="Whiteboard tools">
      ${state.tools.map(
        (tool) =>
          html`<button
            type="button"
            aria-pressed=${state.tool === tool ? 'true' : 'false'}
            title="${tool.label} (${tool.shortcut.toUpperCase()})"
            ?disabled=${readOnly && tool.name !== 'select'}
            data-tool=${tool.name}
            @click=${() => actions.chooseTool(tool.name)}
          >
            ${tool.label}
          </button>`,
      )}
      <span class="separator"></span>
      ${COLORS.map(
        (color) =>
          html`<button
            type="button"
            class="swatch"
            style="background:${color}"
            aria-label="Colour ${color}"
            aria-pressed=${style.color === color ? 'true' : 'false'}
            @click=${() => actions.restyle({ color })}
          ></button>`,
      )}
      <label>
        <span class="visually-hidden">Width</span>
        <select
          aria-label="Width"
          @change=${(event: Event) => actions.restyle({ width: Number((event.target as HTMLSelectElement).value) })}
        >
          ${WIDTHS.map(
            (width) => html`<option .value=${String(width)} ?selected=${width === style.width}>${width} px</option>`,
          )}
        </select>
      </label>
      <span class="separator"></span>
      <button type="button" title="Undo (Ctrl+Z)" @click=${actions.undo}>Undo</button>
      <button type="button" title="Redo (Ctrl+Shift+Z)" @click=${actions.redo}>Redo</button>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out (Ctrl+wheel)"
        @click=${() => actions.zoomBy(1 / 1.25)}
      >
        −
      </button>
      <button type="button" class="zoom" title="Zoom: back to 100% (Shift+0)" @click=${actions.resetZoom}>
        ${Math.round(state.zoom * 100)}%
      </button>
      <button type="button" aria-label="Zoom in" title="Zoom in (Ctrl+wheel)" @click=${() => actions.zoomBy(1.25)}>
        +
      </button>
      <button type="button" title="Show everything (Shift+1)" @click=${actions.zoomToFit}>Fit</button>
      <button type="button" part="export" title="Save as SVG" @click=${() => actions.download('svg')}>SVG</button>
      <button type="button" part="export" title="Save as PNG" @click=${() => actions.download('png')}>PNG</button>
      <button type="button" ?disabled=${readOnly} aria-expanded=${state.confirmingClear} @click=${actions.askClear}>
        Clear
      </button>
      <span class="spacer"></span>
      <ul part="presence" aria-label="Who is here">
        ${state.users.map((user) => html`<li style="--dot:${user.color}">${user.name}${user.drawing ? ' ✎' : ''}</li>`)}
      </ul>
      ${state.viewOnly ? html`<span part="role">View only</span>` : nothing}
      <span part="status" role="status" data-state=${state.status.state}>${describeSyncState(state.status)}</span>
    </div>
    ${state.confirmingClear ? renderClearConfirmation(actions) : nothing}`;
}

/** Clearing takes everyone's shapes away: it asks first, and says it can be undone. */
function renderClearConfirmation(actions: ToolbarActions) {
  return html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-clear-text">
    <span id="confirm-clear-text">Clear the board for everyone? Undo brings it back.</span>
    <button type="button" class="danger" @click=${actions.clear}>Clear board</button>
    <button type="button" @click=${actions.cancelClear}>Cancel</button>
  </div>`;
}
