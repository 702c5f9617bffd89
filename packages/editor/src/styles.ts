import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    min-height: 12rem;
    border: var(--xsync-editor-border, 1px solid #d2d2d7);
    border-radius: var(--xsync-editor-radius, 8px);
    overflow: hidden;
    color: var(--xsync-editor-color, #1d1d1f);
    background: var(--xsync-editor-background, #fff);
    font: var(--xsync-editor-ui-font, 14px system-ui, sans-serif);
  }
  /* The layout lives inside, so a page that restyles the host (display: block) keeps it. */
  .frame {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: inherit;
  }
  [part='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
    padding: 0.375rem 0.5rem;
    border-bottom: var(--xsync-editor-border, 1px solid #d2d2d7);
    background: var(--xsync-editor-toolbar-background, #f6f6f7);
  }
  button,
  select {
    font: inherit;
    color: inherit;
    padding: 0.25rem 0.5rem;
    border: 1px solid #b0b0b5;
    border-radius: 6px;
    background: var(--xsync-editor-background, #fff);
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    background: var(--xsync-editor-accent, #0a5dc2);
    border-color: var(--xsync-editor-accent, #0a5dc2);
    color: #fff;
  }
  button:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--xsync-editor-accent, #0a5dc2);
    outline-offset: 1px;
  }
  .spacer {
    flex: 1;
  }
  [part='status'] {
    font-size: 0.85em;
    color: var(--xsync-editor-muted, #515154);
  }
  [part='role'] {
    font-size: 0.85em;
    font-weight: 600;
    color: var(--xsync-editor-muted, #515154);
  }
  [part='status'][data-state='offline'] {
    color: var(--xsync-editor-warning, #a33b00);
  }
  .panes {
    display: flex;
    flex: 1;
    min-height: 0;
  }
  [part='editor'] {
    flex: 1;
    min-width: 0;
    overflow: auto;
  }
  [part='preview'] {
    flex: 1;
    min-width: 0;
    overflow: auto;
    padding: 0 1rem;
    border-left: var(--xsync-editor-border, 1px solid #d2d2d7);
  }
  @media (max-width: 600px) {
    .panes {
      flex-direction: column;
    }
    [part='preview'] {
      border-left: none;
      border-top: var(--xsync-editor-border, 1px solid #d2d2d7);
    }
  }
  .naming {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }
  .naming .problem {
    color: var(--xsync-editor-warning, #a33b00);
    font-size: 0.85em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
