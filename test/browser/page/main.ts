// Exposes the browser build of @xsync/core to tests driving this page.
import * as core from '@xsync/core';
import * as yjs from '@xsync/core/yjs';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { yCollab } from 'y-codemirror.next';
import * as yIndexeddb from 'y-indexeddb';
import * as Y from 'yjs';

declare global {
  interface Window {
    xsync: typeof core;
    Y: typeof Y;
    xsyncYjs: typeof yjs;
    yIndexeddb: typeof yIndexeddb;
    codemirror: { EditorState: typeof EditorState; EditorView: typeof EditorView; yCollab: typeof yCollab };
  }
}

window.xsync = core;
window.Y = Y;
window.xsyncYjs = yjs;
window.yIndexeddb = yIndexeddb;
window.codemirror = { EditorState, EditorView, yCollab };
document.body.dataset.ready = 'true';
