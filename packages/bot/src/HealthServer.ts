import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { BotHealth } from './Bot.js';

/** The bot's HTTP endpoints. */
export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /healthz`: 200 with the health as JSON when connected and every channel is replayed,
 * 503 otherwise. `GET /metrics`: Prometheus text format.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  health: () => BotHealth;
  metrics: Registry;
}): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405).end();
    } else if (path === '/healthz') {
      const health = options.health();
      response.writeHead(health.healthy ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(health));
    } else if (path === '/metrics') {
      options.metrics.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
