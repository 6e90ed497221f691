// The figures of the dashboard, per currency (amounts of different currencies are never added):
// revenue = amount_paid of paid invoices, refunded = amount_refunded, pending = amount_remaining of
// open invoices, count = invoices in scope (deleted drafts left out, as in the invoice list).
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { wholeDays } from './utc-days.js';

export interface CurrencyFigures {
  currency: string;
  total_revenue: number;
  total_refunded: number;
  pending_amount: number;
  invoice_count: number;
}

export interface MonthlyRevenue {
  /** YYYY-MM, UTC */
  month: string;
  currency: string;
  revenue: number;
}

export interface Stats {
  currencies: CurrencyFigures[];
  invoice_count: number;
  monthly: MonthlyRevenue[];
}

export interface StatsFilters {
  tenant_id?: string;
  /** created_at bounds: from inclusive, to exclusive */
  from?: Date;
  to?: Date;
}

const MONTHS = 12;

const monthKey = (d: Date) => d.toISOString().slice(0, 7);
const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

/**
 * The monthly series' window: the 12 calendar months (UTC) ending with the month of `to`
 * (exclusive, so its previous instant) or of `now`, cut at `from`.
 */
function monthlyWindow(filters: StatsFilters, now: Date) {
  const last = filters.to ? new Date(filters.to.getTime() - 1) : now;
  const [y, m] = [last.getUTCFullYear(), last.getUTCMonth()];
  const windowStart = monthStart(y, m - (MONTHS - 1));
  const start = filters.from && filters.from > windowStart ? filters.from : windowStart;
  const end = filters.to ?? monthStart(y, m + 1);
  const months: string[] = [];
  for (let d = monthStart(start.getUTCFullYear(), start.getUTCMonth()); d <= last; d = monthStart(d.getUTCFullYear(), d.getUTCMonth() + 1)) {
    months.push(monthKey(d));
  }
  return { start, end, months };
}

/** Rollup rows of the range's whole days as `(currency, day, invoice_count, paid_count, revenue, refunded, pending)`. */
function rollupRows(db: Db, scope: Scope, from: Date | undefined, to: Date | undefined) {
  const { days, edges } = wholeDays(from, to);
  const edgeRows = edges.length
    ? db`
      UNION ALL
      SELECT currency, (created_at AT TIME ZONE 'UTC')::date AS day, 1::bigint, (status = 'paid')::int::bigint,
        CASE WHEN status = 'paid' THEN amount_paid ELSE 0 END, amount_refunded,
        CASE WHEN status = 'open' THEN amount_remaining ELSE 0 END
      FROM invoices
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND NOT deleted
        AND ((created_at >= ${edges[0][0]} AND created_at < ${edges[0][1]})
          ${edges[1] ? db`OR (created_at >= ${edges[1][0]} AND created_at < ${edges[1][1]})` : db``})`
    : db``;
  return db`
    SELECT currency, day, invoice_count, paid_count, revenue, refunded, pending FROM invoice_daily_totals
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
      ${days ? db`${days.from ? db`AND day >= ${days.from}::date` : db``} ${days.to ? db`AND day < ${days.to}::date` : db``}` : db`AND false`}
    ${edgeRows}`;
}

export async function getStats(db: Db, scope: Scope, filters: StatsFilters, now: Date): Promise<Stats> {
  const window = monthlyWindow(filters, now);
  const [currencies, revenueRows] = filters.tenant_id
    ? await Promise.all([tenantFigures(db, scope, filters, filters.tenant_id), tenantMonthly(db, scope, window, filters.tenant_id)])
    : await Promise.all([
        db<CurrencyFigures[]>`
          SELECT currency, sum(revenue)::bigint AS total_revenue, sum(refunded)::bigint AS total_refunded,
            sum(pending)::bigint AS pending_amount, sum(invoice_count)::bigint AS invoice_count
          FROM (${rollupRows(db, scope, filters.from, filters.to)}) r (currency, day, invoice_count, paid_count, revenue, refunded, pending)
          GROUP BY currency HAVING sum(invoice_count) > 0
          ORDER BY currency`,
        db<MonthlyRevenue[]>`
          SELECT currency, to_char(day, 'YYYY-MM') AS month, sum(revenue)::bigint AS revenue
          FROM (${rollupRows(db, scope, window.start, window.end)}) r (currency, day, invoice_count, paid_count, revenue, refunded, pending)
          GROUP BY 1, 2 HAVING sum(paid_count) > 0`,
      ]);

  // Every month of the window for each currency with revenue, so the app can chart it as is.
  const revenue = new Map(revenueRows.map((r) => [`${r.currency} ${r.month}`, r.revenue]));
  const monthly = [...new Set(revenueRows.map((r) => r.currency))]
    .sort()
    .flatMap((currency) =>
      window.months.map((month) => ({ month, currency, revenue: revenue.get(`${currency} ${month}`) ?? 0 })),
    );

  return {
    currencies,
    invoice_count: currencies.reduce((n, c) => n + c.invoice_count, 0),
    monthly,
  };
}

// SUM of bigint is numeric: cast back so the driver hands out integers.
function tenantFigures(db: Db, scope: Scope, filters: StatsFilters, tenantId: string) {
  return db<CurrencyFigures[]>`
    SELECT currency,
      COALESCE(SUM(amount_paid) FILTER (WHERE status = 'paid'), 0)::bigint AS total_revenue,
      COALESCE(SUM(amount_refunded), 0)::bigint AS total_refunded,
      COALESCE(SUM(amount_remaining) FILTER (WHERE status = 'open'), 0)::bigint AS pending_amount,
      COUNT(*)::bigint AS invoice_count
    FROM invoices
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND NOT deleted AND tenant_id = ${tenantId}
      ${filters.from ? db`AND created_at >= ${filters.from}` : db``}
      ${filters.to ? db`AND created_at < ${filters.to}` : db``}
    GROUP BY currency
    ORDER BY currency`;
}

function tenantMonthly(db: Db, scope: Scope, window: { start: Date; end: Date }, tenantId: string) {
  return db<MonthlyRevenue[]>`
    SELECT currency, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, SUM(amount_paid)::bigint AS revenue
    FROM invoices
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND NOT deleted AND status = 'paid'
      AND tenant_id = ${tenantId} AND created_at >= ${window.start} AND created_at < ${window.end}
    GROUP BY 1, 2`;
}
