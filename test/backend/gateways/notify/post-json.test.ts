import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson } from '../../../../backend/gateways/notify/post-json.js';

const servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler!(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits: () => hits };
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('postJson', () => {
  it('posts the body with its headers and reads the answer', async () => {
    let got = '';
    const target = await serve((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (c) => (got += c));
      req.on('end', () => res.writeHead(202).end(`ok ${req.headers['x-test']}`));
    });
    const res = await postJson(target.url, { headers: { 'x-test': 'yes' }, body: '{"a":1}', timeoutMs: 2000, allowPrivate: true });
    expect(res).toEqual({ status: 202, text: 'ok yes' });
    expect(got).toBe('{"a":1}');
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(200).end());
    const target = await serve((_req, res) => res.writeHead(302, { location: elsewhere.url }).end());
    const res = await postJson(target.url, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: true });
    expect(res.status).toBe(302);
    expect(elsewhere.hits()).toBe(0);
  });

  it('refuses loopback targets without NOTIFY_ALLOW_PRIVATE, before connecting', async () => {
    const target = await serve((_req, res) => res.writeHead(200).end());
    await expect(postJson(target.url, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: false })).rejects.toThrow(
      /notify_url must use https/,
    );
    const https = target.url.replace('http:', 'https:');
    await expect(postJson(https, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: false })).rejects.toThrow(
      /notify_url must be a public address/,
    );
    expect(target.hits()).toBe(0);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const target = await serve(() => {});
    await expect(postJson(target.url, { headers: {}, body: '{}', timeoutMs: 200, allowPrivate: true })).rejects.toThrow(
      'receiver did not answer within 200 ms',
    );
  });
});
