import { inject } from 'vitest';
import { createAccount } from '../support/fixtures.js';
import { mucRoomSuite } from '../support/roomSuite.js';

mucRoomSuite('ejabberd 24.12', () => {
  const { tcpUrl, domain, mucDomain } = inject('server');
  return { tcpUrl, domain, service: mucDomain, createAccount };
});
