import { markPaidOutOfBand } from '../../../../backend/domain/collections.js';
import type { InvoiceSnapshot } from '../../../../backend/domain/invoices.js';
import { CollectionsSchema, type CollectionsResponse } from '../../../../backend/http/routes/collections-schemas.js';
import { createHarness, fakeClock, newAccountId, type Harness } from '../../../support/app-harness.js';
import { harnessScope, seedInvoice, seedTenant } from '../../../support/ledger-seed.js';

const d = (iso: string) => new Date(iso);
let n = 0;
const ext = (prefix = 'in_col') => `${prefix}_${Date.now().toString(36)}_${n++}`;

async function collections(h: Harness, qs = ''): Promise<CollectionsResponse> {
  const res = await h.api('GET', `/api/collections${qs ? `?${qs}` : ''}`);
  expect(res.status).toBe(200);
  return res.json();
}

const amounts = (amount: number) => ({ total: amount, amount_due: amount, amount_paid: 0, amount_remaining: amount });

/**
 * A ledger whose figures are computed by hand in the tests below (USD cents, JPY whole yen).
 * The clock is 2026-03-01 00:00 UTC.
 *
 * | inv | tenant | created | failed | what preceded the payment            | paid          | amount | cause           |
 * | u1  | A      | 02-05   | 02-06  | nothing (Stripe's retry)             | 02-10         | 10000  | automatic_retry |
 * | u2  | B      | 02-03   | 02-04  | admin retry 02-08 10:00:30           | 02-08 10:00   | 4000   | admin_retry     |
 * | u3  | A      | 02-01   | 02-02  | customer reminder delivered 02-10    | 02-15         | 3000   | reminder        |
 * | u4  | A      | 01-20   | 01-21  | app reminder 01-25 (> 7 days before) | 02-20         | 2000   | automatic_retry |
 * | u5  | B      | 02-10   | 02-11  | paid out of band                     | 02-12         | 5000   | outside         |
 * | p1  | B      | 02-12   | 02-13  | PayPal                               | 02-14         | 1500   | paypal          |
 * | u6  | A      | 02-15   | -      | -                                    | 02-16         | 6000   | (not recovered) |
 * | u12 | A      | 02-22   | -      | -                                    | 02-28 12:00   | 1200   | (not recovered) |
 * | u7  | B      | 01-10   | due 01-25, open, past due 35 days (31-60)             | -             | 7000   |                 |
 * | u8  | A      | 02-20   | due 02-25, open, past due 4 days (1-30)               | -             | 2500   |                 |
 * | u9  | A      | 02-25   | due 03-10, open, not past due                         | -             | 1000   |                 |
 * | u10 | -      | 02-18   | voided 02-19                                          | -             | 800    |                 |
 * | dr  | A      | 02-02   | draft                                                 | -             | 9999   |                 |
 * | j1  | -      | 02-10   | JPY, due 02-11, open, past due 18 days (1-30)         | -             | 5000   |                 |
 * plus a paid USD invoice in live mode and one of another account, which no figure includes.
 */
async function ledger() {
  const h = createHarness({ clock: fakeClock('2026-03-01T00:00:00Z') });
  const scope = harnessScope(h);
  const a = await seedTenant(h.sql, scope, 'Acme');
  const b = await seedTenant(h.sql, scope, 'Beta');
  const inv = (over: Partial<InvoiceSnapshot>, time?: string) =>
    seedInvoice(h.sql, scope, over, time ? { time: d(time) } : {});

  /** An invoice that failed and was paid later; returns its id. */
  const recovered = async (over: Partial<InvoiceSnapshot>, amount: number, failed: string, paid: string) => {
    const external_id = ext(over.gateway === 'paypal' ? 'PAY' : 'in');
    const base = { ...over, external_id, ...amounts(amount) };
    const id = await inv({ ...base, status: 'open', payment_failed: true, attempt_count: 1 }, failed);
    await inv({ ...base, status: 'paid', amount_paid: amount, amount_remaining: 0, attempt_count: 2 }, paid);
    return id;
  };
  const paidOnce = async (over: Partial<InvoiceSnapshot>, amount: number, paid: string) => {
    const external_id = ext();
    await inv({ ...over, external_id, ...amounts(amount), status: 'open' });
    await inv({ ...over, external_id, ...amounts(amount), status: 'paid', amount_paid: amount, amount_remaining: 0 }, paid);
  };
  const action = (invoiceId: string, name: string, at: string, outcome = 'succeeded') => h.sql`
    INSERT INTO admin_actions (account_id, livemode, user_id, action, invoice_id, outcome, created_at)
    VALUES (${scope.accountId}, ${scope.livemode}, 'usr_admin', ${name}, ${invoiceId}, ${outcome}, ${d(at)})`;

  await recovered({ tenant_id: a.id, created_at: d('2026-02-05T00:00:00Z') }, 10000, '2026-02-06T00:00:00Z', '2026-02-10T00:00:00Z');
  const u2 = await recovered({ tenant_id: b.id, created_at: d('2026-02-03T00:00:00Z') }, 4000, '2026-02-04T00:00:00Z', '2026-02-08T10:00:00Z');
  await action(u2, 'retry', '2026-02-06T09:00:00Z', 'failed'); // a declined retry changes nothing
  await action(u2, 'retry', '2026-02-08T10:00:30Z');
  const u3 = await recovered({ tenant_id: a.id, created_at: d('2026-02-01T00:00:00Z') }, 3000, '2026-02-02T00:00:00Z', '2026-02-15T00:00:00Z');
  await h.sql`
    INSERT INTO notifications (account_id, livemode, invoice_id, kind, step, status, delivered_at)
    VALUES (${scope.accountId}, ${scope.livemode}, ${u3}, 'customer', 7, 'delivered', ${d('2026-02-10T00:00:00Z')}),
           (${scope.accountId}, ${scope.livemode}, ${u3}, 'admin', 7, 'delivered', ${d('2026-02-10T00:00:00Z')})`;
  const u4 = await recovered({ tenant_id: a.id, created_at: d('2026-01-20T00:00:00Z') }, 2000, '2026-01-21T00:00:00Z', '2026-02-20T00:00:00Z');
  await action(u4, 'send_reminder', '2026-01-25T00:00:00Z');
  const u5 = await recovered({ tenant_id: b.id, created_at: d('2026-02-10T00:00:00Z') }, 5000, '2026-02-11T00:00:00Z', '2026-02-12T00:00:00Z');
  await markPaidOutOfBand(h.sql, scope, u5);
  await recovered(
    { gateway: 'paypal', tenant_id: b.id, created_at: d('2026-02-12T00:00:00Z') },
    1500,
    '2026-02-13T00:00:00Z',
    '2026-02-14T00:00:00Z',
  );
  await paidOnce({ tenant_id: a.id, created_at: d('2026-02-15T00:00:00Z') }, 6000, '2026-02-16T00:00:00Z');
  await paidOnce({ tenant_id: a.id, created_at: d('2026-02-22T00:00:00Z') }, 1200, '2026-02-28T12:00:00Z');
  const due = (iso: string) => ({ due_date: d(iso), overdue: true });
  await inv({ ...amounts(7000), tenant_id: b.id, created_at: d('2026-01-10T00:00:00Z'), ...due('2026-01-25T00:00:00Z') }, '2026-01-26T00:00:00Z');
  await inv({ ...amounts(2500), tenant_id: a.id, created_at: d('2026-02-20T00:00:00Z'), ...due('2026-02-25T00:00:00Z') }, '2026-02-26T00:00:00Z');
  await inv({ ...amounts(1000), tenant_id: a.id, created_at: d('2026-02-25T00:00:00Z'), due_date: d('2026-03-10T00:00:00Z') });
  const voided = ext();
  await inv({ external_id: voided, ...amounts(800), created_at: d('2026-02-18T00:00:00Z') });
  await inv({ external_id: voided, ...amounts(800), amount_remaining: 0, status: 'void', created_at: d('2026-02-18T00:00:00Z') }, '2026-02-19T00:00:00Z');
  await inv({ ...amounts(9999), status: 'draft', tenant_id: a.id, created_at: d('2026-02-02T00:00:00Z') });
  await inv({ ...amounts(5000), currency: 'jpy', created_at: d('2026-02-10T00:00:00Z'), ...due('2026-02-11T00:00:00Z') }, '2026-02-12T00:00:00Z');
  const paidUsd = { ...amounts(99999), status: 'paid' as const, amount_paid: 99999, amount_remaining: 0, created_at: d('2026-02-10T00:00:00Z') };
  await seedInvoice(h.sql, harnessScope(h, 'live'), paidUsd);
  await seedInvoice(h.sql, { accountId: newAccountId(), livemode: false }, paidUsd);
  return { h, a, b };
}

const zero = { count: 0, amount: 0 };
const buckets = (over: Record<string, { count: number; amount: number }>) => ({
  '1-30': zero,
  '31-60': zero,
  '61-90': zero,
  '90+': zero,
  ...over,
});

describe('GET /api/collections', () => {
  it('answers each figure per currency over the window, as computed by hand', async () => {
    const { h, a, b } = await ledger();
    const body = await collections(h, 'from=2026-02-01');
    CollectionsSchema.strict().parse(body);
    expect(body).toMatchObject({
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
      window_days: 28,
      as_of: '2026-03-01T00:00:00.000Z',
    });
    expect(body.currencies).toEqual([
      {
        currency: 'jpy',
        credit_sales: 5000,
        receivables: 5000,
        dso_days: 28, // 5000 / 5000 × 28
        overdue_amount: 5000,
        open_amount: 5000,
        overdue_ratio: 1,
        average_days_to_pay: null,
        paid_count: 0,
        recovered: [
          { cause: 'automatic_retry', count: 0, amount: 0 },
          { cause: 'admin_retry', count: 0, amount: 0 },
          { cause: 'reminder', count: 0, amount: 0 },
          { cause: 'paypal', count: 0, amount: 0 },
          { cause: 'outside', count: 0, amount: 0 },
        ],
        tenants: [{ tenant: null, overdue_amount: 5000, buckets: buckets({ '1-30': { count: 1, amount: 5000 } }) }],
      },
      {
        currency: 'usd',
        // u1 + u2 + u3 + u5 + p1 + u6 + u8 + u9 + u12 (u4 and u7 issued before, u10 void, the draft)
        credit_sales: 34200,
        // open at the window end: u7 + u8 + u9
        receivables: 10500,
        dso_days: 8.6, // 10500 / 34200 × 28 = 8.596
        overdue_amount: 9500, // u7 + u8
        open_amount: 10500,
        overdue_ratio: 0.9048, // 9500 / 10500
        // (5 + 5.4167 + 14 + 31 + 2 + 2 + 1 + 6.5) / 8 = 8.365
        average_days_to_pay: 8.4,
        paid_count: 8,
        recovered: [
          { cause: 'automatic_retry', count: 2, amount: 12000 }, // u1, u4
          { cause: 'admin_retry', count: 1, amount: 4000 },
          { cause: 'reminder', count: 1, amount: 3000 },
          { cause: 'paypal', count: 1, amount: 1500 },
          { cause: 'outside', count: 1, amount: 5000 },
        ],
        tenants: [
          { tenant: { id: b.id, name: 'Beta' }, overdue_amount: 7000, buckets: buckets({ '31-60': { count: 1, amount: 7000 } }) },
          { tenant: { id: a.id, name: 'Acme' }, overdue_amount: 2500, buckets: buckets({ '1-30': { count: 1, amount: 2500 } }) },
        ],
      },
    ]);
  });

  it('takes receivables at the window end: an invoice paid after it was still owed', async () => {
    const { h } = await ledger();
    const [, usd] = (await collections(h, 'from=2026-02-01&to=2026-02-25')).currencies;
    expect(usd).toMatchObject({
      currency: 'usd',
      credit_sales: 33200, // u9 was issued at 02-25, the window's (exclusive) end
      receivables: 10700, // u7 + u8 + u12 (paid 02-28, owed in full at 02-25)
      dso_days: 7.7, // 10700 / 33200 × 24 = 7.735
      average_days_to_pay: 8.6, // without u12: 60.4167 / 7 = 8.631
      paid_count: 7,
    });
    // overdue is a figure of now, whatever the window
    expect(usd.overdue_amount).toBe(9500);
  });

  it('defaults to the 30 days ending now', async () => {
    const { h } = await ledger();
    const body = await collections(h);
    expect(body.from).toBe('2026-01-30T00:00:00.000Z');
    expect(body.to).toBe('2026-03-01T00:00:00.000Z');
    expect(body.window_days).toBe(30);
  });

  it('narrows every figure to a tenant', async () => {
    const { h, a } = await ledger();
    const body = await collections(h, `tenant_id=${a.id}&from=2026-02-01`);
    expect(body.currencies).toEqual([
      {
        currency: 'usd',
        credit_sales: 23700, // u1 + u3 + u6 + u8 + u9 + u12
        receivables: 3500, // u8 + u9
        dso_days: 4.1, // 3500 / 23700 × 28 = 4.135
        overdue_amount: 2500,
        open_amount: 3500,
        overdue_ratio: 0.7143,
        average_days_to_pay: 11.5, // (5 + 14 + 31 + 1 + 6.5) / 5
        paid_count: 5,
        recovered: [
          { cause: 'automatic_retry', count: 2, amount: 12000 },
          { cause: 'admin_retry', count: 0, amount: 0 },
          { cause: 'reminder', count: 1, amount: 3000 },
          { cause: 'paypal', count: 0, amount: 0 },
          { cause: 'outside', count: 0, amount: 0 },
        ],
        tenants: [{ tenant: { id: a.id, name: 'Acme' }, overdue_amount: 2500, buckets: buckets({ '1-30': { count: 1, amount: 2500 } }) }],
      },
    ]);
  });

  it('refuses a tenant of another account (404) and an empty or reversed window (400)', async () => {
    const { h } = await ledger();
    const other = await seedTenant(h.sql, { accountId: newAccountId(), livemode: false }, 'Other');
    expect((await h.api('GET', `/api/collections?tenant_id=${other.id}`)).status).toBe(404);
    const live = await seedTenant(h.sql, harnessScope(h, 'live'), 'Live');
    expect((await h.api('GET', `/api/collections?tenant_id=${live.id}`)).status).toBe(404);
    for (const qs of ['from=2026-02-01&to=2026-02-01', 'from=2026-02-10&to=2026-02-01', 'from=2026-04-01', 'from=yesterday']) {
      const res = await h.api('GET', `/api/collections?${qs}`);
      expect(res.status, qs).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
  });
});
