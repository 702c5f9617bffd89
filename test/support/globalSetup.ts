import { type EjabberdServer, startEjabberd } from '@xsync/servers';
import type { TestProject } from 'vitest/node';

/** Where integration tests find the shared server; each test file makes its own accounts and channels. */
export interface ServerInfo {
  domain: string;
  mixDomain: string;
  mucDomain: string;
  tcpUrl: string;
  wsUrl: string;
  apiUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    server: ServerInfo;
  }
}

let server: EjabberdServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startEjabberd();
  const { domain, mixDomain, mucDomain, tcpUrl, wsUrl, apiUrl } = server;
  project.provide('server', { domain, mixDomain, mucDomain, tcpUrl, wsUrl, apiUrl });
}

export async function teardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}
