import { type XmppServer, startEjabberd, startProsody } from '@xsync/servers';
import type { TestProject } from 'vitest/node';

/**
 * Where integration tests find the shared server; each test file makes its own accounts and
 * rooms. The `integration` project runs them on ejabberd with MIX channels, the
 * `integration-prosody` project on Prosody with MUC rooms.
 */
export interface ServerInfo {
  kind: 'ejabberd' | 'prosody';
  domain: string;
  /** Service of the rooms tests make by default: MIX on ejabberd, MUC on Prosody. */
  roomService: string;
  /** The MIX service (ejabberd only). */
  mixDomain: string | undefined;
  mucDomain: string;
  tcpUrl: string;
  wsUrl: string;
  /** ejabberd's HTTP API, for accounts (ejabberd only). */
  apiUrl: string | undefined;
  /** Prosody's admin socket, for accounts (Prosody only). */
  adminSocket: string | undefined;
}

declare module 'vitest' {
  export interface ProvidedContext {
    server: ServerInfo;
  }
}

let server: XmppServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (project.name === 'integration-prosody') {
    const prosody = await startProsody();
    server = prosody;
    const { domain, mucDomain, tcpUrl, wsUrl, adminSocket } = prosody;
    project.provide('server', {
      kind: 'prosody',
      domain,
      roomService: mucDomain,
      mixDomain: undefined,
      mucDomain,
      tcpUrl,
      wsUrl,
      apiUrl: undefined,
      adminSocket,
    });
    return;
  }
  const ejabberd = await startEjabberd();
  server = ejabberd;
  const { domain, mixDomain, mucDomain, tcpUrl, wsUrl, apiUrl } = ejabberd;
  project.provide('server', {
    kind: 'ejabberd',
    domain,
    roomService: mixDomain,
    mixDomain,
    mucDomain,
    tcpUrl,
    wsUrl,
    apiUrl,
    adminSocket: undefined,
  });
}

export async function teardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}
