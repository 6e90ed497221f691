// Invoice line items (issue 13): mapped from the Stripe invoice payload on apply, replaced by a
// newer source, completed through the API (GET /v1/invoices/:id/lines) when the payload's list
// was truncated and a key for the mode exists; shown by GET /api/invoices/:id.
import type Stripe from 'stripe';
import { stripeInvoiceLines, stripeLineKind } from '../../../../backend/gateways/stripe/invoice-lines.js';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { errors, startFakeStripe, type FakeStripe } from '../../../support/fake-stripe.js';
import { lineParent, makeLineItem } from '../../../support/fake-stripe-lines.js';
import { deliver, stripeEvent, stripeInvoice, unix, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());

const withKey = () =>
  createHarness({ env: { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
const withoutKey = () => createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });

const period = { start: unix('2026-10-01T00:00:00Z'), end: unix('2026-11-01T00:00:00Z') };
const list = (data: Stripe.InvoiceLineItem[], hasMore = false, id = 'in_x'): Stripe.ApiList<Stripe.InvoiceLineItem> => ({
  object: 'list',
  data,
  has_more: hasMore,
  url: `/v1/invoices/${id}/lines`,
});

/** Posts the invoice through a signed webhook and answers its ledger id. */
async function applied(h: Harness, invoice: Stripe.Invoice, type: 'invoice.finalized' | 'invoice.updated' = 'invoice.finalized', created = invoice.created) {
  const res = await deliver(h.app, stripeEvent(type, invoice, { account: h.accountId, created }));
  expect(res.status).toBe(200);
  await h.drain();
  const found = await (await h.api('GET', `/api/invoices?q=${invoice.id}`)).json();
  return found.data[0].id as string;
}
const detail = async (h: Harness, id: string, mode = 'test') => {
  const res = await h.api('GET', `/api/invoices/${id}`, undefined, { mode });
  expect(res.status).toBe(200);
  return res.json();
};

describe('Stripe line kinds', () => {
  it.each<[string, Partial<Stripe.InvoiceLineItem> & Record<string, unknown>, string]>([
    ['a subscription item', { parent: lineParent('subscription_item_details') }, 'subscription'],
    ['a one-off invoice item (fee)', { parent: lineParent('invoice_item_details') }, 'fixed'],
    ['a proration', { parent: lineParent('subscription_item_details', true) }, 'adjustment'],
    ['a negative line (credit)', { amount: -500, parent: lineParent('invoice_item_details') }, 'adjustment'],
    ['a metered price (older API versions)', { type: 'subscription', price: { recurring: { usage_type: 'metered' } } }, 'usage'],
    ['a metered plan (older API versions)', { type: 'subscription', plan: { usage_type: 'metered' } }, 'usage'],
    ['an expanded metered price', { pricing: { type: 'price_details', price_details: { price: { recurring: { usage_type: 'metered' } }, product: 'prod_1' }, unit_amount_decimal: '2' } as never }, 'usage'],
    ['a proration (older API versions)', { type: 'subscription', proration: true }, 'adjustment'],
    ['an invoice item (older API versions)', { type: 'invoiceitem' }, 'fixed'],
    ['a line without a parent', {}, 'item'],
  ])('%s is %s', (_what, over, kind) => {
    expect(stripeLineKind(makeLineItem(over as Partial<Stripe.InvoiceLineItem>))).toBe(kind);
  });

  it('adds discounts as adjustments and each tax as its own line, after the items', () => {
    const invoice = stripeInvoice({
      lines: list([makeLineItem({ amount: 9000, description: 'Pro plan', quantity: 3, period })]),
      total_discount_amounts: [{ amount: 500, discount: 'di_1' }],
      total_taxes: [
        { amount: 800, tax_behavior: 'exclusive', tax_rate_details: null, taxability_reason: 'standard_rated', taxable_amount: 8500, type: 'tax_rate_details' },
        { amount: 100, tax_behavior: 'inclusive', tax_rate_details: null, taxability_reason: 'standard_rated', taxable_amount: 8500, type: 'tax_rate_details' },
      ],
    });
    const { lines, hasMore } = stripeInvoiceLines(invoice);
    expect(hasMore).toBe(false);
    expect(lines.map((l) => [l.kind, l.description, l.amount, l.origin])).toEqual([
      ['item', 'Pro plan', 9000, 'line'],
      ['adjustment', 'Discount', -500, 'invoice'],
      ['tax', 'Tax', 800, 'invoice'],
      ['tax', 'Tax (included)', 100, 'invoice'],
    ]);
    const legacy = { ...invoice, total_taxes: undefined, total_tax_amounts: [{ amount: 700, inclusive: false }] } as unknown as Stripe.Invoice;
    expect(stripeInvoiceLines(legacy).lines.filter((l) => l.kind === 'tax').map((l) => l.amount)).toEqual([700]);
  });
});

describe('GET /api/invoices/:id lines', () => {
  it('shows the payload’s lines with their fields, then tax', async () => {
    const h = withoutKey();
    const invoice = stripeInvoice({
      lines: list([
        makeLineItem({ description: 'Growth plan', amount: 5000, quantity: 1, period, parent: lineParent('subscription_item_details') }),
        makeLineItem({ description: 'Calls × contracted rate', amount: 3000, quantity: 1200, period, type: 'subscription', price: { recurring: { usage_type: 'metered' } } } as never),
        makeLineItem({ description: 'Setup fee', amount: 1500, quantity: 1, period, parent: lineParent('invoice_item_details') }),
        makeLineItem({ description: 'Outage credit', amount: -500, quantity: 1, period, parent: lineParent('invoice_item_details') }),
      ]),
    });
    const id = await applied(h, invoice);
    const body = await detail(h, id);
    expect(body.lines).toEqual([
      { description: 'Growth plan', quantity: 1, amount: 5000, currency: 'usd', period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-11-01T00:00:00.000Z', kind: 'subscription' },
      { description: 'Calls × contracted rate', quantity: 1200, amount: 3000, currency: 'usd', period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-11-01T00:00:00.000Z', kind: 'usage' },
      { description: 'Setup fee', quantity: 1, amount: 1500, currency: 'usd', period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-11-01T00:00:00.000Z', kind: 'fixed' },
      { description: 'Outage credit', quantity: 1, amount: -500, currency: 'usd', period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-11-01T00:00:00.000Z', kind: 'adjustment' },
      { description: 'Tax', quantity: null, amount: 1000, currency: 'usd', period_start: null, period_end: null, kind: 'tax' },
    ]);
    // another account sees nothing of it
    expect((await withoutKey().api('GET', `/api/invoices/${id}`)).status).toBe(404);
  });

  it('replaces the set when a newer event applies, and keeps it for an older one', async () => {
    const h = withoutKey();
    const first = stripeInvoice({ lines: list([makeLineItem({ description: 'Draft line', amount: 100 })]) });
    const id = await applied(h, first);
    const newer = { ...first, lines: list([makeLineItem({ description: 'Final A' }), makeLineItem({ description: 'Final B' })]) };
    await applied(h, newer, 'invoice.updated', first.created + 60);
    const older = { ...first, lines: list([makeLineItem({ description: 'Stale' })]) };
    await applied(h, older, 'invoice.updated', first.created + 30);
    const body = await detail(h, id);
    expect(body.lines.map((l: { description: string }) => l.description)).toEqual(['Final A', 'Final B', 'Tax']);
  });

  it('fetches the full list through the Stripe API on first read when the payload was truncated, once', async () => {
    const h = withKey();
    const all = Array.from({ length: 130 }, (_, i) => makeLineItem({ description: `Seat ${i + 1}`, amount: 100, parent: lineParent('subscription_item_details') }));
    const full = stripeInvoice({ lines: list(all, false) });
    fake.seedInvoices(h.accountId, [full]);
    const id = await applied(h, { ...full, lines: list(all.slice(0, 10), true, full.id) });
    const calls = () => fake.requests.filter((r) => r.path === `/v1/invoices/${full.id}/lines`);
    expect(calls()).toHaveLength(0); // nothing fetched while applying the webhook

    const body = await detail(h, id);
    expect(body.lines).toHaveLength(131);
    expect(body.lines[129]).toMatchObject({ description: 'Seat 130', kind: 'subscription' });
    expect(body.lines[130]).toMatchObject({ kind: 'tax', amount: 1000 });
    expect(calls()).toHaveLength(2); // 100 + 30
    expect(calls().every((r) => r.stripeAccount === h.accountId)).toBe(true);

    expect((await detail(h, id)).lines).toHaveLength(131);
    expect(calls()).toHaveLength(2);
  });

  it('shows the truncated list without a key, or with a key of the other mode, and calls nothing', async () => {
    const h = withoutKey();
    const all = Array.from({ length: 12 }, (_, i) => makeLineItem({ description: `L${i}` }));
    const full = stripeInvoice({ lines: list(all) });
    const id = await applied(h, { ...full, lines: list(all.slice(0, 10), true, full.id) });
    expect((await detail(h, id)).lines).toHaveLength(11);

    const live = withKey(); // a sk_test_ key: a live-mode read must not use it
    const liveInvoice = stripeInvoice({ lines: list(all.slice(0, 10), true) });
    fake.seedInvoices(live.accountId, [{ ...liveInvoice, lines: list(all) }]);
    const res = await deliver(live.app, stripeEvent('invoice.finalized', liveInvoice, { account: live.accountId, livemode: true }));
    expect(res.status).toBe(200);
    await live.drain();
    const found = await (await live.api('GET', `/api/invoices?q=${liveInvoice.id}`, undefined, { mode: 'live' })).json();
    expect((await detail(live, found.data[0].id, 'live')).lines).toHaveLength(11);
    expect(fake.requests.filter((r) => r.path === `/v1/invoices/${liveInvoice.id}/lines`)).toHaveLength(0);
  });

  it('answers with the truncated list when Stripe fails, and completes it on a later read', async () => {
    const h = withKey();
    const all = Array.from({ length: 15 }, (_, i) => makeLineItem({ description: `L${i}` }));
    const full = stripeInvoice({ lines: list(all) });
    fake.seedInvoices(h.accountId, [full]);
    const id = await applied(h, { ...full, lines: list(all.slice(0, 10), true, full.id) });
    const remove = fake.addFault((req) => (req.path === `/v1/invoices/${full.id}/lines` ? errors.api(500, 'boom', false) : undefined));
    expect((await detail(h, id)).lines).toHaveLength(11);
    remove();
    expect((await detail(h, id)).lines).toHaveLength(16);
  });
});
