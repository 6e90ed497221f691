// The figures of the dashboard, per currency (amounts of different currencies are never added):
// revenue = amount_paid of paid invoices, refunded = amount_refunded, pending = amount_remaining of
// open invoices, count = invoices in scope (deleted drafts left out, as in the invoice list).
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';

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

export async function getStats(db: Db, scope: Scope, filters: StatsFilters, now: Date): Promise<Stats> {
  const tenant = () => (filters.tenant_id ? db`AND tenant_id = ${filters.tenant_id}` : db``);
  // SUM of bigint is numeric: cast back so the driver hands out integers.
  const currencies = await db<CurrencyFigures[]>`
    SELECT currency,
      COALESCE(SUM(amount_paid) FILTER (WHERE status = 'paid'), 0)::bigint AS total_revenue,
      COALESCE(SUM(amount_refunded), 0)::bigint AS total_refunded,
      COALESCE(SUM(amount_remaining) FILTER (WHERE status = 'open'), 0)::bigint AS pending_amount,
      COUNT(*)::bigint AS invoice_count
    FROM invoices
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND NOT deleted
      ${tenant()}
      ${filters.from ? db`AND created_at >= ${filters.from}` : db``}
      ${filters.to ? db`AND created_at < ${filters.to}` : db``}
    GROUP BY currency
    ORDER BY currency`;

  const window = monthlyWindow(filters, now);
  const revenueRows = await db<MonthlyRevenue[]>`
    SELECT currency, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, SUM(amount_paid)::bigint AS revenue
    FROM invoices
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND NOT deleted AND status = 'paid'
      ${tenant()}
      AND created_at >= ${window.start} AND created_at < ${window.end}
    GROUP BY 1, 2`;
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
