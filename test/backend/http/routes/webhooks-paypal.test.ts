import { generateKeyPairSync } from 'node:crypto';
import { newAccountId } from '../../../support/app-harness.js';
import { startCertServer, type CertServer } from '../../../support/paypal/cert-server.js';
import { paypalHarness, LIVE_WEBHOOK_ID, saleEvent, TEST_WEBHOOK_ID } from '../../../support/paypal/paypal-harness.js';
import { paypalHeaders } from '../../../support/paypal/sign.js';

let certs: CertServer;
beforeAll(async () => {
  certs = await startCertServer();
});
afterAll(() => certs.close());

const sale = (id = '7MU29385WL006512K') =>
  saleEvent('COMPLETED', { id, subscription: 'I-ROUTE0001', total: '29.00', currency: 'EUR', at: '2026-04-02T09:59:00Z' });

async function refused(res: Response, message: RegExp) {
  expect(res.status).toBe(401);
  const body = (await res.json()) as { error: { code: string; message: string; request_id: string } };
  expect(body.error.code).toBe('invalid_signature');
  expect(body.error.message).toMatch(message);
  expect(body.error.request_id).toMatch(/^req_/);
}

describe('POST /webhooks/paypal/:accountId verification', () => {
  it('stores a correctly signed event in the mode whose webhook id verifies it, and answers 200', async () => {
    const h = await paypalHarness(certs);
    const res = await h.post(sale());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, duplicate: false, processed: true });
    expect(await h.events(false)).toHaveLength(1);
    expect(await h.events(true)).toHaveLength(0);
  });

  it('routes each mode by its own webhook id', async () => {
    const h = await paypalHarness(certs, { liveWebhookId: LIVE_WEBHOOK_ID });
    expect((await h.post(sale('SALE0LIVE'), { webhookId: LIVE_WEBHOOK_ID })).status).toBe(200);
    expect((await h.post(sale('SALE0TEST'), { webhookId: TEST_WEBHOOK_ID })).status).toBe(200);
    expect((await h.invoices(true)).map((i) => i.external_id)).toEqual(['SALE0LIVE']);
    expect((await h.invoices(false)).map((i) => i.external_id)).toEqual(['SALE0TEST']);
    expect((await h.events(true)).map((e) => e.object_id)).toEqual(['SALE0LIVE']);
  });

  it('refuses a webhook id the account has not saved', async () => {
    const h = await paypalHarness(certs);
    await refused(await h.post(sale(), { webhookId: 'WH0SOMEONEELSE' }), /does not match/);
    expect(await h.events()).toEqual([]);
    expect(await h.invoices()).toEqual([]);
  });

  it('refuses a body changed after signing', async () => {
    const h = await paypalHarness(certs);
    const body = JSON.stringify(sale());
    const headers = paypalHeaders(body, { webhookId: TEST_WEBHOOK_ID, certUrl: certs.certUrl(), time: h.clock.now() });
    const tampered = body.replace('"29.00"', '"2.90"');
    const res = await h.app.request(`/webhooks/paypal/${h.accountId}`, { method: 'POST', headers, body: tampered });
    await refused(res, /does not match/);
    // re-serialising the same JSON changes the bytes too
    const reencoded = JSON.stringify(JSON.parse(body), null, 1);
    await refused(await h.app.request(`/webhooks/paypal/${h.accountId}`, { method: 'POST', headers, body: reencoded }), /does not match/);
    expect(await h.events()).toEqual([]);
  });

  it('refuses a signature made with another key', async () => {
    const h = await paypalHarness(certs);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await refused(await h.post(sale(), { key: privateKey }), /does not match/);
  });

  it('refuses a certificate URL outside the allowed prefixes without making any request', async () => {
    const h = await paypalHarness(certs);
    const before = certs.requests.length;
    for (const certUrl of [
      `${certs.origin}/elsewhere/cert.pem`,
      'https://messageverificationcerts.paypal.com.evil.example/v1/notifications/certs/cert.pem',
      `${certs.prefix}../../../elsewhere/cert.pem`,
    ]) {
      await refused(await h.post(sale(), { certUrl }), /not an allowed PayPal URL/);
    }
    expect(certs.requests.length).toBe(before);
    expect(await h.events()).toEqual([]);
  });

  it('refuses a certificate URL that redirects, without following it', async () => {
    const h = await paypalHarness(certs);
    const before = certs.requests.length;
    await refused(await h.post(sale(), { certUrl: certs.certUrl('redirect.pem') }), /302/);
    expect(certs.requests.slice(before)).toEqual(['/v1/notifications/certs/redirect.pem']);
  });

  it('refuses an expired certificate and one with the wrong subject', async () => {
    const h = await paypalHarness(certs);
    await refused(await h.post(sale(), { certUrl: certs.certUrl('expired-cert.pem') }), /expired/);
    await refused(await h.post(sale(), { certUrl: certs.certUrl('wrong-subject-cert.pem') }), /not a PayPal/);
    expect(await h.events()).toEqual([]);
  });

  it('refuses transmission times outside the skew window, either way', async () => {
    const h = await paypalHarness(certs);
    const now = h.clock.now().getTime();
    const skew = h.config.PAYPAL_MAX_CLOCK_SKEW_MINUTES * 60_000;
    await refused(await h.post(sale(), { time: new Date(now - skew - 5_000) }), /clock skew/);
    await refused(await h.post(sale(), { time: new Date(now + skew + 5_000) }), /clock skew/);
    expect((await h.post(sale(), { time: new Date(now - skew + 5_000) })).status).toBe(200);
  });

  it('refuses an auth algorithm other than SHA256withRSA', async () => {
    const h = await paypalHarness(certs);
    await refused(await h.post(sale(), { authAlgo: 'SHA1withRSA' }), /unsupported paypal-auth-algo/);
  });

  it.each([
    'paypal-transmission-id',
    'paypal-transmission-time',
    'paypal-transmission-sig',
    'paypal-cert-url',
    'paypal-auth-algo',
  ])('refuses a delivery without %s', async (header) => {
    const h = await paypalHarness(certs);
    const body = JSON.stringify(sale());
    const headers = paypalHeaders(body, { webhookId: TEST_WEBHOOK_ID, certUrl: certs.certUrl(), time: h.clock.now() });
    delete headers[header];
    await refused(await h.app.request(`/webhooks/paypal/${h.accountId}`, { method: 'POST', headers, body }), new RegExp(header));
  });

  it('refuses an unknown account and an account with no PayPal webhook id, without fetching a certificate', async () => {
    const h = await paypalHarness(certs);
    const before = certs.requests.length;
    await refused(await h.post(sale(), { accountId: newAccountId() }), /no PayPal webhook id is configured/);
    await refused(await h.post(sale(), { accountId: 'not-an-account' }), /no PayPal webhook id is configured/);
    await h.api('PUT', '/api/settings', { paypal_webhook_id: null }, { mode: 'test' });
    await refused(await h.post(sale()), /no PayPal webhook id is configured/);
    expect(certs.requests.length).toBe(before);
  });

  it('acknowledges a duplicate delivery (same WH- id, new transmission) and changes nothing', async () => {
    const h = await paypalHarness(certs);
    const event = sale();
    const first = (await (await h.post(event)).json()) as { id: string };
    const invoiceBefore = await h.invoice(event.resource.id);
    h.clock.advance(60_000);
    const again = await h.post({ ...event, summary: 'retried' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, duplicate: true });
    expect(await h.events()).toHaveLength(1);
    expect(await h.invoice(event.resource.id)).toEqual(invoiceBefore);
  });

  it('answers 400 for a signed body that is not JSON or not a usable event, storing nothing', async () => {
    const h = await paypalHarness(certs);
    const notJson = await h.post('{"id":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.code).toBe('invalid_json');
    const noId = await h.post({ event_type: 'PAYMENT.SALE.COMPLETED', create_time: '2026-04-02T10:00:00Z', resource: {} });
    expect(noId.status).toBe(400);
    const badAmount = sale();
    badAmount.resource.amount.total = '29.001';
    const res = await h.post(badAmount);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/29\.001/) });
    expect(await h.events()).toEqual([]);
  });

  it('answers 413 for a body over 1 MB', async () => {
    const h = await paypalHarness(certs);
    const big = { ...sale(), padding: 'x'.repeat(1024 * 1024) };
    expect((await h.post(big)).status).toBe(413);
    expect(await h.events()).toEqual([]);
  });

  it('is documented in /openapi.json', async () => {
    const h = await paypalHarness(certs);
    const doc = (await (await h.app.request('/openapi.json')).json()) as any;
    expect(Object.keys(doc.paths['/webhooks/paypal/{accountId}'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '413', '503']),
    );
  });
});
