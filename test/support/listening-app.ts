// The app behind a real listening HTTP server on a free loopback port, for tests that need real
// sockets (keep-alive, chunked bodies) rather than app.fetch.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export interface ListeningApp {
  port: number;
  close(): Promise<void>;
}

export async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<ListeningApp> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
