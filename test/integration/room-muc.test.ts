import { inject } from 'vitest';
import { createAccount } from '../support/fixtures.js';
import { mucAccessSuite } from '../support/accessSuite.js';
import { mucRoomSuite } from '../support/roomSuite.js';

mucRoomSuite('ejabberd 24.12', () => {
  const { tcpUrl, domain, mucDomain } = inject('server');
  return { tcpUrl, domain, service: mucDomain, createAccount };
});

mucAccessSuite('ejabberd 24.12', () => {
  const { tcpUrl, domain, mucDomain } = inject('server');
  return { kind: 'ejabberd', tcpUrl, domain, service: mucDomain, createAccount };
});
