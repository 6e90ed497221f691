import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { getStats } from '../../../backend/domain/stats.js';
import { newAccountId, testSql } from '../../support/app-harness.js';
import { seedInvoice } from '../../support/ledger-seed.js';

const sql = testSql();
const d = (iso: string) => new Date(iso);

async function newScope(): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode: false };
  await ensureAccount(sql, scope.accountId);
  return scope;
}

const paid = (amount: number, created: string, currency = 'usd') => ({
  status: 'paid' as const,
  currency,
  total: amount,
  amount_due: amount,
  amount_paid: amount,
  amount_remaining: 0,
  created_at: d(created),
});

const revenueByMonth = (monthly: { month: string; currency: string; revenue: number }[]) =>
  Object.fromEntries(monthly.map((m) => [`${m.currency} ${m.month}`, m.revenue]));

describe('monthly revenue series', () => {
  it('spans the 12 months ending with the month of `to`, which stays exclusive', async () => {
    const scope = await newScope();
    await seedInvoice(sql, scope, paid(100, '2025-02-28T23:59:59Z')); // before the window
    await seedInvoice(sql, scope, paid(200, '2025-03-01T00:00:00Z')); // its first instant
    await seedInvoice(sql, scope, paid(300, '2026-02-14T23:59:59.999Z')); // its last instant
    await seedInvoice(sql, scope, paid(400, '2026-02-15T00:00:00Z')); // at `to`: outside
    const { monthly } = await getStats(sql, scope, { to: d('2026-02-15T00:00:00Z') }, d('2030-01-01T00:00:00Z'));
    expect(monthly.map((m) => m.month)).toEqual([
      '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08',
      '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02',
    ]);
    expect(monthly.reduce((n, m) => n + m.revenue, 0)).toBe(500);
    expect(revenueByMonth(monthly)).toMatchObject({ 'usd 2025-03': 200, 'usd 2026-02': 300 });
  });

  it('ends with the previous month when `to` is the first instant of a month', async () => {
    const scope = await newScope();
    await seedInvoice(sql, scope, paid(700, '2026-01-31T12:00:00Z'));
    const { monthly } = await getStats(sql, scope, { to: d('2026-02-01') }, d('2030-01-01T00:00:00Z'));
    expect(monthly.at(-1)).toEqual({ month: '2026-01', currency: 'usd', revenue: 700 });
    expect(monthly[0].month).toBe('2025-02');
  });

  it('ends with the current month of the clock when there is no `to`, and starts at `from` when later', async () => {
    const scope = await newScope();
    await seedInvoice(sql, scope, paid(5, '2026-06-30T00:00:00Z', 'jpy'));
    await seedInvoice(sql, scope, paid(9, '2026-07-20T00:00:00Z', 'jpy'));
    const now = d('2026-07-10T09:00:00Z');
    const { monthly } = await getStats(sql, scope, { from: d('2026-06-15') }, now);
    expect(monthly).toEqual([
      { month: '2026-06', currency: 'jpy', revenue: 5 },
      { month: '2026-07', currency: 'jpy', revenue: 9 },
    ]);
  });

  it('lists no month and no currency when nothing was paid', async () => {
    const scope = await newScope();
    await seedInvoice(sql, scope, { status: 'open', created_at: d('2026-01-05T00:00:00Z') });
    const result = await getStats(sql, scope, {}, d('2026-02-01T00:00:00Z'));
    expect(result).toEqual({
      currencies: [{ currency: 'usd', total_revenue: 0, total_refunded: 0, pending_amount: 1000, invoice_count: 1 }],
      invoice_count: 1,
      monthly: [],
    });
  });
});
