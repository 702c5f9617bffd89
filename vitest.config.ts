import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "source" export condition.
const resolve = { conditions: ['source', 'module', 'node', 'default'] };

// Integration tests wait for what other clients and servers do: a poll waits as long as an
// update takes to travel on a busy machine, not vitest's default second.
const poll = { timeout: 10_000, interval: 50 };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: resolve.conditions, externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll },
        },
      },
      {
        // The suite again on Prosody 13, whose rooms are MUC rooms, without the files that are
        // about one server (they start their own, or check ejabberd itself).
        extends: true,
        test: {
          name: 'integration-prosody',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          exclude: [
            'test/integration/{ejabberd,postgres,nesting,login,login-prosody,prosody,npm-start,readme-commands,manifests,room-mix,room-muc,room-muc-prosody,room-rate-limit,yjs-server-restart,integrity,lifetime,plugin-example}.test.ts',
            'test/browser/demo-build.test.ts',
          ],
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll },
        },
      },
    ],
  },
});
