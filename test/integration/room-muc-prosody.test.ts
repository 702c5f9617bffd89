import { randomBytes } from 'node:crypto';
import { type ProsodyServer, startProsody } from '@xsync/servers';
import { afterAll, beforeAll } from 'vitest';
import { mucAccessSuite } from '../support/accessSuite.js';
import { mucRoomSuite } from '../support/roomSuite.js';

let server: ProsodyServer;
beforeAll(async () => {
  server = await startProsody();
});
afterAll(() => server?.stop());

const prosodyTarget = () => ({
  kind: 'prosody' as const,
  tcpUrl: server.tcpUrl,
  domain: server.domain,
  service: server.mucDomain,
  createAccount: async (prefix: string) => {
    const { username, password } = await server.createAccount(`${prefix}-${randomBytes(5).toString('hex')}`);
    return { username, password };
  },
});

mucRoomSuite('Prosody 13', prosodyTarget);
mucAccessSuite('Prosody 13', prosodyTarget);
