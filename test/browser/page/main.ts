// Exposes the browser build of @xsync/core to tests driving this page.
import * as core from '@xsync/core';
import * as yjs from '@xsync/core/yjs';
import * as Y from 'yjs';

declare global {
  interface Window {
    xsync: typeof core;
    Y: typeof Y;
    xsyncYjs: typeof yjs;
  }
}

window.xsync = core;
window.Y = Y;
window.xsyncYjs = yjs;
document.body.dataset.ready = 'true';
