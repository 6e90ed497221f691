// A batch of PayPal sales and captures applies set-based (one run) and ends in the same ledger as
// the same events applied one at a time: tenants, refunds that came first, the settled balance of
// a failed subscription payment, pending -> completed of one sale, declined and denied outcomes.
import { startCertServer, type CertServer } from '../../support/paypal/cert-server.js';
import {
  captureEvent,
  paypalHarness,
  saleEvent,
  saleRefundEvent,
  subscriptionEvent,
  type PaypalHarness,
} from '../../support/paypal/paypal-harness.js';

let certs: CertServer;
beforeAll(async () => {
  certs = await startCertServer();
});
afterAll(() => certs.close());

const sub = { id: 'I-BATCH00001', custom_id: 'tenant-late', payer_id: 'PAYERBATCH1' };

/** Known before the batch: two tenants, a failed subscription payment, a refund of a sale not seen yet. */
const before = () => [
  subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['29.00', 'EUR'], failed_payments_count: 1, at: '2026-03-02T10:05:00Z' }),
  saleRefundEvent('REFUNDED', { id: 'REFUND0B0001', sale: 'SALE0B000002', total: '5.00', currency: 'EUR', at: '2026-03-04T10:00:00Z' }),
];

/** The batch, in arrival order. */
const batch = () => [
  saleEvent('PENDING', { id: 'SALE0B000001', subscription: sub.id, total: '29.00', currency: 'EUR', at: '2026-03-03T09:00:00Z' }),
  saleEvent('COMPLETED', { id: 'SALE0B000001', subscription: sub.id, total: '29.00', currency: 'EUR', at: '2026-03-03T10:00:00Z' }),
  // older than the failure: it pays itself, not the balance
  saleEvent('COMPLETED', { id: 'SALE0B000000', subscription: sub.id, total: '29.00', currency: 'EUR', at: '2026-02-02T10:00:00Z' }),
  saleEvent('COMPLETED', { id: 'SALE0B000002', subscription: sub.id, total: '29.00', currency: 'EUR', at: '2026-03-03T11:00:00Z' }),
  saleEvent('DENIED', { id: 'SALE0B000003', total: '12.00', currency: 'EUR', at: '2026-03-03T12:00:00Z', custom: 'tenant-other' }),
  captureEvent('COMPLETED', { id: 'CAPT0B000001', value: '40.00', currency: 'USD', at: '2026-03-03T13:00:00Z', custom_id: 'tenant-other' }),
  captureEvent('DECLINED', { id: 'CAPT0B000002', value: '41.00', currency: 'USD', at: '2026-03-03T14:00:00Z', custom_id: 'tenant-late' }),
];

async function setUp(h: PaypalHarness) {
  const late = await h.tenant('Late', 'tenant-late');
  const other = await h.tenant('Other', 'tenant-other');
  for (const e of before()) expect((await h.post(e)).status).toBe(200);
  return { late, other };
}

/** The ledger with tenants by name, comparable across accounts. */
async function ledger(h: PaypalHarness) {
  const names = new Map((await h.sql<{ id: string; name: string }[]>`SELECT id, name FROM tenants WHERE account_id = ${h.accountId}`).map((t) => [t.id, t.name]));
  return Promise.all(
    (await h.invoices()).map(async ({ id, tenant_id, ...row }) => ({
      ...row,
      tenant: tenant_id ? names.get(tenant_id) : null,
      history: await h.history(id),
      lines: await h.sql`SELECT kind, description, amount, currency FROM invoice_lines WHERE account_id = ${h.accountId} AND invoice_id = ${id} ORDER BY position`,
    })),
  );
}

describe('a batch of PayPal payments', () => {
  it('applies in one run and ends as the same events one at a time', async () => {
    const batched = await paypalHarness(certs);
    const { late, other } = await setUp(batched);
    for (const e of batch()) expect((await batched.post(e, { drain: false })).status).toBe(200);
    expect(await batched.drain()).toEqual({ claimed: batch().length, failed: 0 });

    expect(await batched.invoice(`${sub.id}:outstanding`)).toMatchObject({ status: 'paid', past_due: false, amount_paid: 2900 });
    expect(await batched.invoice('SALE0B000001')).toMatchObject({ status: 'paid', tenant_id: late, customer_id: 'PAYERBATCH1' });
    expect(await batched.invoice('SALE0B000002')).toMatchObject({ status: 'paid', amount_refunded: 500 });
    expect(await batched.invoice('SALE0B000003')).toMatchObject({ status: 'void', tenant_id: other });
    expect(await batched.invoice('CAPT0B000001')).toMatchObject({ status: 'paid', tenant_id: other, currency: 'usd' });
    expect(await batched.invoice('CAPT0B000002')).toMatchObject({ status: 'open', past_due: true, payment_failed: true, tenant_id: late });
    const events = await batched.events();
    expect(events.filter((e) => !e.processed)).toEqual([]);
    expect(events.find((e) => e.object_id === 'CAPT0B000001')).toMatchObject({ tenant_id: other });

    const oneByOne = await paypalHarness(certs);
    await setUp(oneByOne);
    for (const e of batch()) expect((await oneByOne.post(e)).status).toBe(200);
    expect(await ledger(batched)).toEqual(await ledger(oneByOne));
  });
});
