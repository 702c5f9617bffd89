import { randomBytes } from 'node:crypto';
import { type ProsodyServer, startProsody } from '@xsync/servers';
import { afterAll, beforeAll } from 'vitest';
import { loginSuite } from '../support/loginSuite.js';

let server: ProsodyServer;
beforeAll(async () => {
  server = await startProsody();
});
afterAll(() => server?.stop());

loginSuite('Prosody 13', () => ({
  tcpUrl: server.tcpUrl,
  wsUrl: server.wsUrl,
  domain: server.domain,
  createAccount: async (prefix) => {
    const { username, password } = await server.createAccount(`${prefix}-${randomBytes(5).toString('hex')}`);
    return { username, password };
  },
}));
