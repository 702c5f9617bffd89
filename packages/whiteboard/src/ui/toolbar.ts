import type { SyncState } from '@xsync/core/yjs';
import { describeSyncState } from '@xsync/core/yjs';
import { html, nothing } from 'lit';
import type { Box } from '../model/shapes.js';
import type { Tool } from '../tools/tools.js';
import { ICONS, type IconNode, icon } from './icons.js';

/** Someone else on the board, as their awareness tells. */
export interface RemoteUser {
  clientId: number;
  name: string;
  color: string;
  pointer: { x: number; y: number } | undefined;
  /** The part of the board they see, in board units. */
  view: Box | undefined;
  drawing: boolean;
}

/** What the toolbar shows. */
export interface ToolbarState {
  tools: readonly Tool[];
  tool: Tool;
  readOnly: boolean;
  viewOnly: boolean;
  users: readonly RemoteUser[];
  status: SyncState;
  /** Clear was pressed and waits for its confirmation. */
  confirmingClear: boolean;
  /** The view's zoom: 1 is 100 %. */
  zoom: number;
  /** Whose view this one follows. */
  following: number | undefined;
}

/** What the toolbar's controls do. */
export interface ToolbarActions {
  chooseTool(name: string): void;
  undo(): void;
  redo(): void;
  zoomBy(factor: number): void;
  resetZoom(): void;
  /** Brings the view to another person's pointer. */
  goTo(clientId: number): void;
  /** Follows another person's view as it moves, or stops following (`undefined`). */
  follow(clientId: number | undefined): void;
  zoomToFit(): void;
  download(kind: 'svg' | 'png'): void;
  askClear(): void;
  clear(): void;
  cancelClear(): void;
}

/**
 * The whiteboard's toolbar, one row on a laptop: tools, undo, zoom, export, clear (after a
 * confirmation that says it is for everyone), who is here (go to or follow each) and the
 * state of this user's work.
 */
export function renderToolbar(state: ToolbarState, actions: ToolbarActions) {
  const { readOnly } = state;
  return html`<div part="toolbar" role="toolbar" aria-label="Whiteboard tools">
      <div class="controls">
        <div class="group" role="group" aria-label="Tools">
          ${state.tools.map(
            (tool) =>
              html`<button
                type="button"
                class=${tool.icon ? 'icon-button' : ''}
                aria-pressed=${state.tool === tool ? 'true' : 'false'}
                title="${tool.label} (${tool.shortcut.toUpperCase()})"
                ?disabled=${readOnly && tool.name !== 'select'}
                data-tool=${tool.name}
                @click=${() => actions.chooseTool(tool.name)}
              >
                ${labelled(tool.icon, tool.label)}
              </button>`,
          )}
        </div>
        <div class="group" role="group" aria-label="History and view">
          ${iconButton(ICONS.undo, 'Undo', 'Undo (Ctrl+Z)', actions.undo)}
          ${iconButton(ICONS.redo, 'Redo', 'Redo (Ctrl+Shift+Z)', actions.redo)}
          ${iconButton(ICONS.zoomOut, 'Zoom out', 'Zoom out (Ctrl+wheel)', () => actions.zoomBy(1 / 1.25))}
          <button type="button" class="zoom" title="Zoom: back to 100% (Shift+0)" @click=${actions.resetZoom}>
            ${Math.round(state.zoom * 100)}%
          </button>
          ${iconButton(ICONS.zoomIn, 'Zoom in', 'Zoom in (Ctrl+wheel)', () => actions.zoomBy(1.25))}
          ${iconButton(ICONS.fit, 'Fit', 'Show everything (Shift+1)', actions.zoomToFit)}
        </div>
        <div class="group" role="group" aria-label="Board">
          ${iconButton(ICONS.svg, 'SVG', 'Save as SVG', () => actions.download('svg'), 'export')}
          ${iconButton(ICONS.png, 'PNG', 'Save as PNG', () => actions.download('png'), 'export')}
          <button
            type="button"
            class="icon-button"
            title="Clear the board for everyone"
            ?disabled=${readOnly}
            aria-expanded=${state.confirmingClear}
            @click=${actions.askClear}
          >
            ${labelled(ICONS.clear, 'Clear')}
          </button>
        </div>
      </div>
      <span class="spacer"></span>
      <ul part="presence" aria-label="Who is here">
        ${state.users.map((user) => renderPerson(user, state.following === user.clientId, actions))}
      </ul>
      ${state.viewOnly ? html`<span part="role">View only</span>` : nothing}
      <span part="status" role="status" data-state=${state.status.state}>${describeSyncState(state.status)}</span>
    </div>
    ${state.confirmingClear ? renderClearConfirmation(actions) : nothing}`;
}

/** A person who is here: their name goes to where they are; the eye follows their view. */
function renderPerson(user: RemoteUser, following: boolean, actions: ToolbarActions) {
  const mark = user.drawing ? ' ✎' : '';
  return html`<li style="--dot:${user.color}">
    ${
      user.pointer
        ? html`<button
            type="button"
            class="person"
            title="Go to where ${user.name} is"
            @click=${() => actions.goTo(user.clientId)}
          >
            ${user.name}${mark}
          </button>`
        : html`${user.name}${mark}`
    }
    ${
      user.view
        ? html`<button
            type="button"
            class="icon-button follow"
            aria-pressed=${following ? 'true' : 'false'}
            aria-label="Follow ${user.name}"
            title=${following ? `Stop following ${user.name}` : `Follow ${user.name}'s view`}
            @click=${() => actions.follow(following ? undefined : user.clientId)}
          >
            ${icon(ICONS.follow)}
          </button>`
        : nothing
    }
  </li>`;
}

/** An icon with its words for screen readers (and for `hasText` in tests), or the words alone. */
function labelled(node: IconNode | undefined, label: string) {
  return node ? html`${icon(node)}<span class="visually-hidden">${label}</span>` : label;
}

function iconButton(node: IconNode, label: string, title: string, onClick: () => void, part?: string) {
  return html`<button type="button" class="icon-button" part=${part ?? nothing} title=${title} @click=${onClick}>
    ${labelled(node, label)}
  </button>`;
}

/** Clearing takes everyone's shapes away: it asks first, and says it can be undone. */
function renderClearConfirmation(actions: ToolbarActions) {
  return html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-clear-text">
    <span id="confirm-clear-text">Clear the board for everyone? Undo brings it back.</span>
    <button type="button" class="danger" @click=${actions.clear}>Clear board</button>
    <button type="button" @click=${actions.cancelClear}>Cancel</button>
  </div>`;
}
