import { Connection } from '@xsync/core';
import { type EjabberdServer, startEjabberd } from '@xsync/servers';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { createAccount } from '../support/fixtures.js';
import { inspectableStore, loginSuite } from '../support/loginSuite.js';

loginSuite('ejabberd 24.12', () => ({ ...inject('server'), createAccount }));

describe('login on a server without SASL2', () => {
  let server: EjabberdServer;
  afterAll(() => server?.stop());

  it('[SES8] falls back to SASL, resource binding and stream management, and resumes', async () => {
    server = await startEjabberd({ sasl2: false });
    const account = await server.createAccount();
    const connection = await Connection.open({
      service: server.tcpUrl,
      domain: server.domain,
      ...account,
      tokens: inspectableStore(),
    });
    try {
      expect(connection.login).toMatchObject({ profile: 'sasl', mechanism: 'SCRAM-SHA-1', resumed: false });
      expect(connection.login!.exchanges).toEqual(['stream', 'auth', 'response', 'stream', 'bind', 'enable']);
      expect(connection.login!.roundTrips).toBe(5);
      // The session is up before <enabled/> arrives, which resumption needs.
      const sm = connection.xmpp.streamManagement as unknown as { enabled: boolean };
      await vi.waitFor(() => expect(sm.enabled).toBe(true));
      const resumed = new Promise<void>((resolve) => connection.once('resumed', resolve));
      (connection.xmpp.socket as unknown as { destroy(): void }).destroy();
      await resumed;
      expect(connection.login!.exchanges).toEqual(['stream', 'auth', 'response', 'stream', 'resume']);
    } finally {
      await connection.close();
    }
  });
});
