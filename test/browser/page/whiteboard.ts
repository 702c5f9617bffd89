// Registers <xmpp-whiteboard> from its sources, with the example sticky-note plugin, as a page would.
import { XmppWhiteboard, stickyNoteShape, stickyNoteTool } from '@xsync/whiteboard';

XmppWhiteboard.registerShape(stickyNoteShape);
XmppWhiteboard.registerTool(stickyNoteTool);
document.body.dataset.ready = 'true';
