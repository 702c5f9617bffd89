import { defineConfig } from 'vite';

// Workspace packages resolve to their TypeScript sources, so the demo needs no build step first.
export default defineConfig({
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  server: { host: '127.0.0.1', strictPort: true },
  envPrefix: 'VITE_XSYNC_',
});
