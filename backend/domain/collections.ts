// Collections figures per currency (GET /api/collections): DSO, overdue amount and ratio, average
// days to pay, what recovered payments after a failure, and the tenants with most overdue.
//
// Definitions (the README and the route description say the same):
// - Window: [from, to), default the 30 days ending now; window_days = (to - from) in days.
// - Issued: an invoice that is not a draft nor deleted, dated by its created_at.
// - credit_sales: sum of amount_due of the invoices issued in the window, void ones left out.
// - receivables: what was owed at the window end: invoices issued before `to` and not yet paid,
//   voided or marked uncollectible at `to` (closed_at after it, or still open); each counts with
//   amount_remaining if it is still open, else with amount_due (it was owed in full at `to`).
// - dso_days = receivables / credit_sales * window_days (null without credit sales).
// - overdue_amount: amount_remaining of the invoices past due now (the past-due rule, at the clock,
//   whatever the window); overdue_ratio = overdue_amount / amount_remaining of every open invoice now.
// - average_days_to_pay: mean of (paid_at - created_at) in days over invoices paid in the window.
// - recovered: invoices paid in the window whose payment had failed before, by what preceded the
//   payment, first match wins: `outside` (paid out of band), `admin_retry` (a succeeded retry from
//   the app after the failure), `reminder` (a reminder to the customer, from the app or the
//   scheduled customer reminders, after the failure and within REMINDER_WINDOW_DAYS before the
//   payment), `paypal` (a PayPal payment), else `automatic_retry` (Stripe's own retry).
// - tenants: the tenants (null: invoices without a tenant) with most overdue now, per currency,
//   with their aging buckets.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { invalid } from './errors.js';
import type { TenantRef } from './invoice-queries.js';
import type { AgingFigure } from './past-due-queries.js';
import { AGING_BUCKETS, bucketAt, pastDueRule, scopeGraceDays, type AgingBucket } from './past-due-rule.js';
import { getTenant } from './tenants.js';
import { wholeDays } from './utc-days.js';

export const DEFAULT_WINDOW_DAYS = 30;
export const REMINDER_WINDOW_DAYS = 7;
export const TOP_TENANTS = 10;
export const RECOVERY_CAUSES = ['automatic_retry', 'admin_retry', 'reminder', 'paypal', 'outside'] as const;
export type RecoveryCause = (typeof RECOVERY_CAUSES)[number];

const DAY_MS = 86_400_000;
/** A succeeded retry is recorded once Stripe answered, a moment after the payment it made. */
const RETRY_RECORD_SLACK = '1 hour';

export interface CollectionsFilter {
  tenant_id?: string;
  from?: Date;
  to?: Date;
}

export interface TenantOverdue {
  tenant: TenantRef | null;
  overdue_amount: number;
  buckets: Record<AgingBucket, AgingFigure>;
}

export interface CurrencyCollections {
  currency: string;
  dso_days: number | null;
  receivables: number;
  credit_sales: number;
  overdue_amount: number;
  open_amount: number;
  overdue_ratio: number | null;
  average_days_to_pay: number | null;
  paid_count: number;
  recovered: { cause: RecoveryCause; count: number; amount: number }[];
  tenants: TenantOverdue[];
}

export interface Collections {
  from: Date;
  to: Date;
  window_days: number;
  as_of: Date;
  currencies: CurrencyCollections[];
}


const round1 = (n: number) => Math.round(n * 10) / 10;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function collectionsWindow(now: Date, f: CollectionsFilter): { from: Date; to: Date } {
  const to = f.to ?? now;
  const from = f.from ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  if (from >= to) throw invalid('from must be before to');
  return { from, to };
}

type Amounts = { currency: string; amount: number }[];
type PaidTotals = { currency: string; count: number; amount: number; days: number }[];
type Recovered = { currency: string; cause: RecoveryCause; count: number; amount: number }[];

/** Paid in [from, to) after a failed payment (on `invoices i`). */
const recoveredIn = (db: Db, from: Date, to: Date) => db`i.paid_at IS NOT NULL AND NOT i.deleted
  AND i.first_payment_failed_at IS NOT NULL AND i.first_payment_failed_at <= i.paid_at AND i.paid_at >= ${from} AND i.paid_at < ${to}`;

/** The recovery cause an invoice's own columns give (the rollup of migration 021 keeps the same three). */
const ownCause = (db: Db) =>
  db`(CASE WHEN i.paid_out_of_band THEN 'outside' WHEN i.gateway = 'paypal' THEN 'paypal' ELSE 'automatic_retry' END)`;

/** Credit sales, receivables, paid totals and recoveries by own cause from the invoices (a tenant has few). */
function tenantWindowFigures(db: Db, scope: Scope, tenantId: string, from: Date, to: Date) {
  const where = () => db`i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.tenant_id = ${tenantId} AND NOT i.deleted`;
  return Promise.all([
    db<Amounts>`
      SELECT i.currency, sum(i.amount_due)::bigint AS amount FROM invoices i
      WHERE ${where()} AND i.status <> 'draft' AND i.status <> 'void' AND i.created_at >= ${from} AND i.created_at < ${to}
      GROUP BY 1 HAVING sum(i.amount_due) <> 0`,
    // receivables at `to`: issued before it, not closed before it
    db<Amounts>`
      SELECT i.currency, sum(CASE WHEN i.status = 'open' THEN i.amount_remaining ELSE i.amount_due END)::bigint AS amount
      FROM invoices i
      WHERE ${where()} AND i.status <> 'draft'
        AND tstzrange(i.created_at, CASE WHEN i.closed_at < i.created_at THEN i.created_at ELSE i.closed_at END, '(]')
          @> ${to}::timestamptz
      GROUP BY 1 HAVING sum(CASE WHEN i.status = 'open' THEN i.amount_remaining ELSE i.amount_due END) <> 0`,
    db<PaidTotals>`
      SELECT i.currency, count(*)::int AS count, sum(i.amount_paid)::bigint AS amount,
        sum(EXTRACT(EPOCH FROM (i.paid_at - i.created_at)) / 86400)::float8 AS days
      FROM invoices i
      WHERE ${where()} AND i.paid_at IS NOT NULL AND i.paid_at >= ${from} AND i.paid_at < ${to}
      GROUP BY 1`,
    db<Recovered>`
      SELECT i.currency, ${ownCause(db)} AS cause, count(*)::int AS count, sum(i.amount_paid)::bigint AS amount
      FROM invoices i
      WHERE ${where()} AND ${recoveredIn(db, from, to)}
      GROUP BY 1, 2`,
  ]);
}

/**
 * The same for a whole account: whole days from the rollup of migration 021, the partial days at
 * the edges from the invoices (indexes of 014 and 021), so the figures equal the scan's.
 */
async function accountWindowFigures(
  db: Db,
  scope: Scope,
  now: Date,
  from: Date,
  windowEnd: Date,
): Promise<[Amounts, Amounts, PaidTotals, Recovered]> {
  const where = () => db`account_id = ${scope.accountId} AND livemode = ${scope.livemode}`;
  // Nothing is issued, paid or closed after now (a gateway's clock a few seconds ahead aside): a
  // window reaching the present reads today's rollup row whole rather than today's invoices.
  const endOfToday = (Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS;
  const to = windowEnd >= now ? new Date(Math.max(windowEnd.getTime(), endOfToday)) : windowEnd;
  const window = wholeDays(from, to);
  const days = () =>
    window.days ? db`AND day >= ${window.days.from}::date AND day < ${window.days.to}::date` : db`AND false`;
  // the invoices of each partial day, one range scan each (an OR of two ranges reads the table)
  const [first, second] = window.edges;
  const edgeRows = (rows: (start: Date, end: Date) => ReturnType<Db>) =>
    db`${first ? db`UNION ALL ${rows(first[0], first[1])}` : db``} ${second ? db`UNION ALL ${rows(second[0], second[1])}` : db``}`;
  // receivables: everything owed since the beginning, less what closed, before `to`
  const before = wholeDays(undefined, to);
  const owedSince = before.edges[0];
  const owed = () => db`CASE WHEN status = 'open' THEN amount_remaining ELSE amount_due END`;
  const figures = Promise.all([
    db<Amounts>`
      SELECT currency, sum(amount)::bigint AS amount FROM (
        SELECT currency, issued AS amount FROM invoice_collection_days WHERE ${where()} ${days()}
        ${edgeRows((start, end) => db`
          SELECT currency, amount_due FROM invoices
          WHERE ${where()} AND status <> 'draft' AND status <> 'void' AND NOT deleted AND created_at >= ${start} AND created_at < ${end}`)}
      ) x GROUP BY 1 HAVING sum(amount) <> 0`,
    db<Amounts>`
      SELECT currency, sum(amount)::bigint AS amount FROM (
        SELECT currency, owed - closed AS amount FROM invoice_collection_days WHERE ${where()} AND day < ${before.days!.to}::date
        ${owedSince ? db`
        UNION ALL
        SELECT currency, ${owed()} FROM invoices
        WHERE ${where()} AND status <> 'draft' AND NOT deleted AND created_at >= ${owedSince[0]} AND created_at < ${owedSince[1]}
        UNION ALL
        SELECT currency, -(${owed()}) FROM invoices
        WHERE ${where()} AND status <> 'draft' AND NOT deleted AND closed_at IS NOT NULL
          AND GREATEST(closed_at, created_at) >= ${owedSince[0]} AND GREATEST(closed_at, created_at) < ${owedSince[1]}` : db``}
      ) x GROUP BY 1 HAVING sum(amount) <> 0`,
    db<(PaidTotals[number] & Record<`${'outside' | 'paypal' | 'automatic'}${'' | '_amount'}`, number>)[]>`
      SELECT currency, sum(count)::int AS count, sum(amount)::bigint AS amount, (sum(ms) / 86400000)::float8 AS days,
        sum(outside)::int AS outside, sum(outside_amount)::bigint AS outside_amount, sum(paypal)::int AS paypal,
        sum(paypal_amount)::bigint AS paypal_amount, sum(automatic)::int AS automatic,
        sum(automatic_amount)::bigint AS automatic_amount
      FROM (
        SELECT currency, paid_count AS count, paid_amount AS amount, paid_ms::numeric AS ms, recovered_outside AS outside,
          recovered_outside_amount AS outside_amount, recovered_paypal AS paypal, recovered_paypal_amount AS paypal_amount,
          recovered_automatic AS automatic, recovered_automatic_amount AS automatic_amount
        FROM invoice_collection_days WHERE ${where()} ${days()}
        ${edgeRows((start, end) => db`
          SELECT i.currency, 1, i.amount_paid, EXTRACT(EPOCH FROM (i.paid_at - i.created_at)) * 1000, c.outside::int,
            CASE WHEN c.outside THEN i.amount_paid ELSE 0 END, c.paypal::int, CASE WHEN c.paypal THEN i.amount_paid ELSE 0 END,
            c.automatic::int, CASE WHEN c.automatic THEN i.amount_paid ELSE 0 END
          FROM invoices i
          -- the cause of a payment after a failure (NULL for any other payment)
          CROSS JOIN LATERAL (SELECT CASE WHEN i.first_payment_failed_at <= i.paid_at THEN ${ownCause(db)} END AS cause) r
          CROSS JOIN LATERAL (SELECT r.cause IS NOT DISTINCT FROM 'outside' AS outside, r.cause IS NOT DISTINCT FROM 'paypal' AS paypal,
            r.cause IS NOT DISTINCT FROM 'automatic_retry' AS automatic) c
          WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.paid_at IS NOT NULL AND NOT i.deleted AND i.paid_at >= ${start} AND i.paid_at < ${end}`)}
      ) x GROUP BY 1 HAVING sum(count) <> 0`,
  ]);
  const [sales, receivables, paid] = await figures;
  const recovered: Recovered = paid.flatMap((r) => [
    { currency: r.currency, cause: 'outside' as const, count: r.outside, amount: r.outside_amount },
    { currency: r.currency, cause: 'paypal' as const, count: r.paypal, amount: r.paypal_amount },
    { currency: r.currency, cause: 'automatic_retry' as const, count: r.automatic, amount: r.automatic_amount },
  ]);
  return [sales, receivables, paid, recovered];
}

/** The window's figures per currency, and for the open invoices per tenant and bucket. */
async function readFigures(db: Db, scope: Scope, now: Date, f: CollectionsFilter, from: Date, to: Date) {
  const a = scope.accountId;
  const m = scope.livemode;
  const tenant = () => (f.tenant_id ? db`AND i.tenant_id = ${f.tenant_id}` : db``);
  // The grace days are read inside the open invoices' statement (they only sort its rows into
  // past due or not), so no statement waits for another.
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));

  const [[sales, receivables, paid, recovered], moved, open] = await Promise.all([
    f.tenant_id ? tenantWindowFigures(db, scope, f.tenant_id, from, to) : accountWindowFigures(db, scope, now, from, to),
    // Payments after a failure count under their own cause (above); the few invoices with an admin
    // action or a customer reminder at all are looked up one by one from that side, and move to
    // the cause those give them.
    db<{ currency: string; own: RecoveryCause; cause: RecoveryCause | null; count: number; amount: number }[]>`
      SELECT i.currency, ${ownCause(db)} AS own, CASE
        WHEN EXISTS (
          SELECT 1 FROM admin_actions x
          WHERE x.account_id = ${a} AND x.livemode = ${m} AND x.invoice_id = i.id AND x.outcome = 'succeeded'
            AND x.action = 'retry' AND x.created_at >= i.first_payment_failed_at
            AND x.created_at <= i.paid_at + ${RETRY_RECORD_SLACK}::interval) THEN 'admin_retry'
        WHEN EXISTS (
          SELECT 1 FROM admin_actions x
          WHERE x.account_id = ${a} AND x.livemode = ${m} AND x.invoice_id = i.id AND x.outcome = 'succeeded'
            AND x.action = 'send_reminder' AND x.created_at >= i.first_payment_failed_at
            AND x.created_at <= i.paid_at AND x.created_at >= i.paid_at - make_interval(days => ${REMINDER_WINDOW_DAYS}))
          OR EXISTS (
          SELECT 1 FROM notifications n
          WHERE n.account_id = ${a} AND n.livemode = ${m} AND n.invoice_id = i.id AND n.kind = 'customer'
            AND n.status = 'delivered' AND n.delivered_at >= i.first_payment_failed_at
            AND n.delivered_at <= i.paid_at AND n.delivered_at >= i.paid_at - make_interval(days => ${REMINDER_WINDOW_DAYS}))
          THEN 'reminder' END AS cause,
        count(*)::int AS count, sum(i.amount_paid)::bigint AS amount
      FROM invoices i
      WHERE i.account_id = ${a} AND i.livemode = ${m} AND ${recoveredIn(db, from, to)} ${tenant()}
        AND NOT i.paid_out_of_band AND i.id IN (
        SELECT x.invoice_id FROM admin_actions x
        WHERE x.account_id = ${a} AND x.livemode = ${m} AND x.outcome = 'succeeded' AND x.action IN ('retry', 'send_reminder')
        UNION
        SELECT n.invoice_id FROM notifications n
        WHERE n.account_id = ${a} AND n.livemode = ${m} AND n.kind = 'customer' AND n.status = 'delivered')
      GROUP BY 1, 2, 3`,
    // Open invoices by currency, and the past-due ones by tenant and bucket (bucketAt): an index-only
    // scan of invoices_open_since. Tenant names are read after, for the top tenants only.
    db<{ currency: string; tenant_id: string | null; overdue: boolean; bucket: number | null; count: number; amount: number }[]>`
      SELECT i.currency, CASE WHEN ${rule.openPastDue()} THEN i.tenant_id END AS tenant_id, ${rule.openPastDue()} AS overdue,
        CASE WHEN ${rule.openPastDue()} THEN ${rule.bucket()} END AS bucket,
        count(*)::int AS count, sum(i.amount_remaining)::bigint AS amount
      FROM invoices i
      WHERE i.account_id = ${a} AND i.livemode = ${m} AND i.status = 'open' AND NOT i.deleted ${tenant()}
      GROUP BY 1, 2, 3, 4`,
  ]);
  return { sales, receivables, paid, recovered, moved, open };
}

type Figures = Awaited<ReturnType<typeof readFigures>>;

/** Folds the figures into one entry per currency: DSO, overdue ratio, days to pay, recoveries, top tenants. */
function toCollections(
  { sales, receivables, paid, recovered, moved, open }: Figures,
  names: Map<string, string>,
  now: Date,
  from: Date,
  to: Date,
): Collections {
  const windowDays = (to.getTime() - from.getTime()) / DAY_MS;
  const byCurrency = new Map<string, CurrencyCollections>();
  const entry = (currency: string) => {
    let e = byCurrency.get(currency);
    if (!e) {
      e = {
        currency,
        dso_days: null,
        receivables: 0,
        credit_sales: 0,
        overdue_amount: 0,
        open_amount: 0,
        overdue_ratio: null,
        average_days_to_pay: null,
        paid_count: 0,
        recovered: RECOVERY_CAUSES.map((cause) => ({ cause, count: 0, amount: 0 })),
        tenants: [],
      };
      byCurrency.set(currency, e);
    }
    return e;
  };
  for (const r of sales) entry(r.currency).credit_sales = r.amount;
  for (const r of receivables) entry(r.currency).receivables = r.amount;
  const daysSum = new Map<string, number>();
  for (const r of paid) {
    entry(r.currency).paid_count += r.count;
    daysSum.set(r.currency, (daysSum.get(r.currency) ?? 0) + r.days);
  }
  const addRecovered = (currency: string, cause: RecoveryCause, count: number, amount: number) => {
    const figure = entry(currency).recovered.find((x) => x.cause === cause)!;
    figure.count += count;
    figure.amount += amount;
  };
  for (const r of recovered) addRecovered(r.currency, r.cause, r.count, r.amount);
  for (const r of moved) {
    if (!r.cause) continue;
    addRecovered(r.currency, r.own, -r.count, -r.amount);
    addRecovered(r.currency, r.cause, r.count, r.amount);
  }
  const tenants = new Map<string, Map<string | null, TenantOverdue>>();
  for (const r of open) {
    const e = entry(r.currency);
    const amount = r.amount;
    e.open_amount += amount;
    if (!r.overdue) continue;
    const bucket = bucketAt(r.bucket);
    e.overdue_amount += amount;
    let perTenant = tenants.get(r.currency);
    if (!perTenant) tenants.set(r.currency, (perTenant = new Map()));
    let t = perTenant.get(r.tenant_id);
    if (!t) {
      const zero = () => ({ count: 0, amount: 0 });
      const name = r.tenant_id === null ? undefined : names.get(r.tenant_id);
      t = {
        tenant: r.tenant_id && name !== undefined ? { id: r.tenant_id, name } : null,
        overdue_amount: 0,
        buckets: Object.fromEntries(AGING_BUCKETS.map((b) => [b, zero()])) as Record<AgingBucket, AgingFigure>,
      };
      perTenant.set(r.tenant_id, t);
    }
    t.overdue_amount += amount;
    t.buckets[bucket].count += r.count;
    t.buckets[bucket].amount += amount;
  }

  for (const e of byCurrency.values()) {
    if (e.credit_sales > 0) e.dso_days = round1((e.receivables / e.credit_sales) * windowDays);
    if (e.open_amount > 0) e.overdue_ratio = round4(e.overdue_amount / e.open_amount);
    if (e.paid_count > 0) e.average_days_to_pay = round1((daysSum.get(e.currency) ?? 0) / e.paid_count);
    e.tenants = [...(tenants.get(e.currency)?.values() ?? [])]
      .sort((x, y) => y.overdue_amount - x.overdue_amount || (x.tenant?.name ?? '').localeCompare(y.tenant?.name ?? ''))
      .slice(0, TOP_TENANTS);
  }
  return {
    from,
    to,
    window_days: round1(windowDays),
    as_of: now,
    currencies: [...byCurrency.values()].sort((x, y) => x.currency.localeCompare(y.currency)),
  };
}

export async function getCollections(db: Db, scope: Scope, now: Date, f: CollectionsFilter): Promise<Collections> {
  const { from, to } = collectionsWindow(now, f);
  if (f.tenant_id) await getTenant(db, scope, f.tenant_id); // another account's tenant is 404
  const figures = await readFigures(db, scope, now, f, from, to);
  return toCollections(figures, await tenantNames(db, scope, topTenantIds(figures.open)), now, from, to);
}

/** The tenants that can be among the TOP_TENANTS of a currency (ties at the last place included). */
function topTenantIds(open: Figures['open']): string[] {
  const perCurrency = new Map<string, Map<string | null, number>>();
  for (const r of open) {
    if (!r.overdue) continue;
    const sums = perCurrency.get(r.currency) ?? new Map<string | null, number>();
    perCurrency.set(r.currency, sums.set(r.tenant_id, (sums.get(r.tenant_id) ?? 0) + r.amount));
  }
  const ids = new Set<string>();
  for (const sums of perCurrency.values()) {
    const amounts = [...sums.values()].sort((x, y) => y - x);
    const last = amounts[Math.min(TOP_TENANTS, amounts.length) - 1];
    for (const [id, amount] of sums) if (id !== null && amount >= last) ids.add(id);
  }
  return [...ids];
}

async function tenantNames(db: Db, scope: Scope, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db<{ id: string; name: string }[]>`
    SELECT id, name FROM tenants WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Records that an invoice was paid outside the gateway (Stripe paid_out_of_band, PayPal MARKED_AS_PAID). */
export async function markPaidOutOfBand(tx: Db, scope: Scope, invoiceId: string): Promise<void> {
  await tx`UPDATE invoices SET paid_out_of_band = true
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${invoiceId} AND NOT paid_out_of_band`;
}
