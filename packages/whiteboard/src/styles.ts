import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    position: relative;
    /* The layout follows the board's own width, not the page's. */
    container-type: inline-size;
    min-height: 16rem;
    border: var(--xsync-whiteboard-border, 1px solid #d2d2d7);
    border-radius: var(--xsync-whiteboard-radius, 8px);
    overflow: hidden;
    color: var(--xsync-whiteboard-color, #1d1d1f);
    background: var(--xsync-whiteboard-background, #fff);
    font: var(--xsync-whiteboard-ui-font, 14px system-ui, sans-serif);
  }
  /* The layout lives inside, so a page that restyles the host (display: block) keeps it. */
  .frame {
    display: flex;
    flex-direction: column;
    height: 100%;
  }
  [part='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    align-items: center;
    padding: 0.375rem 0.5rem;
    border-bottom: var(--xsync-whiteboard-border, 1px solid #d2d2d7);
    background: var(--xsync-whiteboard-toolbar-background, #f6f6f7);
  }
  button,
  select {
    font: inherit;
    color: inherit;
    min-height: 2rem;
    padding: 0.25rem 0.5rem;
    border: 1px solid #b0b0b5;
    border-radius: 6px;
    background: var(--xsync-whiteboard-background, #fff);
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    background: var(--xsync-whiteboard-accent, #0a5dc2);
    border-color: var(--xsync-whiteboard-accent, #0a5dc2);
    color: #fff;
  }
  button:focus-visible,
  select:focus-visible,
  svg:focus-visible {
    outline: 2px solid var(--xsync-whiteboard-accent, #0a5dc2);
    outline-offset: 1px;
  }
  /* The toolbar keeps its height whatever the status says and however many people are here,
     so the canvas never moves under a pen: one row on a wide board, where the list of people
     gives way first; on a narrower one the controls take a row and the people and status the
     next; on a phone-sized one the controls' row scrolls sideways. */
  [part='toolbar'] {
    flex-wrap: nowrap;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    flex-shrink: 0;
    align-items: center;
    gap: 0.25rem;
  }
  /* As tall as the follow buttons that appear with others, whoever is here. */
  [part='presence'] {
    flex: 0 1 auto;
    min-width: 0;
    min-height: 1.5rem;
    overflow: hidden;
    white-space: nowrap;
  }
  [part='status'],
  [part='role'] {
    flex-shrink: 0;
    white-space: nowrap;
  }
  @container (max-width: 62rem) {
    [part='toolbar'] {
      flex-wrap: wrap;
    }
    .controls {
      flex: 1 0 100%;
    }
    [part='status'] {
      margin-left: auto;
    }
  }
  @container (max-width: 40rem) {
    .controls {
      flex-wrap: nowrap;
      overflow-x: auto;
      scrollbar-width: thin;
    }
    .controls .group {
      flex-wrap: nowrap;
    }
  }
  /* Groups of controls; between them, a thin rule. */
  .group {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.2rem;
    padding-right: 0.35rem;
    margin-right: 0.15rem;
    border-right: 1px solid #d2d2d7;
  }
  .icon-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: 2rem;
    padding: 0.25rem;
  }
  .icon {
    display: block;
  }
  .swatch {
    width: 1.75rem;
    min-height: 1.75rem;
    padding: 0;
    border-radius: 50%;
  }
  .swatch[aria-pressed='true'] {
    outline: 2px solid var(--xsync-whiteboard-accent, #0a5dc2);
    outline-offset: 1px;
  }
  .separator {
    width: 1px;
    align-self: stretch;
    background: #d2d2d7;
    margin: 0 0.25rem;
  }
  .spacer {
    flex: 1;
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    padding: 0.4rem 0.6rem;
    border-bottom: var(--xsync-whiteboard-border, 1px solid #d2d2d7);
    background: #fff4e5;
    font-size: 0.9em;
  }
  .confirm .danger {
    border-color: var(--xsync-whiteboard-warning, #a33b00);
    color: var(--xsync-whiteboard-warning, #a33b00);
    font-weight: 600;
  }
  [part='status'],
  [part='presence'] {
    font-size: 0.85em;
    color: var(--xsync-whiteboard-muted, #515154);
  }
  [part='status'] {
    margin-left: 0.5rem;
  }
  [part='role'] {
    font-size: 0.85em;
    font-weight: 600;
    color: var(--xsync-whiteboard-muted, #515154);
  }
  [part='status'][data-state='offline'] {
    color: var(--xsync-whiteboard-warning, #a33b00);
  }
  [part='presence'] {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .person {
    min-height: auto;
    padding: 0 0.2rem;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    text-decoration: underline dotted;
  }
  [part='presence'] li {
    display: flex;
    align-items: center;
  }
  [part='presence'] li::before {
    content: '';
    display: inline-block;
    width: 0.6rem;
    height: 0.6rem;
    margin-right: 0.25rem;
    border-radius: 50%;
    background: var(--dot);
  }
  .surface {
    position: relative;
    flex: 1;
    min-height: 12rem;
    overflow: hidden;
    background: var(--xsync-whiteboard-canvas, #fff);
  }
  .empty-hint {
    position: absolute;
    inset: 40% 1rem auto;
    margin: 0;
    text-align: center;
    color: var(--xsync-whiteboard-muted, #515154);
    pointer-events: none;
  }
  /* A click focuses the canvas for its shortcuts; only keyboard focus shows a ring. */
  svg[part='canvas']:focus:not(:focus-visible) {
    outline: none;
  }
  .zoom {
    min-width: 3.5em;
    font-variant-numeric: tabular-nums;
  }
  /* Shapes sit in a layer of their own that panning and zooming only move: the browser
     composites it instead of repainting thousands of paths each frame. */
  .layer {
    position: absolute;
    left: 0;
    top: 0;
    width: 1px;
    height: 1px;
    overflow: visible;
    transform-origin: 0 0;
    will-change: transform;
    pointer-events: none;
  }
  [part='canvas'] {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    touch-action: none;
    user-select: none;
    cursor: crosshair;
  }
  [part='canvas'][data-tool='select'] {
    cursor: default;
  }
  [part='canvas'][data-panning] {
    cursor: grabbing;
  }
  .selection {
    fill: none;
    stroke: var(--xsync-whiteboard-accent, #0a5dc2);
    stroke-dasharray: 4 3;
    vector-effect: non-scaling-stroke;
    pointer-events: none;
  }
  .handle {
    fill: #fff;
    stroke: var(--xsync-whiteboard-accent, #0a5dc2);
    vector-effect: non-scaling-stroke;
  }
  .cursor {
    pointer-events: none;
  }
  .cursor text {
    font-size: 12px;
    font-family: system-ui, sans-serif;
  }
  .guide {
    stroke: var(--xsync-whiteboard-guide, #e03131);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
    pointer-events: none;
  }
  .rotate-handle {
    cursor: grab;
  }
  /* The properties panel floats over the board's right edge, as tldraw's style panel does;
     on a narrow board it is a strip along the bottom that scrolls sideways. */
  .properties {
    position: absolute;
    z-index: 1;
    top: 0.5rem;
    right: 0.5rem;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    max-height: calc(100% - 1rem);
    overflow: auto;
    padding: 0.5rem;
    border: var(--xsync-whiteboard-border, 1px solid #d2d2d7);
    border-radius: 8px;
    background: var(--xsync-whiteboard-background, #fff);
    box-shadow: 0 1px 4px rgb(0 0 0 / 12%);
    font-size: 0.85em;
  }
  .properties-fold {
    position: absolute;
    top: 0.25rem;
    right: 0.25rem;
    border: 0;
    background: none;
  }
  .properties-open {
    position: absolute;
    z-index: 1;
    top: 0.5rem;
    right: 0.5rem;
    box-shadow: 0 1px 4px rgb(0 0 0 / 12%);
  }
  .properties fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: 0.2rem;
    max-width: 12rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .properties legend {
    padding: 0 0 0.2rem;
    color: var(--xsync-whiteboard-muted, #515154);
  }
  .properties button {
    min-height: 1.6rem;
    min-width: 1.6rem;
    padding: 0.1rem 0.3rem;
  }
  .properties .swatch {
    width: 1.5rem;
    min-width: 1.5rem;
    min-height: 1.5rem;
    padding: 0;
  }
  .properties input[type='color'] {
    width: 1.5rem;
    height: 1.5rem;
    padding: 0;
    border: 1px solid #b0b0b5;
    border-radius: 50%;
    background: none;
  }
  .opacity {
    display: flex;
    flex-direction: column;
    color: var(--xsync-whiteboard-muted, #515154);
  }
  .sample {
    display: block;
  }
  .no-fill {
    display: block;
    width: 100%;
    height: 100%;
    border-radius: 50%;
    background: linear-gradient(135deg, transparent 45%, #b3261e 45% 55%, transparent 55%);
  }
  @container (max-width: 40rem) {
    .properties {
      top: auto;
      bottom: 0.5rem;
      left: 0.5rem;
      padding-right: 2.25rem;
      flex-direction: row;
      max-height: none;
      overflow-x: auto;
    }
    .properties fieldset {
      flex-wrap: nowrap;
      max-width: none;
    }
  }
  .following {
    position: absolute;
    inset: 0;
    z-index: 1;
    border: 3px solid var(--followed);
    pointer-events: none;
  }
  .following span,
  .following button {
    pointer-events: auto;
  }
  .following span {
    position: absolute;
    top: 0;
    left: 50%;
    transform: translateX(-50%);
    padding: 0.1rem 0.5rem;
    border-radius: 0 0 6px 6px;
    background: var(--followed);
    color: #fff;
    font-size: 0.85em;
  }
  .following button {
    position: absolute;
    top: 0.25rem;
    right: 0.25rem;
    min-height: 1.5rem;
    padding: 0 0.4rem;
  }
  .follow {
    min-height: 1.5rem;
    min-width: 1.5rem;
    padding: 0.1rem;
    border: 0;
    background: none;
  }
  .follow .icon {
    width: 14px;
    height: 14px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
  .text-input {
    position: absolute;
    font:
      20px system-ui,
      sans-serif;
    padding: 0.125rem 0.25rem;
    border: 1px solid var(--xsync-whiteboard-accent, #0a5dc2);
    border-radius: 4px;
    min-width: 12rem;
    resize: none;
    line-height: 1.25;
  }
`;
