// Every handled Stripe event type, delivered signed through the app, as the Dashboard then sees it.
import type Stripe from 'stripe';
import { replayEvent } from '../../../../backend/domain/events.js';
import { processorFor } from '../../../../backend/gateways/processors.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import {
  deliver,
  newId,
  paid,
  stripeApplication,
  stripeCharge,
  stripeCheckoutSession,
  stripeCustomer,
  stripeEvent,
  stripeInvoice,
  stripeInvoicePayment,
  stripeRefund,
  stripeSubscription,
  subscriptionParent,
  WEBHOOK_SECRET,
  type EventOf,
} from '../../../support/stripe-events.js';

// Reads derive past due from the clock: a fixed one, before the fixtures' due dates (1 Dec 2026).
const harness = (now = '2026-11-20T00:00:00Z') =>
  createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, clock: fakeClock(now) });

/** Delivers a typed event for the harness account at `at` and expects it stored. */
async function send<T extends Stripe.Event['type']>(
  h: Harness,
  type: T,
  object: EventOf<T>['data']['object'],
  at: string,
  opts: { id?: string } = {},
) {
  const event = stripeEvent(type, object, { account: h.accountId, created: at, id: opts.id });
  // signed at the harness clock's time, which the service checks the signature against
  const res = await deliver(h.app, event, { timestamp: Math.floor(h.clock.now().getTime() / 1000) });
  expect(res.status).toBe(200);
  return { event, body: (await res.json()) as { received: boolean; duplicate: boolean; processed: boolean } };
}

async function invoiceOf(h: Harness, externalId: string) {
  const list = await (await h.api('GET', `/api/invoices?q=${externalId}`)).json();
  expect(list.data).toHaveLength(1);
  return (await h.api('GET', `/api/invoices/${list.data[0].id}`)).json();
}

const statuses = (detail: { history: { from_status: string | null; to_status: string }[] }) =>
  detail.history.map((e) => `${e.from_status ?? '-'}>${e.to_status}`);

async function tenant(h: Harness, name: string, externalRef?: string) {
  return (await h.api('POST', '/api/tenants', { name, external_ref: externalRef ?? null })).json();
}

describe('Stripe invoice events', () => {
  it('follows an invoice from draft to paid with its figures and history', async () => {
    const h = harness();
    const customer = newId('cus');
    const sub = newId('sub');
    const draft = stripeInvoice({
      customer,
      status: 'draft',
      collection_method: 'charge_automatically',
      parent: subscriptionParent(sub),
      number: null,
    });
    const created = await send(h, 'invoice.created', draft, '2026-11-01T10:00:00Z');
    const open = { ...draft, status: 'open' as const, number: 'INV-0042' };
    const finalized = await send(h, 'invoice.finalized', open, '2026-11-01T10:05:00Z');
    await send(h, 'invoice.sent', open, '2026-11-01T10:06:00Z');
    await send(h, 'invoice.updated', { ...open, description: 'November' }, '2026-11-01T10:07:00Z');
    const failed = await send(h, 'invoice.payment_failed', { ...open, attempt_count: 1, attempted: true }, '2026-11-02T10:00:00Z');
    const paidEvent = await send(h, 'invoice.paid', paid(open, { attempt_count: 2 }), '2026-11-03T10:00:00Z');
    await send(h, 'invoice.payment_succeeded', paid(open, { attempt_count: 2 }), '2026-11-03T10:00:01Z');

    const inv = await invoiceOf(h, draft.id);
    expect(inv).toMatchObject({
      gateway: 'stripe',
      external_id: draft.id,
      number: 'INV-0042',
      customer_id: customer,
      subscription_id: sub,
      currency: 'usd',
      total: 10_000,
      tax: 1_000,
      amount_due: 10_000,
      amount_paid: 10_000,
      amount_remaining: 0,
      amount_refunded: 0,
      status: 'paid',
      past_due: false,
      collection_method: 'charge_automatically',
      attempt_count: 2,
      hosted_url: draft.hosted_invoice_url,
      pdf_url: draft.invoice_pdf,
      due_date: new Date(draft.due_date! * 1000).toISOString(),
      created_at: new Date(draft.created * 1000).toISOString(),
    });
    expect(statuses(inv)).toEqual(['->draft', 'draft>open', 'open>past_due', 'past_due>paid']);
    expect(inv.history.map((e: { source: string }) => e.source)).toEqual([
      `event:${created.event.id}`,
      `event:${finalized.event.id}`,
      `event:${failed.event.id}`,
      `event:${paidEvent.event.id}`,
    ]);
    expect(inv.history[2].note).toBe('payment failed');
    // Every event of the invoice is linked to it.
    expect(inv.events).toHaveLength(7);
  });

  it('does not mark a send_invoice invoice past due when a payment fails', async () => {
    const h = harness();
    const open = stripeInvoice({ collection_method: 'send_invoice' });
    await send(h, 'invoice.payment_failed', { ...open, attempt_count: 1 }, '2026-11-02T10:00:00Z');
    expect(await invoiceOf(h, open.id)).toMatchObject({ status: 'open', past_due: false, attempt_count: 1 });
  });

  it('shows an invoice past due from the day after its due date, invoice.overdue or not', async () => {
    const h = harness('2026-12-01T23:59:00Z');
    const open = stripeInvoice(); // due 1 Dec 2026 10:00 UTC
    await send(h, 'invoice.finalized', open, '2026-11-01T10:00:00Z');
    expect(await invoiceOf(h, open.id)).toMatchObject({ status: 'open', state: 'open', past_due: false });
    h.clock.set('2026-12-02T00:00:00Z');
    expect(await invoiceOf(h, open.id)).toMatchObject({ status: 'open', state: 'past_due', past_due: true, days_past_due: 1 });
    await send(h, 'invoice.overdue', open, '2026-12-02T06:00:00Z');
    const inv = await invoiceOf(h, open.id);
    expect(inv).toMatchObject({ status: 'open', state: 'past_due', past_due: true });
    // entering past due by due date is recorded by the daily scan, not by the event
    expect(statuses(inv)).toEqual(['->open']);
    expect((await (await h.api('GET', '/api/invoices?status=past_due')).json()).data).toHaveLength(1);
  });

  it('voids, marks uncollectible and deletes', async () => {
    const h = harness();
    const a = stripeInvoice();
    await send(h, 'invoice.finalized', a, '2026-11-01T10:00:00Z');
    await send(h, 'invoice.marked_uncollectible', { ...a, status: 'uncollectible' }, '2026-11-05T10:00:00Z');
    expect(statuses(await invoiceOf(h, a.id))).toEqual(['->open', 'open>uncollectible']);

    const b = stripeInvoice();
    await send(h, 'invoice.voided', { ...b, status: 'void' }, '2026-11-05T10:00:00Z');
    expect(await invoiceOf(h, b.id)).toMatchObject({ status: 'void' });

    const c = stripeInvoice({ status: 'draft' });
    await send(h, 'invoice.created', c, '2026-11-01T10:00:00Z');
    const deleted = await send(h, 'invoice.deleted', c, '2026-11-01T11:00:00Z');
    // A deleted draft leaves the Dashboard lists, yet stays in the ledger with its event.
    expect((await (await h.api('GET', `/api/invoices?q=${c.id}`)).json()).data).toEqual([]);
    const [row] = await h.sql<{ deleted: boolean }[]>`
      SELECT deleted FROM invoices WHERE account_id = ${h.accountId} AND external_id = ${c.id}`;
    expect(row.deleted).toBe(true);
    expect(deleted.body.processed).toBe(true);
  });

  it('reads the older payload shape (invoice.subscription, invoice.tax)', async () => {
    const h = harness();
    const sub = newId('sub');
    const legacy = { ...stripeInvoice({ parent: null, total_taxes: null }), subscription: sub, tax: 700 };
    await send(h, 'invoice.finalized', legacy as Stripe.Invoice, '2026-11-01T10:00:00Z');
    expect(await invoiceOf(h, legacy.id)).toMatchObject({ subscription_id: sub, tax: 700 });
  });

  it('never lets an older event overwrite newer state (out-of-order delivery)', async () => {
    const h = harness();
    const open = stripeInvoice({ amount_paid: 0 });
    await send(h, 'invoice.paid', paid(open), '2026-11-03T10:00:00Z');
    const late = await send(h, 'invoice.finalized', open, '2026-11-01T10:00:00Z');
    await send(h, 'invoice.updated', { ...open, amount_remaining: 10_000 }, '2026-11-02T10:00:00Z');
    const inv = await invoiceOf(h, open.id);
    expect(inv).toMatchObject({ status: 'paid', amount_paid: 10_000, amount_remaining: 0 });
    expect(statuses(inv)).toEqual(['->paid']);
    // The late event is still stored, processed and linked to its invoice.
    expect(late.body).toEqual({ received: true, duplicate: false, processed: true });
    expect(inv.events).toHaveLength(3);
  });

  it('breaks ties between events of the same second by status rank, whatever the arrival order', async () => {
    const h = harness();
    const open = stripeInvoice();
    const second = '2026-11-01T10:00:00Z';
    await send(h, 'invoice.paid', paid(open), second);
    await send(h, 'invoice.finalized', open, second);
    expect(await invoiceOf(h, open.id)).toMatchObject({ status: 'paid', amount_remaining: 0 });

    const other = stripeInvoice();
    await send(h, 'invoice.finalized', other, second);
    await send(h, 'invoice.paid', paid(other), second);
    const inv = await invoiceOf(h, other.id);
    expect(inv).toMatchObject({ status: 'paid', amount_remaining: 0 });
    expect(statuses(inv)).toEqual(['->open', 'open>paid']);
  });
});

describe('Stripe refunds', () => {
  it('counts a refund of an older-shape charge (charge.invoice) once, from charge and refund events', async () => {
    const h = harness();
    const invoice = stripeInvoice();
    await send(h, 'invoice.paid', paid(invoice), '2026-11-02T10:00:00Z');
    const refund = stripeRefund({ amount: 3_000 });
    const charge = {
      ...stripeCharge({ amount_refunded: 3_000, refunded: false }),
      invoice: invoice.id,
    } as Stripe.Charge;
    refund.charge = charge.id;
    refund.payment_intent = charge.payment_intent;
    await send(h, 'charge.refunded', charge, '2026-11-03T10:00:00Z');
    const created = await send(h, 'refund.created', refund, '2026-11-03T10:00:00Z');
    const inv = await invoiceOf(h, invoice.id);
    expect(inv.amount_refunded).toBe(3_000);
    expect(inv.status).toBe('paid');
    // The refund event is linked to the invoice it pays back.
    const ev = await (await h.api('GET', `/api/events?type=refund.created`)).json();
    expect(ev.data[0]).toMatchObject({ event_id: created.event.id, invoice: { id: inv.id } });

    // A second refund on the same charge adds up; a failed one drops out.
    const second = stripeRefund({ amount: 2_000, charge: charge.id, payment_intent: charge.payment_intent });
    await send(h, 'refund.created', second, '2026-11-04T10:00:00Z');
    expect((await invoiceOf(h, invoice.id)).amount_refunded).toBe(5_000);
    await send(h, 'refund.updated', { ...second, status: 'failed' }, '2026-11-04T12:00:00Z');
    expect((await invoiceOf(h, invoice.id)).amount_refunded).toBe(3_000);
  });

  it('finds the invoice through invoice.payments in the newer shape', async () => {
    const h = harness();
    const invoice = stripeInvoice();
    const pi = newId('pi');
    const withPayments = paid(invoice, {
      payments: { object: 'list', data: [stripeInvoicePayment(invoice.id, pi)], has_more: false, url: '/v1/invoice_payments' },
    });
    await send(h, 'invoice.paid', withPayments, '2026-11-02T10:00:00Z');
    await send(h, 'refund.created', stripeRefund({ amount: 2_500, charge: newId('ch'), payment_intent: pi }), '2026-11-03T10:00:00Z');
    expect((await invoiceOf(h, invoice.id)).amount_refunded).toBe(2_500);
  });

  it('keeps a refund that arrives before its invoice and counts it once the invoice arrives', async () => {
    const h = harness();
    const invoice = stripeInvoice();
    const pi = newId('pi');
    const early = await send(h, 'refund.created', stripeRefund({ amount: 4_000, payment_intent: pi }), '2026-11-03T10:00:00Z');
    expect(early.body.processed).toBe(true);
    await send(h, 'invoice_payment.paid', stripeInvoicePayment(invoice.id, pi), '2026-11-02T10:00:00Z');
    await send(h, 'invoice.paid', paid(invoice), '2026-11-02T10:00:01Z');
    expect((await invoiceOf(h, invoice.id)).amount_refunded).toBe(4_000);
  });

  it('counts a charge.refunded whose invoice comes later (older shape, via the charge)', async () => {
    const h = harness();
    const invoice = stripeInvoice();
    const charge = { ...stripeCharge({ amount_refunded: 10_000, refunded: true }), invoice: invoice.id } as Stripe.Charge;
    await send(h, 'charge.refunded', charge, '2026-11-03T10:00:00Z');
    await send(h, 'invoice.paid', paid(invoice), '2026-11-02T10:00:00Z');
    expect((await invoiceOf(h, invoice.id)).amount_refunded).toBe(10_000);
  });
});

describe('tenants of Stripe objects', () => {
  it('takes the tenant from the customer link', async () => {
    const h = harness();
    const t = await tenant(h, 'Acme');
    const customer = newId('cus');
    await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: customer });
    const invoice = stripeInvoice({ customer });
    await send(h, 'invoice.finalized', invoice, '2026-11-01T10:00:00Z');
    expect((await invoiceOf(h, invoice.id)).tenant).toEqual({ id: t.id, name: 'Acme' });
    const events = await (await h.api('GET', `/api/events?tenant_id=${t.id}`)).json();
    expect(events.data).toHaveLength(1);
  });

  it('takes the tenant from the customer metadata key named in settings', async () => {
    const h = harness();
    const t = await tenant(h, 'Globex', 'globex-1');
    await h.api('PUT', '/api/settings', { tenant_metadata_key: 'tenant_ref' });

    // From the stored customer (customer.created came first) ...
    const customer = stripeCustomer({ metadata: { tenant_ref: 'globex-1' } });
    await send(h, 'customer.created', customer, '2026-11-01T09:00:00Z');
    const a = stripeInvoice({ customer: customer.id });
    await send(h, 'invoice.finalized', a, '2026-11-01T10:00:00Z');
    expect((await invoiceOf(h, a.id)).tenant).toEqual({ id: t.id, name: 'Globex' });

    // ... or from a customer expanded on the invoice.
    const expanded = stripeCustomer({ metadata: { tenant_ref: 'globex-1' } });
    const b = stripeInvoice({ customer: expanded });
    await send(h, 'invoice.finalized', b, '2026-11-01T10:00:00Z');
    expect((await invoiceOf(h, b.id)).tenant).toEqual({ id: t.id, name: 'Globex' });

    // An unknown reference leaves the invoice without tenant.
    const c = stripeInvoice({ customer: stripeCustomer({ metadata: { tenant_ref: 'nobody' } }) });
    await send(h, 'invoice.finalized', c, '2026-11-01T10:00:00Z');
    expect((await invoiceOf(h, c.id)).tenant).toBeNull();
  });

  it('moves a customer’s invoices when its metadata names another tenant (customer.updated)', async () => {
    const h = harness();
    const first = await tenant(h, 'First', 'first');
    const second = await tenant(h, 'Second', 'second');
    await h.api('PUT', '/api/settings', { tenant_metadata_key: 'tenant_ref' });
    const customer = stripeCustomer({ metadata: { tenant_ref: 'first' } });
    await send(h, 'customer.created', customer, '2026-11-01T09:00:00Z');
    const invoice = stripeInvoice({ customer: customer.id });
    await send(h, 'invoice.finalized', invoice, '2026-11-01T10:00:00Z');
    expect((await invoiceOf(h, invoice.id)).tenant.id).toBe(first.id);

    await send(h, 'customer.updated', { ...customer, metadata: { tenant_ref: 'second' } }, '2026-11-02T09:00:00Z');
    expect((await invoiceOf(h, invoice.id)).tenant.id).toBe(second.id);
    // An older customer event changes nothing.
    await send(h, 'customer.updated', { ...customer, metadata: { tenant_ref: 'first' } }, '2026-11-01T12:00:00Z');
    expect((await invoiceOf(h, invoice.id)).tenant.id).toBe(second.id);

    // customer.deleted carries the customer as it was; the stored row keeps its metadata.
    await send(h, 'customer.deleted', { ...customer, metadata: {} }, '2026-11-03T09:00:00Z');
    const [row] = await h.sql<{ deleted: boolean; metadata: Record<string, string> }[]>`
      SELECT deleted, metadata FROM gateway_customers WHERE account_id = ${h.accountId} AND external_id = ${customer.id}`;
    expect(row).toEqual({ deleted: true, metadata: { tenant_ref: 'second' } });
  });

  it('moves existing invoices and events when a link is added or removed (through the API)', async () => {
    const h = harness();
    const customer = newId('cus');
    const invoice = stripeInvoice({ customer });
    await send(h, 'invoice.finalized', invoice, '2026-11-01T10:00:00Z');
    await send(h, 'invoice.paid', paid(invoice), '2026-11-02T10:00:00Z');
    expect((await invoiceOf(h, invoice.id)).tenant).toBeNull();

    const t = await tenant(h, 'Initech');
    const link = await (await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: customer })).json();
    const byTenant = async () => ({
      invoices: (await (await h.api('GET', `/api/invoices?tenant_id=${t.id}`)).json()).data.length,
      events: (await (await h.api('GET', `/api/events?tenant_id=${t.id}`)).json()).data.length,
    });
    expect(await byTenant()).toEqual({ invoices: 1, events: 2 });

    expect((await h.api('DELETE', `/api/tenants/${t.id}/links/${link.id}`)).status).toBe(204);
    expect(await byTenant()).toEqual({ invoices: 0, events: 0 });
    expect((await invoiceOf(h, invoice.id)).tenant).toBeNull();
  });

  it('links subscription and checkout events to the tenant of their customer', async () => {
    const h = harness();
    const t = await tenant(h, 'Umbrella');
    const customer = newId('cus');
    await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: customer });
    const sub = stripeSubscription(customer);
    await send(h, 'customer.subscription.created', sub, '2026-11-01T09:00:00Z');
    await send(h, 'customer.subscription.updated', { ...sub, cancel_at_period_end: true }, '2026-11-01T09:10:00Z');
    await send(h, 'customer.subscription.deleted', { ...sub, status: 'canceled' }, '2026-11-01T09:20:00Z');

    const invoice = stripeInvoice({ customer, parent: subscriptionParent(sub.id) });
    await send(h, 'invoice.paid', paid(invoice), '2026-11-01T09:00:30Z');
    const session = stripeCheckoutSession({ customer, subscription: sub.id, invoice: invoice.id });
    await send(h, 'checkout.session.completed', session, '2026-11-01T09:01:00Z');

    const events = (await (await h.api('GET', `/api/events?tenant_id=${t.id}`)).json()).data;
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual([
      'checkout.session.completed',
      'customer.subscription.created',
      'customer.subscription.deleted',
      'customer.subscription.updated',
      'invoice.paid',
    ]);
    const checkout = events.find((e: { type: string }) => e.type === 'checkout.session.completed');
    expect(checkout.invoice).toMatchObject({ number: invoice.number, status: 'paid' });
  });
});

describe('install registry', () => {
  it('records account.application.authorized and deauthorized', async () => {
    const h = harness();
    const app = stripeApplication();
    await send(h, 'account.application.authorized', app, '2026-11-01T09:00:00Z');
    let [row] = await h.sql<{ installed_at: Date | null; uninstalled_at: Date | null }[]>`
      SELECT installed_at, uninstalled_at FROM accounts WHERE id = ${h.accountId}`;
    expect(row.installed_at?.toISOString()).toBe('2026-11-01T09:00:00.000Z');
    expect(row.uninstalled_at).toBeNull();
    await send(h, 'account.application.deauthorized', app, '2026-11-20T09:00:00Z');
    [row] = await h.sql`SELECT installed_at, uninstalled_at FROM accounts WHERE id = ${h.accountId}`;
    expect(row.uninstalled_at?.toISOString()).toBe('2026-11-20T09:00:00.000Z');
  });
});

describe('a failing handler', () => {
  it('is stored with its error, answered 200, and fixed by replaying the event', async () => {
    const h = harness();
    // A fault inside processing for this account only: a trigger refusing its invoice rows.
    const fn = `fail_${h.accountId}`;
    await h.sql.unsafe(`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.account_id = '${h.accountId}' THEN RAISE EXCEPTION 'ledger refused the invoice'; END IF;
        RETURN NEW;
      END $$`);
    await h.sql.unsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    const invoice = stripeInvoice();
    let sent: Awaited<ReturnType<typeof send>>;
    try {
      sent = await send(h, 'invoice.paid', paid(invoice), '2026-11-02T10:00:00Z');
    } finally {
      await h.sql.unsafe(`DROP TRIGGER ${fn} ON invoices`);
      await h.sql.unsafe(`DROP FUNCTION ${fn}()`);
    }
    expect(sent.body).toEqual({ received: true, duplicate: false, processed: false });
    const failed = (await (await h.api('GET', '/api/events?processed=false')).json()).data;
    expect(failed).toHaveLength(1);
    expect(failed[0].error).toContain('ledger refused the invoice');
    expect((await (await h.api('GET', '/api/invoices')).json()).data).toEqual([]);

    const scope = { accountId: h.accountId, livemode: false };
    const replayed = await replayEvent(h.sql, scope, failed[0].id, processorFor);
    expect(replayed).toEqual({ processed: true, error: null });
    const inv = await invoiceOf(h, invoice.id);
    expect(inv).toMatchObject({ status: 'paid', amount_paid: 10_000 });
    expect(inv.history[0].source).toBe(`event:${sent.event.id}`);
    expect((await (await h.api('GET', '/api/events?processed=false')).json()).data).toEqual([]);
  });
});
