// A local stand-in for PayPal's certificate host: serves the committed test certificates under
// /v1/notifications/certs/ (the allowed test prefix), plus misbehaving paths, and logs every request.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const FIXTURES = import.meta.dirname;
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

export interface CertServer {
  origin: string;
  /** the allowed prefix to put in PAYPAL_CERT_URL_PREFIXES */
  prefix: string;
  /** URL of a certificate file under the prefix: cert.pem, expired-cert.pem, wrong-subject-cert.pem */
  certUrl(name?: string): string;
  /** paths requested so far */
  requests: string[];
  close(): Promise<void>;
}

export async function startCertServer(): Promise<CertServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const file = /^\/v1\/notifications\/certs\/([\w-]+\.pem)$/.exec(url)?.[1];
    if (file && ['cert.pem', 'expired-cert.pem', 'wrong-subject-cert.pem'].includes(file)) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(fixture(file));
    } else if (url === '/v1/notifications/certs/redirect.pem') {
      res.writeHead(302, { location: '/v1/notifications/certs/cert.pem' }).end();
    } else if (url === '/v1/notifications/certs/huge.pem') {
      // No content-length: the cap must hold while streaming.
      res.writeHead(200, { 'content-type': 'application/x-pem-file' });
      res.write(fixture('cert.pem'));
      res.end('#'.repeat(200 * 1024));
    } else if (url === '/v1/notifications/certs/slow.pem') {
      setTimeout(() => res.writeHead(200).end(fixture('cert.pem')), 3_000).unref();
    } else if (url === '/v1/notifications/certs/garbage.pem') {
      res.writeHead(200).end('not a certificate');
    } else if (url === '/elsewhere/cert.pem') {
      res.writeHead(200).end(fixture('cert.pem'));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const prefix = `${origin}/v1/notifications/certs/`;
  return {
    origin,
    prefix,
    certUrl: (name = 'cert.pem') => `${prefix}${name}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
