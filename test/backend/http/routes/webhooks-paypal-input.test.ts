// POST /webhooks/paypal/:accountId with signed bodies the database cannot hold: 400, nothing stored.
import { randomBytes } from 'node:crypto';
import { startCertServer, type CertServer } from '../../../support/paypal/cert-server.js';
import { paypalHarness, saleEvent, type PaypalHarness } from '../../../support/paypal/paypal-harness.js';

let certs: CertServer;
let h: PaypalHarness;
beforeAll(async () => {
  certs = await startCertServer();
  h = await paypalHarness(certs);
});
afterAll(() => certs.close());

const sale = (id = `SALE${randomBytes(6).toString('hex').toUpperCase()}`) =>
  saleEvent('COMPLETED', { id, subscription: 'I-INPUT0001', total: '29.00', currency: 'EUR', at: '2026-04-02T09:59:00Z' });

const stored = async (eventId: string) => (await h.sql`SELECT id FROM payment_events WHERE event_id = ${eventId}`).length;

async function expectRefused(body: object | string, eventId: string) {
  const res = await h.post(body);
  expect(res.status).toBe(400);
  const { error } = await res.json();
  expect(error).toMatchObject({ code: expect.any(String), message: expect.any(String), request_id: expect.any(String) });
  expect(await stored(eventId)).toBe(0);
  return error as { code: string; message: string };
}

describe('POST /webhooks/paypal/:accountId refuses unstorable bodies with 400', () => {
  const long = () => randomBytes(5_000).toString('hex');

  it('a lone surrogate, raw or escaped', async () => {
    const e = sale();
    await expectRefused({ ...e, summary: 'Payment \ud800' }, e.id);
    const f = sale();
    await expectRefused(JSON.stringify(f).replace('"summary"', '"\\udfff":1,"summary"'), f.id);
  });

  it('nesting deeper than 64 levels', async () => {
    for (const depth of [70, 50_000]) {
      const e = sale();
      const text = JSON.stringify(e).replace('"links":[]', `"links":${'['.repeat(depth)}1${']'.repeat(depth)}`);
      expect((await expectRefused(text, e.id)).message).toMatch(/nest/);
    }
  });

  it('an event id, resource id or subscription id over 255 characters', async () => {
    const id = `WH-${long()}`;
    await expectRefused({ ...sale(), id }, id);
    const resource = sale(`S${long()}`);
    await expectRefused(resource, resource.id);
    const sub = sale();
    await expectRefused({ ...sub, resource: { ...sub.resource, billing_agreement_id: `I-${long()}` } }, sub.id);
  });

  it('NUL is still refused, and a normal sale still stored', async () => {
    const e = sale();
    await expectRefused({ ...e, summary: 'x\u0000' }, e.id);
    const ok = sale();
    expect((await h.post(ok)).status).toBe(200);
    expect(await stored(ok.id)).toBe(1);
  });
});
