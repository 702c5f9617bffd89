// Registers <xmpp-editor> from its sources and exposes the core to tests driving this page.
import * as core from '@xsync/core';
import '@xsync/editor';

declare global {
  interface Window {
    xsyncCore: typeof core;
  }
}

window.xsyncCore = core;
document.body.dataset.ready = 'true';
