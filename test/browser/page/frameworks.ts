// Mounts <xmpp-whiteboard> and <xmpp-editor> from a React app and from a Vue app, the way an
// application using either framework would, for test/browser/frameworks.test.ts.
import '@xsync/editor';
import '@xsync/whiteboard';
import { createElement, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp, h, ref } from 'vue';

/** Connection attributes of one user in one room. */
interface Room {
  service: string;
  jid: string;
  password: string;
  room: string;
}

interface Seen {
  changes: number;
  status: string;
}

declare global {
  interface Window {
    mountReact(room: Room): void;
    mountVue(room: Room): void;
    seen: Record<'react' | 'vue', Seen>;
  }
}

window.seen = { react: { changes: 0, status: '' }, vue: { changes: 0, status: '' } };

window.mountReact = (room) => {
  function App() {
    const [status, setStatus] = useState('');
    window.seen.react.status = status;
    // React 19 passes attributes and properties to custom elements and maps on<event> props to listeners.
    return createElement(
      'div',
      null,
      createElement('xmpp-whiteboard', {
        ...room,
        'user-name': 'React user',
        onchange: () => window.seen.react.changes++,
        onstatus: (event: CustomEvent<{ state: string }>) => setStatus(event.detail.state),
      }),
      createElement('xmpp-editor', { ...room, doc: 'react-notes' }),
    );
  }
  createRoot(document.getElementById('react')!).render(createElement(App));
};

window.mountVue = (room) => {
  const app = createApp({
    setup() {
      const status = ref('');
      return () => {
        window.seen.vue.status = status.value;
        return h('div', [
          h('xmpp-whiteboard', {
            ...room,
            'user-name': 'Vue user',
            onChange: () => window.seen.vue.changes++,
            onStatus: (event: CustomEvent<{ state: string }>) => (status.value = event.detail.state),
          }),
          h('xmpp-editor', { ...room, doc: 'vue-notes' }),
        ]);
      };
    },
  });
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('xmpp-');
  app.mount('#vue');
};

document.body.dataset.ready = 'true';
