// Each PayPal event type's effect on the ledger and the event log, posted signed through the route.
import { startCertServer, type CertServer } from '../../../support/paypal/cert-server.js';
import {
  captureEvent,
  captureRefundEvent,
  invoiceEvent,
  paypalHarness,
  saleEvent,
  saleRefundEvent,
  subscriptionEvent,
  type PaypalHarness,
} from '../../../support/paypal/paypal-harness.js';

let certs: CertServer;
beforeAll(async () => {
  certs = await startCertServer();
});
afterAll(() => certs.close());

async function ok(h: PaypalHarness, event: object) {
  const res = await h.post(event);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { id: string; state: string };
  expect(body.state).toBe('pending'); // stored; h.post then drained it as the applier would
  const [row] = await h.sql<{ state: string }[]>`SELECT state FROM payment_events WHERE id = ${body.id}`;
  expect(['processed', 'ignored']).toContain(row.state);
}

async function subscriptionRow(h: PaypalHarness, id: string) {
  const [row] = await h.sql`
    SELECT status, tenant_id, payer_id, custom_id, outstanding_amount, outstanding_currency, legacy FROM paypal_subscriptions
    WHERE account_id = ${h.accountId} AND livemode = false AND subscription_id = ${id}`;
  return row;
}

describe('PayPal subscriptions', () => {
  it('keeps the latest state; an older update delivered late changes nothing', async () => {
    const h = await paypalHarness(certs);
    const acme = await h.tenant('Acme', 'tenant-acme');
    const sub = { id: 'I-ORDER0001', custom_id: 'tenant-acme' };
    await ok(h, subscriptionEvent('ACTIVATED', { ...sub, status: 'ACTIVE', at: '2026-03-02T10:00:00Z' }));
    await ok(h, subscriptionEvent('SUSPENDED', { ...sub, status: 'SUSPENDED', at: '2026-03-20T10:00:00Z' }));
    await ok(h, subscriptionEvent('UPDATED', { ...sub, status: 'ACTIVE', at: '2026-03-10T10:00:00Z' }));
    expect(await subscriptionRow(h, sub.id)).toMatchObject({ status: 'SUSPENDED', tenant_id: acme, custom_id: 'tenant-acme' });
    await ok(h, subscriptionEvent('RE-ACTIVATED', { ...sub, status: 'ACTIVE', at: '2026-03-25T10:00:00Z' }));
    expect(await subscriptionRow(h, sub.id)).toMatchObject({ status: 'ACTIVE' });
    const events = await h.events();
    expect(events.map((e) => e.type)).toEqual([
      'BILLING.SUBSCRIPTION.ACTIVATED',
      'BILLING.SUBSCRIPTION.SUSPENDED',
      'BILLING.SUBSCRIPTION.UPDATED',
      'BILLING.SUBSCRIPTION.RE-ACTIVATED',
    ]);
    expect(events.every((e) => e.tenant_id === acme && e.object_id === sub.id && e.processed)).toBe(true);
  });

  it('finds the tenant by a link of the subscription or payer id before custom_id', async () => {
    const h = await paypalHarness(certs);
    const byRef = await h.tenant('By ref', 'ref-1');
    const bySub = await h.tenant('By subscription');
    const byPayer = await h.tenant('By payer');
    await h.link(bySub, 'I-LINKED0001');
    await h.link(byPayer, 'PAYERLINK01');
    await ok(h, subscriptionEvent('CREATED', { id: 'I-LINKED0001', custom_id: 'ref-1', status: 'APPROVAL_PENDING', at: '2026-03-01T00:00:00Z' }));
    await ok(h, subscriptionEvent('CREATED', { id: 'I-PAYER00001', payer_id: 'PAYERLINK01', custom_id: 'ref-1', status: 'APPROVAL_PENDING', at: '2026-03-01T00:00:00Z' }));
    await ok(h, subscriptionEvent('CREATED', { id: 'I-REFONLY001', custom_id: 'ref-1', status: 'APPROVAL_PENDING', at: '2026-03-01T00:00:00Z' }));
    await ok(h, subscriptionEvent('CREATED', { id: 'I-NOBODY0001', custom_id: 'unknown-ref', status: 'APPROVAL_PENDING', at: '2026-03-01T00:00:00Z' }));
    expect((await subscriptionRow(h, 'I-LINKED0001')).tenant_id).toBe(bySub);
    expect((await subscriptionRow(h, 'I-PAYER00001')).tenant_id).toBe(byPayer);
    expect((await subscriptionRow(h, 'I-REFONLY001')).tenant_id).toBe(byRef);
    expect((await subscriptionRow(h, 'I-NOBODY0001')).tenant_id).toBeNull();
  });

  it('accepts legacy billing agreements (resource_type Agreement)', async () => {
    const h = await paypalHarness(certs);
    const t = await h.tenant('Legacy');
    await h.link(t, 'LEGACYPAYER1');
    await ok(h, {
      id: 'WH-LEGACY-0001',
      event_version: '1.0',
      create_time: '2026-03-01T00:00:00Z',
      resource_type: 'Agreement',
      event_type: 'BILLING.SUBSCRIPTION.CREATED',
      resource: {
        id: 'I-LEGACY00001',
        state: 'Active',
        plan: { curr_code: 'USD' },
        payer: { payment_method: 'paypal', payer_info: { email: 'x@example.com', payer_id: 'LEGACYPAYER1' } },
        agreement_details: { outstanding_balance: { value: '0.00' }, failed_payment_count: '0' },
      },
    });
    expect(await subscriptionRow(h, 'I-LEGACY00001')).toMatchObject({
      status: 'ACTIVE',
      legacy: true,
      tenant_id: t,
      payer_id: 'LEGACYPAYER1',
      outstanding_amount: 0,
      outstanding_currency: 'usd',
    });
  });
});

describe('PayPal sales (subscription payments)', () => {
  it('turns a completed sale into a paid invoice of the subscription’s tenant', async () => {
    const h = await paypalHarness(certs);
    const acme = await h.tenant('Acme', 'tenant-acme');
    await ok(h, subscriptionEvent('ACTIVATED', { id: 'I-SALES00001', custom_id: 'tenant-acme', payer_id: 'PAYERSALE1', status: 'ACTIVE', at: '2026-03-02T10:00:00Z' }));
    await ok(h, saleEvent('COMPLETED', { id: 'SALE00000001', subscription: 'I-SALES00001', total: '29.00', currency: 'EUR', at: '2026-03-02T10:01:00Z' }));
    const inv = await h.invoice('SALE00000001');
    expect(inv).toMatchObject({
      tenant_id: acme,
      subscription_id: 'I-SALES00001',
      customer_id: 'PAYERSALE1',
      currency: 'eur',
      total: 2900,
      amount_paid: 2900,
      amount_remaining: 0,
      status: 'paid',
      past_due: false,
    });
    const [event] = (await h.events()).filter((e) => e.type === 'PAYMENT.SALE.COMPLETED');
    expect(event).toMatchObject({ tenant_id: acme, invoice_id: inv!.id, object_id: 'SALE00000001' });
  });

  it('gives a sale that arrived before its subscription the tenant once the subscription is known', async () => {
    const h = await paypalHarness(certs);
    const acme = await h.tenant('Acme', 'tenant-early');
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0EARLY01', subscription: 'I-EARLY00001', total: '10.00', currency: 'USD', at: '2026-03-02T10:01:00Z' }));
    expect((await h.invoice('SALE0EARLY01'))!.tenant_id).toBeNull();
    await ok(h, subscriptionEvent('ACTIVATED', { id: 'I-EARLY00001', custom_id: 'tenant-early', status: 'ACTIVE', at: '2026-03-02T10:00:00Z' }));
    expect((await h.invoice('SALE0EARLY01'))!.tenant_id).toBe(acme);
    expect((await h.events()).map((e) => e.tenant_id)).toEqual([acme, acme]);
  });

  it('records pending as open, then completed as paid; denied as void', async () => {
    const h = await paypalHarness(certs);
    await ok(h, saleEvent('PENDING', { id: 'SALE0PEND001', subscription: 'I-PEND000001', total: '15.00', currency: 'USD', at: '2026-03-02T10:00:00Z' }));
    expect(await h.invoice('SALE0PEND001')).toMatchObject({ status: 'open', amount_remaining: 1500, amount_paid: 0, past_due: false });
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0PEND001', subscription: 'I-PEND000001', total: '15.00', currency: 'USD', at: '2026-03-03T10:00:00Z' }));
    const paid = await h.invoice('SALE0PEND001');
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500, amount_remaining: 0 });
    expect(await h.history(paid!.id)).toEqual(['∅→open', 'open→paid']);

    await ok(h, saleEvent('DENIED', { id: 'SALE0DENY001', subscription: 'I-PEND000001', total: '15.00', currency: 'USD', at: '2026-03-04T10:00:00Z' }));
    expect(await h.invoice('SALE0DENY001')).toMatchObject({ status: 'void', amount_paid: 0, amount_remaining: 0, past_due: false });
  });

  it('sums refunds and reversals on the sale’s invoice, each refund once, also when it arrives first', async () => {
    const h = await paypalHarness(certs);
    // a refund delivered before its sale
    await ok(h, saleRefundEvent('REFUNDED', { id: 'REFUND000001', sale: 'SALE0REFD001', total: '5.00', currency: 'EUR', at: '2026-03-05T10:00:00Z' }));
    expect((await h.events())[0]).toMatchObject({ invoice_id: null, processed: true });
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0REFD001', subscription: 'I-REFD000001', total: '29.00', currency: 'EUR', at: '2026-03-02T10:00:00Z' }));
    expect(await h.invoice('SALE0REFD001')).toMatchObject({ status: 'paid', amount_refunded: 500 });

    const second = saleRefundEvent('REFUNDED', { id: 'REFUND000002', sale: 'SALE0REFD001', total: '4.50', currency: 'EUR', at: '2026-03-06T10:00:00Z' });
    await ok(h, second);
    // the same refund reported again under a new event id counts once
    await ok(h, { ...second, id: 'WH-REPORTED-AGAIN' });
    const inv = await h.invoice('SALE0REFD001');
    expect(inv).toMatchObject({ status: 'paid', amount_paid: 2900, amount_refunded: 950 });
    expect(await h.history(inv!.id)).toEqual(['∅→paid', 'paid→paid (refunded 450 eur (950 in all))']);

    await ok(h, saleRefundEvent('REVERSED', { id: 'REVERSAL0001', sale: 'SALE0REFD001', total: '19.50', currency: 'EUR', at: '2026-03-07T10:00:00Z' }));
    expect((await h.invoice('SALE0REFD001'))!.amount_refunded).toBe(2900);
    const refundEvents = (await h.events()).filter((e) => e.type !== 'PAYMENT.SALE.COMPLETED');
    expect(refundEvents.slice(1).every((e) => e.invoice_id === inv!.id)).toBe(true);
  });

  it('stores a refund in another currency than its sale as a failed event, leaving the invoice alone', async () => {
    const h = await paypalHarness(certs);
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0CURR001', total: '29.00', currency: 'EUR', at: '2026-03-02T10:00:00Z' }));
    const res = await h.post(saleRefundEvent('REFUNDED', { id: 'REFUND0CURR1', sale: 'SALE0CURR001', total: '5.00', currency: 'USD', at: '2026-03-05T10:00:00Z' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ processed: false });
    expect((await h.events())[1]).toMatchObject({ processed: false, error: expect.stringMatching(/usd.*eur/) });
    expect((await h.invoice('SALE0CURR001'))!.amount_refunded).toBe(0);
  });

  it('converts zero-decimal and three-decimal currencies exactly', async () => {
    const h = await paypalHarness(certs);
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0JPY0001', total: '3500', currency: 'JPY', at: '2026-03-02T10:00:00Z' }));
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0KWD0001', total: '12.345', currency: 'KWD', at: '2026-03-02T10:00:00Z' }));
    await ok(h, saleRefundEvent('REFUNDED', { id: 'REFUND0KWD01', sale: 'SALE0KWD0001', total: '0.005', currency: 'KWD', at: '2026-03-03T10:00:00Z' }));
    expect(await h.invoice('SALE0JPY0001')).toMatchObject({ currency: 'jpy', total: 3500, amount_paid: 3500 });
    expect(await h.invoice('SALE0KWD0001')).toMatchObject({ currency: 'kwd', total: 12345, amount_paid: 12345, amount_refunded: 5 });
    // JPY has no minor unit: a fractional yen is refused, not rounded
    const res = await h.post(saleEvent('COMPLETED', { id: 'SALE0JPY0002', total: '3500.5', currency: 'JPY', at: '2026-03-02T10:00:00Z' }));
    expect(res.status).toBe(400);
    expect(await h.invoice('SALE0JPY0002')).toBeUndefined();
  });
});

describe('PayPal captures (Orders v2)', () => {
  it('maps completed, pending and declined captures, with the tenant from custom_id', async () => {
    const h = await paypalHarness(certs);
    const shop = await h.tenant('Shop', 'tenant-shop');
    await ok(h, captureEvent('COMPLETED', { id: 'CAP000000001', value: '100.00', currency: 'USD', custom_id: 'tenant-shop', invoice_id: 'ORDER-1', at: '2026-03-02T10:00:00Z' }));
    await ok(h, captureEvent('PENDING', { id: 'CAP000000002', value: '7.50', currency: 'USD', custom_id: 'tenant-shop', at: '2026-03-02T10:00:00Z' }));
    await ok(h, captureEvent('DECLINED', { id: 'CAP000000003', value: '8000', currency: 'JPY', custom_id: 'tenant-shop', at: '2026-03-02T10:00:00Z' }));
    expect(await h.invoice('CAP000000001')).toMatchObject({ tenant_id: shop, number: 'ORDER-1', status: 'paid', total: 10000, amount_paid: 10000 });
    expect(await h.invoice('CAP000000002')).toMatchObject({ status: 'open', past_due: false, amount_remaining: 750 });
    expect(await h.invoice('CAP000000003')).toMatchObject({
      status: 'open',
      past_due: true,
      payment_failed: true,
      currency: 'jpy',
      amount_remaining: 8000,
    });
    expect((await h.events()).every((e) => e.tenant_id === shop && e.invoice_id)).toBe(true);
  });

  it('counts capture refunds (by their "up" link) and reversals', async () => {
    const h = await paypalHarness(certs);
    await ok(h, captureEvent('COMPLETED', { id: 'CAP0REFUND01', value: '10.000', currency: 'KWD', at: '2026-03-02T10:00:00Z' }));
    await ok(h, captureRefundEvent('REFUNDED', { id: 'CAPREFUND001', capture: 'CAP0REFUND01', value: '2.500', currency: 'KWD', at: '2026-03-03T10:00:00Z' }));
    expect((await h.invoice('CAP0REFUND01'))!.amount_refunded).toBe(2500);
    // a reversal that carries the capture itself counts as refunded in full
    await ok(h, captureEvent('COMPLETED', { id: 'CAP0REVERS01', value: '40.00', currency: 'USD', at: '2026-03-02T10:00:00Z' }));
    const reversal = captureEvent('COMPLETED', { id: 'CAP0REVERS01', value: '40.00', currency: 'USD', at: '2026-03-09T10:00:00Z' });
    await ok(h, { ...reversal, event_type: 'PAYMENT.CAPTURE.REVERSED', resource: { ...reversal.resource, status: 'REVERSED' } });
    expect(await h.invoice('CAP0REVERS01')).toMatchObject({ status: 'paid', amount_refunded: 4000 });
  });
});

describe('PayPal invoices (Invoicing v2)', () => {
  it('follows an invoice from draft to sent to paid to refunded, with due date and payer page', async () => {
    const h = await paypalHarness(certs);
    const acme = await h.tenant('Acme', 'tenant-acme');
    const base = { id: 'INV2-TEST-0001', currency: 'EUR', total: '120.00', tax: '19.16', reference: 'tenant-acme', number: 'ACME-0001' };
    await ok(h, invoiceEvent('CREATED', { ...base, status: 'DRAFT', at: '2026-03-15T10:00:00Z' }));
    await ok(h, invoiceEvent('SENT', { ...base, status: 'SENT', due: '120.00', at: '2026-03-15T11:00:00Z' }));
    let inv = await h.invoice('INV2-TEST-0001');
    expect(inv).toMatchObject({
      tenant_id: acme,
      number: 'ACME-0001',
      status: 'open',
      total: 12000,
      tax: 1916,
      amount_remaining: 12000,
      hosted_url: 'https://www.paypal.com/invoice/p/#INV2-TEST-0001',
    });
    expect(inv!.due_date!.toISOString()).toBe('2026-04-14T00:00:00.000Z');
    await ok(h, invoiceEvent('PAID', { ...base, status: 'PAID', paid: '120.00', due: '0.00', at: '2026-03-20T10:00:00Z' }));
    await ok(h, invoiceEvent('REFUNDED', { ...base, status: 'PARTIALLY_REFUNDED', paid: '120.00', due: '0.00', refunded: '20.00', at: '2026-03-25T10:00:00Z' }));
    inv = await h.invoice('INV2-TEST-0001');
    expect(inv).toMatchObject({ status: 'paid', amount_paid: 12000, amount_remaining: 0, amount_refunded: 2000 });
    expect(await h.history(inv!.id)).toEqual(['∅→draft', 'draft→open', 'open→paid', 'paid→paid (refunded 2000 eur (2000 in all))']);
    expect((await h.events()).every((e) => e.invoice_id === inv!.id && e.tenant_id === acme)).toBe(true);
  });

  it('accepts the flat shape, derives the due date from a NET term, and voids a cancelled invoice', async () => {
    const h = await paypalHarness(certs);
    const common = { id: 'INV2-FLAT-0001', currency: 'JPY', total: '5000', invoice_date: '2026-03-01', term: { term_type: 'NET_10' }, flat: true };
    await ok(h, invoiceEvent('SCHEDULED', { ...common, status: 'SCHEDULED', at: '2026-03-01T00:00:00Z' }));
    expect(await h.invoice('INV2-FLAT-0001')).toMatchObject({ status: 'draft', currency: 'jpy', total: 5000 });
    expect((await h.invoice('INV2-FLAT-0001'))!.due_date!.toISOString()).toBe('2026-03-11T00:00:00.000Z');
    await ok(h, invoiceEvent('UPDATED', { ...common, status: 'UNPAID', at: '2026-03-02T00:00:00Z' }));
    await ok(h, invoiceEvent('CANCELLED', { ...common, status: 'CANCELLED', at: '2026-03-03T00:00:00Z' }));
    expect(await h.invoice('INV2-FLAT-0001')).toMatchObject({ status: 'void', amount_remaining: 0 });
  });

  it('refuses an invoice whose amounts mix currencies', async () => {
    const h = await paypalHarness(certs);
    const e = invoiceEvent('PAID', { id: 'INV2-MIX-0001', status: 'PAID', currency: 'EUR', total: '10.00', paid: '10.00', at: '2026-03-01T00:00:00Z' });
    (e.resource as any).invoice.payments.paid_amount.currency_code = 'USD';
    expect((await h.post(e)).status).toBe(400);
    expect(await h.events()).toEqual([]);
  });
});

describe('PayPal past-due subscriptions', () => {
  const sub = { id: 'I-PASTDUE001', custom_id: 'tenant-late', payer_id: 'PAYERLATE1' };

  it('shows a failed payment as past due with the outstanding balance until a later sale pays it', async () => {
    const h = await paypalHarness(certs);
    const late = await h.tenant('Late', 'tenant-late');
    await ok(h, subscriptionEvent('ACTIVATED', { ...sub, status: 'ACTIVE', outstanding: ['0.00', 'EUR'], at: '2026-03-02T10:00:00Z' }));
    expect(await h.invoice(`${sub.id}:outstanding`)).toBeUndefined();
    await ok(h, subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['29.00', 'EUR'], failed_payments_count: 1, at: '2026-04-02T10:05:00Z' }));
    let owed = await h.invoice(`${sub.id}:outstanding`);
    expect(owed).toMatchObject({
      tenant_id: late,
      subscription_id: sub.id,
      customer_id: 'PAYERLATE1',
      status: 'open',
      past_due: true,
      payment_failed: true,
      currency: 'eur',
      total: 2900,
      amount_remaining: 2900,
    });
    const failedEvent = (await h.events()).find((e) => e.type === 'BILLING.SUBSCRIPTION.PAYMENT.FAILED');
    expect(failedEvent).toMatchObject({ invoice_id: owed!.id, tenant_id: late });

    // a second failure raises the balance on the same invoice
    await ok(h, subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['58.00', 'EUR'], failed_payments_count: 2, at: '2026-04-07T10:05:00Z' }));
    expect(await h.invoice(`${sub.id}:outstanding`)).toMatchObject({ status: 'open', past_due: true, total: 5800 });

    await ok(h, saleEvent('COMPLETED', { id: 'SALE0LATE001', subscription: sub.id, total: '58.00', currency: 'EUR', at: '2026-04-08T09:00:00Z' }));
    owed = await h.invoice(`${sub.id}:outstanding`);
    expect(owed).toMatchObject({ status: 'paid', past_due: false, amount_paid: 5800, amount_remaining: 0 });
    expect(await h.history(owed!.id)).toEqual(['∅→open', 'open→past_due (payment failed)', 'past_due→paid']);
    expect(await h.invoice('SALE0LATE001')).toMatchObject({ status: 'paid', tenant_id: late });

    // the next failure starts a new past-due invoice; cancelling voids it
    await ok(h, subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['29.00', 'EUR'], failed_payments_count: 1, at: '2026-05-02T10:05:00Z' }));
    expect(await h.invoice(`${sub.id}:outstanding:2`)).toMatchObject({ status: 'open', past_due: true, total: 2900 });
    await ok(h, subscriptionEvent('CANCELLED', { ...sub, status: 'CANCELLED', outstanding: ['29.00', 'EUR'], at: '2026-05-10T08:00:00Z' }));
    const second = await h.invoice(`${sub.id}:outstanding:2`);
    expect(second).toMatchObject({ status: 'void', past_due: false });
    expect(await h.history(second!.id)).toEqual(['∅→open', 'open→past_due (payment failed)', 'past_due→void']);
    expect((await h.invoice(`${sub.id}:outstanding`))!.status).toBe('paid');
  });

  it('treats a suspension with money owed as past due', async () => {
    const h = await paypalHarness(certs);
    await ok(h, subscriptionEvent('SUSPENDED', { ...sub, status: 'SUSPENDED', outstanding: ['1.500', 'KWD'], failed_payments_count: 3, at: '2026-04-10T00:00:00Z' }));
    expect(await h.invoice(`${sub.id}:outstanding`)).toMatchObject({ status: 'open', past_due: true, currency: 'kwd', total: 1500 });
    // suspended by the merchant with nothing owed: not past due
    await ok(h, subscriptionEvent('SUSPENDED', { id: 'I-PAUSED00001', status: 'SUSPENDED', outstanding: ['0.00', 'USD'], at: '2026-04-10T00:00:00Z' }));
    expect(await h.invoice('I-PAUSED00001:outstanding')).toBeUndefined();
  });

  it('settles the balance when the sale that paid it was delivered before the failure', async () => {
    const h = await paypalHarness(certs);
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0ORDER01', subscription: sub.id, total: '29.00', currency: 'EUR', at: '2026-04-03T10:00:00Z' }));
    await ok(h, subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['29.00', 'EUR'], failed_payments_count: 1, at: '2026-04-02T10:05:00Z' }));
    const owed = await h.invoice(`${sub.id}:outstanding`);
    expect(owed).toMatchObject({ status: 'paid', past_due: false });
    expect(await h.history(owed!.id)).toEqual(['∅→open', 'open→past_due (payment failed)', 'past_due→paid']);
  });

  it('ignores a failure delivered after the cancellation that followed it', async () => {
    const h = await paypalHarness(certs);
    await ok(h, subscriptionEvent('CANCELLED', { ...sub, status: 'CANCELLED', at: '2026-05-10T08:00:00Z' }));
    await ok(h, subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['29.00', 'EUR'], at: '2026-04-02T10:05:00Z' }));
    expect(await h.invoice(`${sub.id}:outstanding`)).toBeUndefined();
    expect(await subscriptionRow(h, sub.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('does not let an older sale settle a newer failure', async () => {
    const h = await paypalHarness(certs);
    await ok(h, subscriptionEvent('PAYMENT.FAILED', { ...sub, status: 'ACTIVE', outstanding: ['29.00', 'EUR'], at: '2026-04-02T10:05:00Z' }));
    await ok(h, saleEvent('COMPLETED', { id: 'SALE0OLDER01', subscription: sub.id, total: '29.00', currency: 'EUR', at: '2026-03-02T10:00:00Z' }));
    expect(await h.invoice(`${sub.id}:outstanding`)).toMatchObject({ status: 'open', past_due: true });
  });
});

describe('PayPal event log', () => {
  it('stores events of unhandled types as ignored', async () => {
    const h = await paypalHarness(certs);
    await ok(h, {
      id: 'WH-UNHANDLED-1',
      event_type: 'CUSTOMER.DISPUTE.CREATED',
      create_time: '2026-04-02T10:00:00Z',
      resource_type: 'dispute',
      resource: { dispute_id: 'PP-D-1' },
    });
    expect(await h.events()).toEqual([
      expect.objectContaining({ event_id: 'WH-UNHANDLED-1', type: 'CUSTOMER.DISPUTE.CREATED', processed: true, ignored: true, tenant_id: null, invoice_id: null }),
    ]);
  });
});
