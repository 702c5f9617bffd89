// The room page `npm start` serves: the README's two elements, on the local server. The
// server's address, the room and the accounts come from the environment `npm start` sets
// (see vite.config.ts); `?user=bob` signs in as the second demo account.
import { XmppWhiteboard, stickyNoteShape, stickyNoteTool } from '@xsync/whiteboard';
import '@xsync/editor';

XmppWhiteboard.registerShape(stickyNoteShape);
XmppWhiteboard.registerTool(stickyNoteTool);

const env = import.meta.env;
const user = new URLSearchParams(location.search).get('user') === 'bob' ? 'bob' : 'alice';
const connection = {
  service: env.VITE_XSYNC_SERVICE as string,
  jid: `${user}@${env.VITE_XSYNC_DOMAIN as string}`,
  password: `${user}-password`,
  channel: env.VITE_XSYNC_CHANNEL as string,
  bots: env.VITE_XSYNC_BOT as string,
  'user-name': user === 'alice' ? 'Alice' : 'Bob',
};

function mount(tag: 'xmpp-whiteboard' | 'xmpp-editor', into: string, extra: Record<string, string> = {}): void {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries({ ...connection, ...extra })) element.setAttribute(name, value);
  document.getElementById(into)!.append(element);
}

document.getElementById('room')!.textContent = connection.channel;
document.getElementById('user')!.textContent = connection['user-name'];
mount('xmpp-whiteboard', 'board');
mount('xmpp-editor', 'notes', { 'line-numbers': '', wrap: '', placeholder: 'Meeting notes…' });
