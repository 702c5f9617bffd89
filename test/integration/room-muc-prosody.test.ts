import { randomBytes } from 'node:crypto';
import { type ProsodyServer, startProsody } from '@xsync/servers';
import { afterAll, beforeAll } from 'vitest';
import { mucRoomSuite } from '../support/roomSuite.js';

let server: ProsodyServer;
beforeAll(async () => {
  server = await startProsody();
});
afterAll(() => server?.stop());

mucRoomSuite('Prosody 13', () => ({
  tcpUrl: server.tcpUrl,
  domain: server.domain,
  service: server.mucDomain,
  createAccount: async (prefix) => {
    const { username, password } = await server.createAccount(`${prefix}-${randomBytes(5).toString('hex')}`);
    return { username, password };
  },
}));
