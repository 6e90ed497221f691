// The 1 MB body limit over real HTTP: a declared Content-Length is judged from the header, a
// chunked body (no length declared) by counting what arrives; either way nothing is stored.
import http from 'node:http';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { listen, type ListeningApp } from '../../../support/listening-app.js';
import { signDelivery, stripeEvent, stripeInvoice, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

const withoutLength = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-length'));

/** Posts `body` in two chunks without a Content-Length (Transfer-Encoding: chunked). */
function postChunked(port: number, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/webhooks/stripe', method: 'POST', headers: withoutLength(headers) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    req.end(body.slice(half));
  });
}

describe('request body limit', () => {
  let server: ListeningApp;
  let port: number;
  let h: Harness;

  beforeAll(async () => {
    h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    server = await listen(h.app.fetch);
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
  });

  const stored = async (eventId: string) =>
    (await h.sql`SELECT 1 FROM payment_events WHERE account_id = ${h.accountId} AND event_id = ${eventId}`).length;

  it('takes a chunked delivery under the limit and refuses one over it (413, nothing stored)', async () => {
    const okEvent = stripeEvent('invoice.finalized', stripeInvoice(), { account: h.accountId });
    const ok = signDelivery(okEvent);
    expect((await postChunked(port, ok.headers, ok.body)).status).toBe(200);
    expect(await stored(okEvent.id)).toBe(1);

    const bigEvent = stripeEvent('invoice.finalized', stripeInvoice({ description: 'x'.repeat(1_100_000) }), { account: h.accountId });
    const big = signDelivery(bigEvent);
    const answer = await postChunked(port, big.headers, big.body);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
    expect(await stored(bigEvent.id)).toBe(0);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const bigEvent = stripeEvent('invoice.finalized', stripeInvoice({ description: 'y'.repeat(1_100_000) }), { account: h.accountId });
    const big = signDelivery(bigEvent);
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/stripe`, { method: 'POST', headers: big.headers, body: big.body });
    expect(res.status).toBe(413);
    expect(await stored(bigEvent.id)).toBe(0);
  });
});
