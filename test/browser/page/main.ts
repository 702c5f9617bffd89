// Exposes the browser build of @xsync/core to tests driving this page.
import * as core from '@xsync/core';
import * as Y from 'yjs';

declare global {
  interface Window {
    xsync: typeof core;
    Y: typeof Y;
  }
}

window.xsync = core;
window.Y = Y;
document.body.dataset.ready = 'true';
