#!/usr/bin/env node
// npm links this file when it installs the workspace, before the TypeScript build exists, so
// the command is on the path of a fresh clone as soon as `npm start` or `npm test` has built.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/ejabberd/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'xsync-ejabberd is not built yet: run `npm run build` in the xsync checkout (npm start and npm test build it too).',
  );
  process.exit(1);
}
await import(cli.href);
