// Keep-alive after an early answer: a 413 (or a 401 before the body is read) must not leave the
// client a socket the server is about to close. Real listening server, real keep-alive agent.
import http from 'node:http';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { listen, type ListeningApp } from '../../../support/listening-app.js';
import { signDelivery, stripeEvent, stripeInvoice, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

interface Answer {
  status: number;
  body: string;
  socket: unknown;
  connection: string | undefined;
}

function post(agent: http.Agent, port: number, path: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), socket: req.socket, connection: res.headers.connection }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('connection hygiene after early answers', () => {
  let server: ListeningApp;
  let port: number;
  let h: Harness;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    server = await listen(h.app.fetch);
    port = server.port;
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  const small = () => signDelivery(stripeEvent('invoice.finalized', stripeInvoice(), { account: h.accountId }));

  it('after a 413 for a 3 MB signed body, the next two deliveries on the keep-alive agent succeed', async () => {
    const big = signDelivery(stripeEvent('invoice.finalized', stripeInvoice({ description: 'x'.repeat(3 * 1024 * 1024) }), { account: h.accountId }));
    const tooLarge = await post(agent, port, '/webhooks/stripe', big.headers, big.body);
    // The answer does not promise a connection the server is about to close.
    expect(tooLarge.connection).toBe('close');
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body).error.code).toBe('payload_too_large');

    const first = small();
    const a = await post(agent, port, '/webhooks/stripe', first.headers, first.body);
    const second = small();
    const b = await post(agent, port, '/webhooks/stripe', second.headers, second.body);
    expect([a.status, b.status]).toEqual([200, 200]);
    // The two small deliveries share one kept-alive socket.
    expect(b.socket).toBe(a.socket);
    const stored = await h.sql`SELECT event_id FROM payment_events WHERE account_id = ${h.accountId}`;
    expect(stored).toHaveLength(2);
  });

  it('after a 401 answered before the body is read, the next deliveries on the agent succeed', async () => {
    for (let i = 0; i < 3; i++) {
      const bad = signDelivery(stripeEvent('invoice.finalized', stripeInvoice({ description: 'y'.repeat(512 * 1024) }), { account: h.accountId }), { secret: 'whsec_wrong' });
      const refused = await post(agent, port, '/webhooks/stripe', { 'content-type': 'application/json' }, bad.body);
      expect(refused.status).toBe(401);
      const ok = small();
      expect((await post(agent, port, '/webhooks/stripe', ok.headers, ok.body)).status).toBe(200);
    }
    // An unsigned app API call with a body is refused before reading it, and the socket stays usable.
    const unsigned = await post(agent, port, '/api/tenants', { 'content-type': 'application/json' }, JSON.stringify({ name: 'z'.repeat(600_000) }));
    expect(unsigned.status).toBe(401);
    const ok = small();
    expect((await post(agent, port, '/webhooks/stripe', ok.headers, ok.body)).status).toBe(200);
  });
});
