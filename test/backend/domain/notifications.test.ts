import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { applyInvoiceSnapshot, type InvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { formatMoney } from '../../../backend/domain/money.js';
import {
  backoffMs,
  createDueNotifications,
  MAX_ATTEMPTS,
  notificationAttempts,
  type AdminNotificationPayload,
} from '../../../backend/domain/notifications.js';
import { deliverPendingNotifications } from '../../../backend/gateways/notify/deliver.js';
import { signatureHeader, verifySignatureHeader } from '../../../backend/gateways/notify/signature.js';
import type { InvoiceReminderClients } from '../../../backend/gateways/stripe/customer-reminder.js';
import { applyPastDueTransitions } from '../../../backend/domain/past-due-transitions.js';
import { getSettings, updateSettings } from '../../../backend/domain/settings.js';
import { createTenant } from '../../../backend/domain/tenants.js';
import { createStripeClients } from '../../../backend/gateways/stripe/api-client.js';
import { createLogger } from '../../../backend/logger.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { errors, makeInvoice, startFakeStripe, type FakeRoute, type FakeStripe } from '../../support/fake-stripe.js';
import { startNotifyReceiver, type NotifyReceiver } from '../../support/notify-receiver.js';
import { invoiceSnapshot } from '../../support/ledger-seed.js';

const sql = testSql();
const logger = createLogger('silent');
const DAY = 86_400_000;
const MIN = 60_000;
const T0 = new Date('2026-05-01T06:00:00Z');
const at = (days: number, ms = 0) => new Date(T0.getTime() + days * DAY + ms);

let seq = 0;
const snap = (over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot =>
  invoiceSnapshot({
    external_id: `in_n${++seq}`,
    number: `INV-${seq}`,
    customer_id: 'cus_1',
    total: 12345,
    amount_due: 12345,
    amount_remaining: 12345,
    collection_method: 'send_invoice',
    due_date: at(-1),
    hosted_url: 'https://invoice.stripe.com/i/acct_x/test_1',
    pdf_url: 'https://pay.stripe.com/invoice/acct_x/test_1/pdf',
    created_at: at(-31),
    ...over,
  });

async function put(scope: Scope, s: InvoiceSnapshot, time = at(-2)): Promise<string> {
  const id = `evt_${Math.random().toString(36).slice(2)}`;
  return (await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, s, { time, eventId: id, label: `event:${id}` }))).invoiceId;
}

/** What one scan does: transitions and rows in a transaction, then deliveries. */
async function tick(scope: Scope, now: Date, stripe: InvoiceReminderClients | null = null, timeoutMs?: number) {
  const created = await sql.begin(async (tx) => {
    await applyPastDueTransitions(tx, now, scope);
    return createDueNotifications(tx, now, scope);
  });
  const delivered = await deliverPendingNotifications({ sql, logger, stripe, timeoutMs, allowPrivateReceivers: true }, now, scope);
  return { created, delivered };
}

const rows = (scope: Scope) =>
  sql<{ id: string; kind: string; step: number; status: string; attempts: number; last_error: string | null; next_attempt_at: Date }[]>`
    SELECT id, kind, step, status, attempts, last_error, next_attempt_at FROM notifications
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} ORDER BY kind, step`;

let receiver: NotifyReceiver;
let secret = '';
beforeEach(async () => {
  receiver = await startNotifyReceiver({ secret: () => secret });
});
afterEach(() => receiver.close());

async function scopeWithReceiver(): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  secret = (await updateSettings(sql, scope, { notify_url: receiver.url })).notify_secret;
  return scope;
}

describe('signing', () => {
  it('signs t.body with HMAC-SHA256 and refuses tampering, another key and stale times', () => {
    const body = '{"a":1}';
    const header = signatureHeader('s3cret', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignatureHeader(header, body, 's3cret', 1_800_000_010)).toBe(true);
    expect(verifySignatureHeader(header, '{"a":2}', 's3cret', 1_800_000_010)).toBe(false);
    expect(verifySignatureHeader(header, body, 'other', 1_800_000_010)).toBe(false);
    expect(verifySignatureHeader(header, body, 's3cret', 1_800_000_000 + 301)).toBe(false);
    expect(verifySignatureHeader('t=1,v1=zz', body, 's3cret', 1)).toBe(false);
  });

  it('formats amounts with each currency’s decimals', () => {
    expect(formatMoney(12345, 'usd')).toBe('$123.45');
    expect(formatMoney(5000, 'jpy')).toBe('¥5,000');
    expect(formatMoney(1500, 'kwd')).toMatch(/^KWD\s1\.500$/);
  });
});

describe('admin notifications', () => {
  it('posts one signed Slack-compatible message with the structured fields when an invoice becomes past due', async () => {
    const scope = await scopeWithReceiver();
    const acme = await createTenant(sql, scope, { name: 'Acme Corp' });
    const id = await put(scope, snap({ tenant_id: acme.id, due_date: new Date('2026-04-30T12:00:00Z') }));
    const { created, delivered } = await tick(scope, T0);
    expect(created).toEqual({ admin: 1, customer: 0 });
    expect(delivered).toEqual({ delivered: 1, retrying: 0, failed: 0, cancelled: 0 });

    expect(receiver.requests).toHaveLength(1);
    const [msg] = receiver.requests;
    expect(msg.verified).toBe(true);
    expect(msg.headers['content-type']).toBe('application/json');
    const [row] = await rows(scope);
    expect(msg.headers['tenant-billing-delivery']).toBe(row.id);
    const payload = msg.json as AdminNotificationPayload;
    expect(payload).toEqual({
      id: row.id,
      type: 'invoice.past_due',
      livemode: false,
      step: 0,
      // the first of the account's steps: friendly (per-tenant escalation, reminder-tones.ts)
      tone: 'friendly',
      text: `Friendly reminder: Invoice INV-${seq} for Acme Corp is now past due (1 day past due), $123.45 outstanding. <https://invoice.stripe.com/i/acct_x/test_1|Open invoice>`,
      tenant: { id: acme.id, name: 'Acme Corp' },
      invoice: {
        id,
        gateway: 'stripe',
        external_id: `in_n${seq}`,
        number: `INV-${seq}`,
        due_date: '2026-04-30T12:00:00.000Z',
        // derived: 00:00 UTC of the day after the due date (no grace days)
        past_due_since: '2026-05-01T00:00:00.000Z',
      },
      amount: 12345,
      currency: 'usd',
      days: 1,
      links: { hosted_url: 'https://invoice.stripe.com/i/acct_x/test_1', pdf_url: 'https://pay.stripe.com/invoice/acct_x/test_1/pdf' },
    });
    expect(row).toMatchObject({ kind: 'admin', step: 0, status: 'delivered', attempts: 1, last_error: null });
    expect(await notificationAttempts(sql, scope, row.id)).toMatchObject([{ attempt: 1, ok: true, status_code: 200 }]);
  });

  it('escalates at steps 0, 7 and 30, each exactly once', async () => {
    const scope = await scopeWithReceiver();
    await put(scope, snap({ due_date: at(-1) }));
    const steps: number[][] = [];
    for (const day of [0, 0, 3, 6, 7, 8, 20, 29, 30, 31, 60]) {
      await tick(scope, at(day));
      steps.push(receiver.accepted().map((r) => r.json.step));
    }
    expect(steps.at(-1)).toEqual([0, 7, 30]);
    // Day 0 -> step 0 (1 day past due); day 6 -> 7 days -> step 7; day 29 -> 30 days -> step 30.
    expect(steps.map((s) => s.length)).toEqual([1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(receiver.accepted().map((r) => r.json.days)).toEqual([1, 7, 30]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  });

  it('sends only the highest step reached when it first sees an invoice, and follows the account’s reminder_steps', async () => {
    const scope = await scopeWithReceiver();
    await updateSettings(sql, scope, { reminder_steps: [0, 14] });
    await put(scope, snap({ due_date: at(-40) }), at(-41));
    await put(scope, snap({ due_date: at(-3) }), at(-4));
    await tick(scope, T0);
    expect(receiver.accepted().map((r) => [r.json.days, r.json.step]).sort()).toEqual([[3, 0], [40, 14]]);
    expect((await rows(scope)).map((r) => r.step).sort()).toEqual([0, 14]);
    await tick(scope, at(11)); // the 3-day one reaches 14 days
    expect(receiver.accepted().map((r) => r.json.step).sort()).toEqual([0, 14, 14]);
  });

  it('makes no admin rows without a notify_url', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    await ensureAccount(sql, scope.accountId);
    await put(scope, snap());
    expect((await tick(scope, T0)).created).toEqual({ admin: 0, customer: 0 });
    expect(await rows(scope)).toEqual([]);
  });

  it('retries a failing receiver with exponential backoff and delivers once it recovers', async () => {
    const scope = await scopeWithReceiver();
    receiver.failNext(2);
    await put(scope, snap());
    expect((await tick(scope, T0)).delivered).toMatchObject({ delivered: 0, retrying: 1 });
    let [row] = await rows(scope);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('HTTP 500') });
    expect(row.next_attempt_at).toEqual(new Date(T0.getTime() + backoffMs(1)));
    expect(backoffMs(1)).toBe(MIN);

    // Not yet due: nothing is sent.
    await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, new Date(T0.getTime() + 30_000), scope);
    expect(receiver.requests).toHaveLength(1);
    // Due: the second attempt fails too, and waits twice as long.
    const t1 = new Date(T0.getTime() + MIN);
    await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, t1, scope);
    [row] = await rows(scope);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.next_attempt_at).toEqual(new Date(t1.getTime() + 2 * MIN));
    // The third attempt is delivered; further passes send nothing more.
    const t2 = new Date(t1.getTime() + 2 * MIN);
    expect(await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, t2, scope)).toMatchObject({ delivered: 1 });
    await tick(scope, at(1));
    expect(receiver.requests.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(receiver.accepted()).toHaveLength(1);
    [row] = await rows(scope);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    expect((await notificationAttempts(sql, scope, row.id)).map((a) => [a.attempt, a.ok, a.status_code])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
  });

  it('gives up after the last attempt', async () => {
    const scope = await scopeWithReceiver();
    receiver.failNext(100);
    await put(scope, snap());
    let now = T0;
    await tick(scope, now);
    for (let n = 1; n < MAX_ATTEMPTS; n++) {
      now = new Date(now.getTime() + backoffMs(n));
      await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, now, scope);
    }
    const [row] = await rows(scope);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, at(30), scope);
    expect(receiver.requests).toHaveLength(MAX_ATTEMPTS);
  });

  it('does not let a slow receiver hold up the scan: it times out and retries later', async () => {
    const scope = await scopeWithReceiver();
    receiver.setDelay(3_000);
    const id = await put(scope, snap());
    const started = performance.now();
    const { delivered } = await tick(scope, T0, null, 300);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(delivered).toMatchObject({ retrying: 1 });
    const [inv] = await sql`SELECT past_due FROM invoices WHERE id = ${id}`;
    expect(inv.past_due).toBe(true);
    const [row] = await rows(scope);
    expect(row.last_error).toBe('receiver did not answer within 300 ms');
  });

  it('cancels a pending notification whose invoice was paid before it went out', async () => {
    const scope = await scopeWithReceiver();
    receiver.failNext(1);
    const s = snap();
    await put(scope, s);
    await tick(scope, T0);
    await put(scope, { ...s, status: 'paid', amount_paid: 12345, amount_remaining: 0 }, new Date(T0.getTime() + 1000));
    await deliverPendingNotifications({ sql, logger, stripe: null, allowPrivateReceivers: true }, at(1), scope);
    expect(await rows(scope)).toMatchObject([{ status: 'cancelled', last_error: 'invoice is no longer past due' }]);
    expect(receiver.accepted()).toHaveLength(0);
  });

  it('creates one row per step when two scans race, and it is delivered once', async () => {
    const scope = await scopeWithReceiver();
    await put(scope, snap());
    await Promise.all([tick(scope, T0), tick(scope, T0), tick(scope, T0)]);
    expect(await rows(scope)).toMatchObject([{ step: 0, status: 'delivered', attempts: 1 }]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('delivers a PayPal past-due item to the admin', async () => {
    const scope = await scopeWithReceiver();
    await put(scope, snap({ gateway: 'paypal', external_id: 'I-SUBFAILED01', number: null, due_date: null, payment_failed: true, currency: 'eur', amount_remaining: 999 }), at(-8));
    await tick(scope, T0);
    expect(receiver.accepted().map((r) => [r.json.invoice.gateway, r.json.step, r.json.days, r.json.amount, r.json.currency])).toEqual([
      ['paypal', 7, 8, 999, 'eur'],
    ]);
    expect(receiver.accepted()[0].json.text).toContain('Invoice I-SUBFAILED01 is still unpaid: 8 days past due, €9.99 outstanding.');
  });
});

describe('customer reminders', () => {
  let fake: FakeStripe;
  // POST /v1/invoices/:id/send, as Stripe answers it: the invoice, or 404/400.
  const sendRoute: FakeRoute = {
    method: 'POST',
    path: '/v1/invoices/:id/send',
    handle: ({ params, objects }) => {
      const invoice = objects.invoices.get(params.id);
      if (!invoice) return errors.missing('invoice', params.id);
      if (invoice.status !== 'open') return errors.invalid(`You can only send an open invoice, this one is ${invoice.status}.`);
      return { status: 200, body: invoice };
    },
  };
  beforeAll(async () => {
    fake = await startFakeStripe({ routes: [sendRoute] });
  });
  afterAll(() => fake.close());
  // Both modes keyed: a reminder must go out with the key of its invoice's mode.
  const stripe = () =>
    createStripeClients({ STRIPE_SECRET_KEY: { live: fake.liveSecretKey, test: fake.secretKey }, STRIPE_API_URL: fake.url });
  const sends = (accountId: string) => fake.requests.filter((r) => r.accountId === accountId && r.path.endsWith('/send'));

  async function optedInScope() {
    const scope = { accountId: newAccountId(), livemode: false };
    await ensureAccount(sql, scope.accountId);
    const tenant = await createTenant(sql, scope, { name: 'Opted In', customer_reminders: true });
    const quiet = await createTenant(sql, scope, { name: 'Quiet' });
    return { scope, tenant, quiet };
  }

  it('sends Stripe’s invoice reminder at the steps, for opted-in tenants’ Stripe invoices only, recorded in the history', async () => {
    const { scope, tenant, quiet } = await optedInScope();
    const mine = snap({ tenant_id: tenant.id, due_date: at(-1) });
    fake.seedInvoices(scope.accountId, [makeInvoice({ id: mine.external_id, status: 'open' })]);
    const id = await put(scope, mine);
    await put(scope, snap({ tenant_id: quiet.id }));
    await put(scope, snap({ tenant_id: tenant.id, gateway: 'paypal', external_id: 'I-PAYPALONE', payment_failed: true, due_date: null }));

    for (const day of [0, 1, 6, 7, 29, 40]) await tick(scope, at(day), stripe());
    const requests = sends(scope.accountId);
    expect(requests.map((r) => r.path)).toEqual(Array(3).fill(`/v1/invoices/${mine.external_id}/send`));
    expect(requests.every((r) => r.stripeAccount === scope.accountId)).toBe(true);
    expect(requests.every((r) => r.apiKey === fake.secretKey)).toBe(true); // a test-mode invoice: the test key
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(3);
    expect((await rows(scope)).map((r) => [r.kind, r.step, r.status])).toEqual([
      ['customer', 0, 'delivered'],
      ['customer', 7, 'delivered'],
      ['customer', 30, 'delivered'],
    ]);
    const history = await sql`SELECT from_status, to_status, source, note FROM invoice_history WHERE invoice_id = ${id} AND note LIKE 'customer reminder%' ORDER BY at, id`;
    expect(history.map((h) => [h.from_status, h.to_status, h.source, h.note])).toEqual([
      ['past_due', 'past_due', 'job:past-due-scan', 'customer reminder sent through Stripe (step 0, friendly)'],
      ['past_due', 'past_due', 'job:past-due-scan', 'customer reminder sent through Stripe (step 7, firm)'],
      ['past_due', 'past_due', 'job:past-due-scan', 'customer reminder sent through Stripe (step 30, final)'],
    ]);
  });

  it('records a refused reminder as failed without retrying it', async () => {
    const { scope, tenant } = await optedInScope();
    fake.account(scope.accountId); // a connected account that has no such invoice
    await put(scope, snap({ tenant_id: tenant.id, external_id: 'in_unknowntostripe' }));
    expect((await tick(scope, T0, stripe())).delivered).toMatchObject({ failed: 1 });
    expect(await rows(scope)).toMatchObject([
      { kind: 'customer', status: 'failed', last_error: "Stripe refused the reminder: No such invoice: 'in_unknowntostripe'" },
    ]);
  });

  it('retries when Stripe is rate limiting', async () => {
    const { scope, tenant } = await optedInScope();
    const s = snap({ tenant_id: tenant.id });
    fake.seedInvoices(scope.accountId, [makeInvoice({ id: s.external_id })]);
    await put(scope, s);
    fake.inject429s(1, { match: (r) => r.accountId === scope.accountId });
    expect((await tick(scope, T0, stripe())).delivered).toMatchObject({ retrying: 1 });
    expect((await deliverPendingNotifications({ sql, logger, stripe: stripe(), allowPrivateReceivers: true }, new Date(T0.getTime() + MIN), scope))).toMatchObject({ delivered: 1 });
  });

  it('without a Stripe key for the invoice’s mode, records the reminder as failed with a clear error', async () => {
    const { scope, tenant } = await optedInScope();
    await put(scope, snap({ tenant_id: tenant.id }));
    await tick(scope, T0, { live: stripe().live, test: null }); // a live key never serves a test invoice
    expect(sends(scope.accountId)).toHaveLength(0);
    expect(await rows(scope)).toMatchObject([
      { kind: 'customer', status: 'failed', attempts: 1, last_error: 'customer reminder not sent: no Stripe key for test mode (STRIPE_SECRET_KEY)' },
    ]);
    // the settings row was never needed: defaults apply
    expect((await getSettings(sql, scope)).reminder_steps).toEqual([0, 7, 30]);
  });
});
