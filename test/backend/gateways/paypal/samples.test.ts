// The shared sample events (copied unchanged from the project's PayPal reference into
// test/support/paypal/sample-events), signed by the test helper as raw bytes, posted through the
// route, read back through the API.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP_SECRET, newAccountId, signAppHeaders } from '../../../support/app-harness.js';
import { startCertServer, type CertServer } from '../../../support/paypal/cert-server.js';
import { paypalHarness, TEST_WEBHOOK_ID, type PaypalHarness } from '../../../support/paypal/paypal-harness.js';
import { paypalHeaders } from '../../../support/paypal/sign.js';
import { startService } from '../../../support/service-process.js';

const SAMPLES_DIR = path.resolve(import.meta.dirname, '../../../support/paypal/sample-events');

interface Sample {
  name: string;
  raw: Buffer;
  createTime: Date;
}

/** The samples as raw bytes, oldest first. */
const samples: Sample[] = readdirSync(SAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const raw = readFileSync(path.join(SAMPLES_DIR, f));
    return { name: f.replace(/\.json$/, ''), raw, createTime: new Date(JSON.parse(raw.toString()).create_time) };
  })
  .sort((a, b) => a.createTime.getTime() - b.createTime.getTime());

let certs: CertServer;
beforeAll(async () => {
  certs = await startCertServer();
});
afterAll(() => certs.close());

const SUB = 'I-5TQW8M1K2Y7D';
const SALE = '7MU29385WL006512K';
const INVOICE = 'INV2-7QRD-2MXK-HZ4B-9VWE';

async function get(h: PaypalHarness, url: string) {
  const res = await h.api('GET', url);
  expect(res.status).toBe(200);
  return (await res.json()) as any;
}

async function postSample(h: PaypalHarness, s: Sample) {
  h.clock.set(new Date(s.createTime.getTime() + 3_000)); // delivered a few seconds after it happened
  const headers = paypalHeaders(s.raw, { webhookId: TEST_WEBHOOK_ID, certUrl: certs.certUrl(), time: h.clock.now() });
  const res = await h.app.request(`/webhooks/paypal/${h.accountId}`, { method: 'POST', headers, body: new Uint8Array(s.raw) });
  expect(res.status, s.name).toBe(200);
  expect(await res.json(), s.name).toMatchObject({ processed: true, duplicate: false });
}

describe('the shared PayPal sample events', () => {
  it('are all present', () => {
    expect(samples.map((s) => s.name).sort()).toEqual([
      'BILLING.SUBSCRIPTION.ACTIVATED',
      'BILLING.SUBSCRIPTION.CANCELLED',
      'BILLING.SUBSCRIPTION.PAYMENT.FAILED',
      'INVOICING.INVOICE.PAID',
      'PAYMENT.SALE.COMPLETED',
      'PAYMENT.SALE.REFUNDED',
    ]);
  });

  it('land with the right tenant, status and amounts, past due between the failure and the cancellation', async () => {
    const h = await paypalHarness(certs);
    const acme = await h.tenant('Acme', 'tenant-acme');
    await h.tenant('Other', 'tenant-other');

    for (const s of samples) {
      await postSample(h, s);
      if (s.name === 'BILLING.SUBSCRIPTION.PAYMENT.FAILED') {
        const pastDue = await get(h, '/api/invoices?status=past_due');
        expect(pastDue.data).toEqual([
          expect.objectContaining({
            gateway: 'paypal',
            external_id: `${SUB}:outstanding`,
            tenant: { id: acme, name: 'Acme' },
            status: 'open',
            past_due: true,
            currency: 'eur',
            amount_remaining: 2900,
          }),
        ]);
      }
    }

    const invoices = await get(h, `/api/invoices?gateway=paypal&tenant_id=${acme}`);
    const byId = Object.fromEntries(invoices.data.map((i: any) => [i.external_id, i]));
    expect(Object.keys(byId).sort()).toEqual([SALE, `${SUB}:outstanding`, INVOICE].sort());
    expect(byId[INVOICE]).toMatchObject({
      number: 'ACME-0007',
      status: 'paid',
      currency: 'eur',
      total: 12000,
      tax: 1916,
      amount_paid: 12000,
      amount_remaining: 0,
      due_date: '2026-04-14T00:00:00.000Z',
    });
    expect(byId[SALE]).toMatchObject({ status: 'paid', total: 2900, amount_paid: 2900, amount_refunded: 2900, customer_id: 'KD8ZQ4XWTVN3L' });
    expect(byId[`${SUB}:outstanding`]).toMatchObject({ status: 'void', past_due: false, total: 2900 });

    const detail = await get(h, `/api/invoices/${byId[`${SUB}:outstanding`].id}`);
    expect(detail.history.map((e: any) => `${e.from_status ?? '∅'}→${e.to_status}`)).toEqual(['∅→open', 'open→past_due', 'past_due→void']);
    expect(detail.history.every((e: any) => e.source.startsWith('event:WH-'))).toBe(true);

    const events = await get(h, '/api/events?gateway=paypal');
    expect(events.data).toHaveLength(6);
    const byType = Object.fromEntries(events.data.map((e: any) => [e.type, e]));
    expect(events.data.every((e: any) => e.tenant?.id === acme && e.processed && !e.error)).toBe(true);
    expect(byType['BILLING.SUBSCRIPTION.ACTIVATED'].invoice).toBeNull();
    expect(byType['INVOICING.INVOICE.PAID'].invoice).toMatchObject({ number: 'ACME-0007', total: 12000, currency: 'eur', status: 'paid' });
    expect(byType['PAYMENT.SALE.COMPLETED'].invoice).toMatchObject({ id: byId[SALE].id });
    expect(byType['PAYMENT.SALE.REFUNDED'].invoice).toMatchObject({ id: byId[SALE].id });
    expect(byType['BILLING.SUBSCRIPTION.PAYMENT.FAILED'].invoice).toMatchObject({ id: byId[`${SUB}:outstanding`].id });
    expect(byType['BILLING.SUBSCRIPTION.CANCELLED'].invoice).toMatchObject({ id: byId[`${SUB}:outstanding`].id });

    const stats = await get(h, '/api/stats');
    expect(stats.currencies).toEqual([
      expect.objectContaining({ currency: 'eur', total_revenue: 14900, total_refunded: 2900, pending_amount: 0, invoice_count: 3 }),
    ]);
    // nothing landed in live mode
    expect((await get(h, '/api/invoices')).data).toHaveLength(3);
    expect(((await (await h.api('GET', '/api/invoices', undefined, { mode: 'live' })).json()) as any).data).toEqual([]);
  });

  it('say why the subscription payment failed while its balance is outstanding', async () => {
    const h = await paypalHarness(certs);
    await h.tenant('Acme', 'tenant-acme');
    for (const s of samples.filter((x) => x.name === 'BILLING.SUBSCRIPTION.PAYMENT.FAILED')) await postSample(h, s);
    const { data } = await get(h, '/api/invoices?status=failed');
    expect(data).toHaveLength(1);
    const detail = await get(h, `/api/invoices/${data[0].id}`);
    expect(detail).toMatchObject({ state: 'failed', last_payment_error: 'The PayPal subscription payment failed (payment denied).' });
  });

  it('reach the same revenue and refunds when delivered newest first', async () => {
    const h = await paypalHarness(certs);
    await h.tenant('Acme', 'tenant-acme');
    for (const s of [...samples].reverse()) await postSample(h, s);
    const stats = await get(h, '/api/stats');
    expect(stats.currencies).toEqual([
      expect.objectContaining({ currency: 'eur', total_revenue: 14900, total_refunded: 2900, pending_amount: 0 }),
    ]);
    // the cancellation was known before the failure arrived: no past-due balance appears
    expect((await get(h, '/api/invoices?status=past_due')).data).toEqual([]);
    expect((await get(h, '/api/events?gateway=paypal')).data).toHaveLength(6);
  });

  it('show up in the API of a running `npm start`', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tb-paypal-'));
    const account = newAccountId();
    const svc = await startService({ STRIPE_APP_SECRET: APP_SECRET, DATA_DIR: dataDir, PAYPAL_CERT_URL_PREFIXES: certs.prefix });
    try {
      const api = async (method: string, url: string, body?: unknown) => {
        const res = await fetch(`${svc.url}${url}`, {
          method,
          headers: { ...signAppHeaders(account, 'usr_test', { mode: 'test' }), 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(res.status, `${method} ${url}`).toBeLessThan(300);
        return (await res.json()) as any;
      };
      await api('PUT', '/api/settings', { paypal_webhook_id: TEST_WEBHOOK_ID });
      const acme = await api('POST', '/api/tenants', { name: 'Acme', external_ref: 'tenant-acme' });
      for (const s of samples) {
        // the service runs on the wall clock: the transmission is signed now
        const headers = paypalHeaders(s.raw, { webhookId: TEST_WEBHOOK_ID, certUrl: certs.certUrl() });
        const res = await fetch(`${svc.url}/webhooks/paypal/${account}`, { method: 'POST', headers, body: new Uint8Array(s.raw) });
        expect(res.status, s.name).toBe(200);
      }
      const invoices = await api('GET', '/api/invoices?gateway=paypal');
      expect(invoices.data.map((i: any) => [i.external_id, i.tenant?.name, i.status, i.total, i.amount_refunded]).sort()).toEqual(
        [
          [SALE, 'Acme', 'paid', 2900, 2900],
          [`${SUB}:outstanding`, 'Acme', 'void', 2900, 0],
          [INVOICE, 'Acme', 'paid', 12000, 0],
        ].sort(),
      );
      const events = await api('GET', `/api/events?tenant_id=${acme.id}`);
      expect(events.data.map((e: any) => e.type).sort()).toEqual(samples.map((s) => s.name).sort());
      const stats = await api('GET', '/api/stats');
      expect(stats.currencies).toEqual([
        expect.objectContaining({ currency: 'eur', total_revenue: 14900, total_refunded: 2900, pending_amount: 0, invoice_count: 3 }),
      ]);
    } finally {
      expect(await svc.stop()).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
