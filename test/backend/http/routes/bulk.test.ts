// Bulk invoice actions (POST /api/invoices/bulk) against the fake Stripe API: dry runs, applies,
// refusals, repeated requests, and one invoice's Stripe error among others.
import type Stripe from 'stripe';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { makeCustomer, makeInvoice, startFakeStripe, type FakeStripe } from '../../../support/fake-stripe.js';
import { DECLINING_CARD, invoicingRoutes } from '../../../support/fake-stripe-invoicing.js';
import { harnessScope, seedInvoice } from '../../../support/ledger-seed.js';
import { deliver, stripeEvent, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe({ routes: invoicingRoutes() });
});
afterAll(() => fake.close());

const json = (res: Response) => res.json() as Promise<any>;

function harness(): Harness {
  return createHarness({
    env: { STRIPE_SECRET_KEY: `${fake.liveSecretKey},${fake.secretKey}`, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
}

/** An invoice at the fake Stripe and, through a signed webhook, in the ledger. */
async function stripeInvoice(h: Harness, fields: Partial<Stripe.Invoice> = {}, customerFields: Partial<Stripe.Customer> = {}) {
  const customer = makeCustomer(customerFields);
  const invoice = makeInvoice({ customer: customer.id, status: 'open', total: 5000, created: Math.floor(Date.now() / 1000) - 3600, ...fields });
  fake.seedCustomers(h.accountId, [customer]);
  fake.seedInvoices(h.accountId, [invoice]);
  const event = stripeEvent('invoice.finalized', invoice, { account: h.accountId, created: invoice.created });
  expect((await deliver(h.app, event)).status).toBe(200);
  await h.drain();
  const list = await json(await h.api('GET', `/api/invoices?q=${invoice.id}`));
  return { id: list.data[0].id as string, stripeId: invoice.id!, number: invoice.number };
}

const bulk = (h: Harness, body: unknown, key?: string) =>
  h.api('POST', '/api/invoices/bulk', body, key ? { headers: { 'idempotency-key': key } } : {});

const stripeCalls = (stripeId: string) => fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/v1/invoices/${stripeId}/`));

const CASES = [
  { action: 'retry', stripePath: 'pay', fields: { collection_method: 'charge_automatically' as const }, status: 'paid' },
  { action: 'void', stripePath: 'void', fields: {}, status: 'void' },
  { action: 'mark-uncollectible', stripePath: 'mark_uncollectible', fields: {}, status: 'uncollectible' },
  { action: 'send-reminder', stripePath: 'send', fields: { collection_method: 'send_invoice' as const }, status: 'open' },
];

describe('POST /api/invoices/bulk', () => {
  for (const c of CASES) {
    it(`${c.action}: the dry run says would_apply and calls nothing; the apply acts on each, in order, with audit rows`, async () => {
      const h = harness();
      const a = await stripeInvoice(h, c.fields);
      const b = await stripeInvoice(h, c.fields);

      const dry = await bulk(h, { action: c.action, invoice_ids: [b.id, a.id], dry_run: true });
      expect(dry.status).toBe(200);
      expect((await json(dry)).data).toEqual([
        expect.objectContaining({ invoice_id: b.id, number: b.number, outcome: 'would_apply', reason: null }),
        expect.objectContaining({ invoice_id: a.id, number: a.number, outcome: 'would_apply', reason: null }),
      ]);
      expect([...stripeCalls(a.stripeId), ...stripeCalls(b.stripeId)]).toEqual([]);

      const applied = await bulk(h, { action: c.action, invoice_ids: [b.id, a.id], dry_run: false }, `bulk-${c.action}-1`);
      expect(applied.status).toBe(200);
      const data = (await json(applied)).data;
      expect(data.map((r: any) => [r.invoice_id, r.outcome, r.reason, r.invoice.status])).toEqual([
        [b.id, 'applied', null, c.status],
        [a.id, 'applied', null, c.status],
      ]);
      for (const inv of [a, b]) {
        const calls = stripeCalls(inv.stripeId);
        expect(calls.map((r) => r.path)).toEqual([`/v1/invoices/${inv.stripeId}/${c.stripePath}`]);
        expect(calls[0].stripeAccount).toBe(h.accountId);
      }
      // one key per invoice
      expect(stripeCalls(a.stripeId)[0].idempotencyKey).not.toBe(stripeCalls(b.stripeId)[0].idempotencyKey);
      const audit = await json(await h.api('GET', '/api/audit?outcome=succeeded'));
      expect(audit.data.map((e: any) => e.invoice_id).sort()).toEqual([a.id, b.id].sort());
      expect(audit.data.every((e: any) => e.action === c.action.replace('-', '_'))).toBe(true);
    });
  }

  it('refuses what the single action would refuse, with the reason: wrong status, PayPal, another account', async () => {
    const h = harness();
    const paid = await stripeInvoice(h, { status: 'paid' });
    const open = await stripeInvoice(h);
    const paypal = await seedInvoice(h.sql, harnessScope(h), { gateway: 'paypal', external_id: 'INV2-BULK-0001', status: 'open' });
    const other = harness();
    const foreign = await stripeInvoice(other);
    const missing = '00000000-0000-4000-8000-000000000000';
    const ids = [paid.id, paypal, foreign.id, open.id, missing];

    for (const dry_run of [true, false]) {
      const res = await bulk(h, { action: 'void', invoice_ids: ids, dry_run }, 'refusals-1');
      expect(res.status).toBe(200);
      const data = (await json(res)).data;
      expect(data.map((r: any) => r.invoice_id)).toEqual(ids);
      expect(data[0]).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/already paid/) });
      expect(data[1]).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/PayPal invoices can’t be voided from here/) });
      // another account's invoice reads exactly like one that does not exist
      expect(data[2]).toEqual({ invoice_id: foreign.id, number: null, outcome: 'refused', reason: 'not found', invoice: null });
      expect(data[4]).toEqual({ invoice_id: missing, number: null, outcome: 'refused', reason: 'not found', invoice: null });
      expect(data[3]).toMatchObject({ outcome: dry_run ? 'would_apply' : 'applied', reason: null });
    }
    expect(stripeCalls(paid.stripeId)).toEqual([]);
    expect(stripeCalls(foreign.stripeId)).toEqual([]);
    expect((await json(await other.api('GET', `/api/invoices/${foreign.id}`))).status).toBe('open');
    // the refusals of the apply are audited as failed attempts, like single actions
    const failed = await json(await h.api('GET', '/api/audit?outcome=failed'));
    expect(failed.data.map((e: any) => e.invoice_id).sort()).toEqual([paid.id, paypal].sort());
  });

  it('a repeated request never charges twice: applied ones come back applied from the first result', async () => {
    const h = harness();
    const a = await stripeInvoice(h, { collection_method: 'charge_automatically' });
    const b = await stripeInvoice(h, { collection_method: 'charge_automatically' });
    const body = { action: 'retry', invoice_ids: [a.id, b.id], dry_run: false };

    const first = (await json(await bulk(h, body, 'retry-all-7'))).data;
    const again = (await json(await bulk(h, body, 'retry-all-7'))).data;
    expect(first.map((r: any) => r.outcome)).toEqual(['applied', 'applied']);
    expect(again.map((r: any) => [r.outcome, r.invoice.status])).toEqual([
      ['applied', 'paid'],
      ['applied', 'paid'],
    ]);
    // a third time, concurrently with a fourth
    const more = await Promise.all([bulk(h, body, 'retry-all-7'), bulk(h, body, 'retry-all-7')]);
    for (const r of more) expect((await json(r)).data.map((x: any) => x.outcome)).toEqual(['applied', 'applied']);
    for (const inv of [a, b]) {
      // charge attempts as the fake Stripe API counts them
      expect(fake.account(h.accountId).invoices.get(inv.stripeId)!.attempt_count).toBe(1);
      expect(stripeCalls(inv.stripeId)).toHaveLength(1);
    }
    const audit = await json(await h.api('GET', '/api/audit?action=retry'));
    expect(audit.data).toHaveLength(2);
  });

  it('a retry that Stripe replays (the ledger had not heard of the first) is applied without a second charge', async () => {
    const h = harness();
    const a = await stripeInvoice(h, { collection_method: 'charge_automatically' });
    const body = { action: 'retry', invoice_ids: [a.id], dry_run: false };
    expect((await json(await bulk(h, body, 'replay-1'))).data[0].outcome).toBe('applied');
    // forget our record, as after a crash between Stripe's answer and it: Stripe's key still holds
    await h.sql`DELETE FROM bulk_action_results WHERE account_id = ${h.accountId}`;
    await h.sql`UPDATE invoices SET status = 'open', amount_remaining = 5000 WHERE id = ${a.id}`;
    const again = (await json(await bulk(h, body, 'replay-1'))).data[0];
    expect(again).toMatchObject({ outcome: 'applied', invoice: expect.objectContaining({ status: 'paid' }) });
    expect(fake.account(h.accountId).invoices.get(a.stripeId)!.attempt_count).toBe(1);
    const calls = stripeCalls(a.stripeId);
    expect(calls).toHaveLength(2);
    expect(calls[0].idempotencyKey).toBe(calls[1].idempotencyKey);
  });

  it('a Stripe error on one invoice fails that one and the others go on', async () => {
    const h = harness();
    const ok1 = await stripeInvoice(h, { collection_method: 'charge_automatically' });
    const declined = await stripeInvoice(h, { collection_method: 'charge_automatically' }, { metadata: DECLINING_CARD });
    const ok2 = await stripeInvoice(h, { collection_method: 'charge_automatically' });
    // Stripe knows better than the ledger: voided there, still open here.
    const stale = await stripeInvoice(h, { collection_method: 'charge_automatically' });
    fake.account(h.accountId).invoices.get(stale.stripeId)!.status = 'void';

    const res = await bulk(h, { action: 'retry', invoice_ids: [ok1.id, declined.id, stale.id, ok2.id], dry_run: false }, 'mixed-1');
    expect(res.status).toBe(200);
    const data = (await json(res)).data;
    expect(data.map((r: any) => r.outcome)).toEqual(['applied', 'failed', 'failed', 'applied']);
    expect(data[1].reason).toBe('Your card has insufficient funds.');
    expect(data[1].invoice.status).toBe('open');
    expect(data[2].reason).toMatch(/only pay an open invoice/);
    expect(data[3].invoice.status).toBe('paid');
    const failed = await json(await h.api('GET', '/api/audit?outcome=failed'));
    expect(failed.data.map((e: any) => e.invoice_id).sort()).toEqual([declined.id, stale.id].sort());
  });

  it('acts at most 4 at a time', async () => {
    const h = harness();
    const invoices = [];
    for (let i = 0; i < 6; i++) invoices.push(await stripeInvoice(h));
    const ours = new Set(invoices.map((i) => `/v1/invoices/${i.stripeId}/void`));
    const held = fake.hold((r) => ours.has(r.path), 6);
    const pending = bulk(h, { action: 'void', invoice_ids: invoices.map((i) => i.id), dry_run: false }, 'limit-1');
    await held.reached;
    // wait until the first wave is in (condition with a deadline, no fixed sleep)
    const deadline = Date.now() + 5000;
    while (fake.requests.filter((r) => ours.has(r.path)).length < 4 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    // a full round trip through the service later, still only the first wave
    await bulk(h, { action: 'void', invoice_ids: [invoices[0].id], dry_run: true });
    expect(fake.requests.filter((r) => ours.has(r.path))).toHaveLength(4);
    held.release();
    const data = (await json(await pending)).data;
    expect(data.map((r: any) => r.outcome)).toEqual(Array(6).fill('applied'));
  });

  it('validates the request: 1–100 unique uuids, a known action; 503 for an apply without a key for the mode', async () => {
    const h = harness();
    const a = await stripeInvoice(h);
    const bad = [
      { action: 'void', invoice_ids: [] },
      { action: 'void', invoice_ids: Array.from({ length: 101 }, () => crypto.randomUUID()) },
      { action: 'void', invoice_ids: [a.id, a.id] },
      { action: 'void', invoice_ids: ['in_123'] },
      { action: 'refund', invoice_ids: [a.id] },
      { action: 'void', invoice_ids: [a.id], dry_run: 'yes' },
      { action: 'void', invoice_ids: [a.id], extra: 1 },
    ];
    for (const body of bad) {
      const res = await bulk(h, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: 'invalid_request', request_id: expect.any(String) });
    }
    const unconfigured = createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    const dry = await unconfigured.api('POST', '/api/invoices/bulk', { action: 'void', invoice_ids: [a.id], dry_run: true });
    expect((await json(dry)).data[0]).toMatchObject({ outcome: 'refused', reason: 'not found' });
    const res = await unconfigured.api('POST', '/api/invoices/bulk', { action: 'void', invoice_ids: [a.id] });
    expect(res.status).toBe(503);
    expect((await json(res)).error.code).toBe('stripe_not_configured');
    expect(stripeCalls(a.stripeId)).toEqual([]);
  });
});
