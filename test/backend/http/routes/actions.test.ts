// Invoice actions, one-time invoices and the audit log, against the fake Stripe API.
import type Stripe from 'stripe';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { makeCustomer, makeInvoice, startFakeStripe, type FakeStripe } from '../../../support/fake-stripe.js';
import { DECLINING_CARD, invoicingRoutes } from '../../../support/fake-stripe-invoicing.js';
import { seedInvoice, harnessScope } from '../../../support/ledger-seed.js';
import { deliver, stripeEvent, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe({ routes: invoicingRoutes() });
});
afterAll(() => fake.close());

const json = (res: Response) => res.json() as Promise<any>;

/** A backend with a key for each mode (or only a test key). */
function harness(keys: 'both' | 'test' = 'both'): Harness {
  const key = keys === 'both' ? `${fake.liveSecretKey},${fake.secretKey}` : fake.secretKey;
  return createHarness({ env: { STRIPE_SECRET_KEY: key, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
}

/** An invoice that exists at the fake Stripe and, through a signed webhook, in the ledger. */
async function stripeInvoiceInLedger(
  h: Harness,
  fields: Partial<Stripe.Invoice> = {},
  customerFields: Partial<Stripe.Customer> = {},
  opts: { livemode?: boolean } = {},
) {
  const mode = opts.livemode ? 'live' : 'test';
  const customer = makeCustomer(customerFields);
  const invoice = makeInvoice({ customer: customer.id, status: 'open', total: 5000, created: Math.floor(Date.now() / 1000) - 3600, ...fields });
  fake.seedCustomers(h.accountId, [customer]);
  fake.seedInvoices(h.accountId, [invoice]);
  const event = stripeEvent('invoice.finalized', { ...invoice, livemode: !!opts.livemode }, {
    account: h.accountId,
    created: invoice.created,
    livemode: !!opts.livemode,
  });
  const res = await deliver(h.app, event);
  expect(res.status).toBe(200);
  const list = await json(await h.api('GET', `/api/invoices?q=${invoice.id}`, undefined, { mode }));
  return { id: list.data[0].id as string, stripeId: invoice.id!, customer };
}

const actionCalls = (stripeId: string, action: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${stripeId}/${action}`);

describe('invoice actions', () => {
  it('voids an open invoice through Stripe, at once in the ledger, history and audit', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h);
    const res = await h.api('POST', `/api/invoices/${inv.id}/void`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.action).toBe('void');
    expect(body.invoice.status).toBe('void');
    expect(body.invoice.history.at(-1)).toMatchObject({ from_status: 'open', to_status: 'void', source: 'user:usr_test' });
    const [call] = actionCalls(inv.stripeId, 'void');
    expect(call.stripeAccount).toBe(h.accountId);
    expect(call.idempotencyKey).toMatch(/^tb:void:/);
    const audit = await json(await h.api('GET', '/api/audit'));
    expect(audit.data[0]).toMatchObject({ action: 'void', invoice_id: inv.id, user_id: 'usr_test', outcome: 'succeeded' });
  });

  it('marks uncollectible, then voids the uncollectible invoice', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h);
    expect((await json(await h.api('POST', `/api/invoices/${inv.id}/mark-uncollectible`))).invoice.status).toBe('uncollectible');
    expect((await json(await h.api('POST', `/api/invoices/${inv.id}/void`))).invoice.status).toBe('void');
  });

  it('retries a payment: paid, with the revenue in the stats', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h, { collection_method: 'charge_automatically' });
    const res = await h.api('POST', `/api/invoices/${inv.id}/retry`);
    expect(res.status).toBe(200);
    expect((await json(res)).invoice).toMatchObject({ status: 'paid', amount_paid: 5000, amount_remaining: 0 });
    const stats = await json(await h.api('GET', '/api/stats'));
    expect(stats.currencies).toEqual([expect.objectContaining({ currency: 'usd', total_revenue: 5000, pending_amount: 0 })]);
  });

  it('reports a declined card as 402 with Stripe’s message and request id, and audits the failure', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h, { collection_method: 'charge_automatically' }, { metadata: DECLINING_CARD });
    const res = await h.api('POST', `/api/invoices/${inv.id}/retry`);
    expect(res.status).toBe(402);
    const err = (await json(res)).error;
    expect(err).toMatchObject({ code: 'card_declined', message: 'Your card has insufficient funds.' });
    expect(err.details.stripe_request_id).toMatch(/^req_/);
    expect(err.request_id).toMatch(/^req_/);
    expect((await json(await h.api('GET', `/api/invoices/${inv.id}`))).status).toBe('open');
    const audit = await json(await h.api('GET', '/api/audit?outcome=failed'));
    expect(audit.data[0]).toMatchObject({ action: 'retry', outcome: 'failed' });
    expect(audit.data[0].detail.code).toBe('card_declined');
  });

  it('refuses actions the invoice’s status does not allow with 409, before calling Stripe', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h, { status: 'paid' });
    for (const action of ['retry', 'void', 'mark-uncollectible', 'send-reminder']) {
      const res = await h.api('POST', `/api/invoices/${inv.id}/${action}`);
      expect(res.status).toBe(409);
      expect((await json(res)).error.message).toMatch(/paid/);
    }
    expect(fake.requests.filter((r) => r.path.startsWith(`/v1/invoices/${inv.stripeId}/`))).toEqual([]);
  });

  it('sends a reminder only for send_invoice collection, recorded in the history', async () => {
    const h = harness();
    const manual = await stripeInvoiceInLedger(h, { collection_method: 'send_invoice' });
    const res = await h.api('POST', `/api/invoices/${manual.id}/send-reminder`);
    expect(res.status).toBe(200);
    expect((await json(res)).invoice.history.at(-1)).toMatchObject({ note: 'reminder sent', source: 'user:usr_test' });
    expect(actionCalls(manual.stripeId, 'send')).toHaveLength(1);

    const auto = await stripeInvoiceInLedger(h, { collection_method: 'charge_automatically' });
    const refused = await h.api('POST', `/api/invoices/${auto.id}/send-reminder`);
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.message).toMatch(/send_invoice/);
  });

  it('acts once under a double click and never charges twice', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h, { collection_method: 'charge_automatically' });
    const answers = await Promise.all([
      h.api('POST', `/api/invoices/${inv.id}/retry`),
      h.api('POST', `/api/invoices/${inv.id}/retry`),
    ]);
    // The second click either replays Stripe's answer (same key) or finds the invoice already paid.
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const calls = actionCalls(inv.stripeId, 'pay');
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(fake.account(h.accountId).invoices.get(inv.stripeId)!.attempt_count).toBe(1);
    expect((await json(await h.api('GET', `/api/invoices/${inv.id}`))).status).toBe('paid');
  });

  it('replays the first answer when the app resends its idempotency key', async () => {
    const h = harness();
    const inv = await stripeInvoiceInLedger(h);
    const headers = { 'idempotency-key': 'click-42' };
    const first = await h.api('POST', `/api/invoices/${inv.id}/mark-uncollectible`, undefined, { headers });
    expect(first.status).toBe(200);
    const second = await h.api('POST', `/api/invoices/${inv.id}/mark-uncollectible`, undefined, { headers });
    // Refused before Stripe: the ledger already shows the result of the first click.
    expect(second.status).toBe(409);
    expect(actionCalls(inv.stripeId, 'mark_uncollectible')).toHaveLength(1);
  });

  it('refuses Stripe actions on PayPal invoices with 409', async () => {
    const h = harness();
    const invoiceId = await seedInvoice(h.sql, harnessScope(h), { gateway: 'paypal', external_id: 'INV2-AAAA-BBBB', status: 'open' });
    const res = await h.api('POST', `/api/invoices/${invoiceId}/void`);
    expect(res.status).toBe(409);
    expect((await json(res)).error.message).toMatch(/only available for Stripe invoices/);
  });

  it('answers 404 for another account’s invoice and 503 without a Stripe key', async () => {
    const owner = harness();
    const inv = await stripeInvoiceInLedger(owner);
    const intruder = harness();
    expect((await intruder.api('POST', `/api/invoices/${inv.id}/void`)).status).toBe(404);
    expect((await owner.api('POST', `/api/invoices/${inv.id}/void`, undefined, { mode: 'live' })).status).toBe(404);
    expect(actionCalls(inv.stripeId, 'void')).toHaveLength(0);

    const unconfigured = createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    const res = await unconfigured.api('POST', `/api/invoices/${inv.id}/void`);
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('stripe_not_configured');
  });
});

// Issue 12, "What was seen" 4: one key served both modes.
describe('per-mode Stripe keys', () => {
  it('voids a test-mode invoice with the test key and a live-mode one with the live key', async () => {
    const h = harness('both');
    const testInv = await stripeInvoiceInLedger(h);
    expect((await h.api('POST', `/api/invoices/${testInv.id}/void`)).status).toBe(200);
    expect(actionCalls(testInv.stripeId, 'void').map((r) => r.apiKey)).toEqual([fake.secretKey]);

    const liveInv = await stripeInvoiceInLedger(h, {}, {}, { livemode: true });
    const res = await h.api('POST', `/api/invoices/${liveInv.id}/void`, undefined, { mode: 'live' });
    expect(res.status).toBe(200);
    expect(actionCalls(liveInv.stripeId, 'void').map((r) => r.apiKey)).toEqual([fake.liveSecretKey]);
  });

  it('answers 503 stripe_not_configured naming the mode when only the other mode has a key', async () => {
    const h = harness('test');
    const liveInv = await stripeInvoiceInLedger(h, {}, {}, { livemode: true });
    const res = await h.api('POST', `/api/invoices/${liveInv.id}/void`, undefined, { mode: 'live' });
    expect(res.status).toBe(503);
    const { error } = await json(res);
    expect(error.code).toBe('stripe_not_configured');
    expect(error.message).toMatch(/no Stripe key for live mode/);
    expect(JSON.stringify(error)).not.toContain(fake.secretKey);
    expect(actionCalls(liveInv.stripeId, 'void')).toHaveLength(0);
    const oneTime = await h.api(
      'POST',
      '/api/one-time-invoices',
      { tenant_ids: [crypto.randomUUID()], currency: 'usd', lines: [{ description: 'x', amount: 100 }], days_until_due: 7 },
      { mode: 'live' },
    );
    expect(oneTime.status).toBe(503);
    expect((await json(oneTime)).error.message).toMatch(/no Stripe key for live mode/);
  });
});

describe('one-time invoices', () => {
  async function tenantWithCustomer(h: Harness, name: string, link = true) {
    const t = await json(await h.api('POST', '/api/tenants', { name }));
    if (link) {
      const customer = makeCustomer({ name });
      fake.seedCustomers(h.accountId, [customer]);
      expect((await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: customer.id })).status).toBe(201);
    }
    return t.id as string;
  }

  const request = (tenant_ids: string[]) => ({
    tenant_ids,
    currency: 'EUR',
    lines: [
      { description: 'Onboarding workshop', amount: 120000 },
      { description: 'Data migration', amount: 30000 },
    ],
    days_until_due: 14,
  });

  it('invoices three tenants, reports the one without a Stripe customer, and creates nothing twice on retry', async () => {
    const h = harness();
    const a = await tenantWithCustomer(h, 'Alpha');
    const b = await tenantWithCustomer(h, 'Beta');
    const c = await tenantWithCustomer(h, 'Gamma', false);
    const send = () => h.api('POST', '/api/one-time-invoices', request([a, b, c]), { headers: { 'idempotency-key': 'batch-1' } });
    const first = await json(await send());
    expect(first.results.map((r: any) => [r.tenant_id, !!r.invoice_id, r.error?.code ?? null])).toEqual([
      [a, true, null],
      [b, true, null],
      [c, false, 'no_stripe_customer'],
    ]);
    const invoices = [...fake.account(h.accountId).invoices.values()];
    expect(invoices).toHaveLength(2);
    for (const inv of invoices) {
      expect(inv).toMatchObject({ status: 'open', currency: 'eur', total: 150000, collection_method: 'send_invoice' });
      expect(inv.due_date! - inv.created).toBe(14 * 86_400);
    }
    const ledger = await json(await h.api('GET', `/api/invoices/${first.results[0].invoice_id}`));
    expect(ledger).toMatchObject({ status: 'open', total: 150000, currency: 'eur', tenant: { id: a, name: 'Alpha' } });

    const again = await json(await send());
    expect(again.results.map((r: any) => r.invoice_id)).toEqual(first.results.map((r: any) => r.invoice_id));
    expect(fake.account(h.accountId).invoices.size).toBe(2);
    const audit = await json(await h.api('GET', '/api/audit?action=one_time_invoice'));
    expect(audit.data.filter((e: any) => e.outcome === 'failed').map((e: any) => e.target)).toContain(c);
  });

  it.each([
    [{ lines: [{ description: 'x', amount: 0 }] }, 'amount'],
    [{ lines: [{ description: 'x', amount: 10.5 }] }, 'amount'],
    [{ lines: [{ description: '', amount: 100 }] }, 'description'],
    [{ lines: [{ description: 'x'.repeat(501), amount: 100 }] }, 'description'],
    [{ currency: 'euro' }, 'currency'],
    [{ tenant_ids: [] }, 'tenant_ids'],
    [{ tenant_ids: ['not-a-uuid'] }, 'tenant'],
    [{ days_until_due: -1 }, 'days_until_due'],
    [{ extra: true }, ''],
  ])('refuses %j with 400 and calls Stripe for nothing', async (override, field) => {
    const h = harness();
    const a = await tenantWithCustomer(h, 'Alpha');
    const before = fake.requests.length;
    const res = await h.api('POST', '/api/one-time-invoices', { ...request([a]), ...override });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain(field);
    expect(fake.requests.length).toBe(before);
  });

  it('treats another account’s tenant as not found', async () => {
    const owner = harness();
    const t = await tenantWithCustomer(owner, 'Owned');
    const intruder = harness();
    const res = await json(await intruder.api('POST', '/api/one-time-invoices', request([t])));
    expect(res.results).toEqual([{ tenant_id: t, invoice_id: null, stripe_invoice_id: null, error: { code: 'not_found', message: 'tenant not found' } }]);
  });
});
