import { defineConfig } from 'vite';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, so the demo needs no build step first.
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  // Relative asset URLs: the built demo works from any path of any static web server.
  base: './',
  server: { host: '127.0.0.1', strictPort: true },
  preview: { host: '127.0.0.1', strictPort: true },
  envPrefix: 'VITE_XSYNC_',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});
