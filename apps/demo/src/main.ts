// The demo `npm start` serves: a join screen and rooms with <xmpp-whiteboard> and
// <xmpp-editor> side by side. The server it connects to comes from the build's environment
// (see settings.ts), or from the visitor.
import { XmppWhiteboard, stickyNoteShape, stickyNoteTool } from '@xsync/whiteboard';
import '@xsync/editor';
import './app/DemoApp.js';

XmppWhiteboard.registerShape(stickyNoteShape);
XmppWhiteboard.registerTool(stickyNoteTool);
