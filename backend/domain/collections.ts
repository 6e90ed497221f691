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
import { AGING_BUCKETS, pastDueRule, scopeGraceDays, type AgingBucket } from './past-due-rule.js';
import { getTenant } from './tenants.js';

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

/** The four figures of the window, per currency (and, for open invoices, per tenant and bucket). */
function readFigures(db: Db, scope: Scope, now: Date, f: CollectionsFilter, from: Date, to: Date) {
  const a = scope.accountId;
  const m = scope.livemode;
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  const tenant = (col = db`i.tenant_id`) => (f.tenant_id ? db`AND ${col} = ${f.tenant_id}` : db``);

  return Promise.all([
    db<{ currency: string; amount: number }[]>`
      SELECT i.currency, sum(i.amount_due)::bigint AS amount FROM invoices i
      WHERE i.account_id = ${a} AND i.livemode = ${m} AND i.status <> 'draft' AND NOT i.deleted
        AND i.status <> 'void' AND i.created_at >= ${from} AND i.created_at < ${to} ${tenant()}
      GROUP BY 1`,
    // the same range expression as the GiST index of migration 014
    db<{ currency: string; amount: number }[]>`
      SELECT i.currency, sum(CASE WHEN i.status = 'open' THEN i.amount_remaining ELSE i.amount_due END)::bigint AS amount
      FROM invoices i
      WHERE i.account_id = ${a} AND i.livemode = ${m} AND i.status <> 'draft' AND NOT i.deleted ${tenant()}
        AND tstzrange(i.created_at, CASE WHEN i.closed_at < i.created_at THEN i.created_at ELSE i.closed_at END, '(]')
          @> ${to}::timestamptz
      GROUP BY 1`,
    db<{ currency: string; cause: RecoveryCause | null; count: number; amount: number; days: number }[]>`
      SELECT i.currency, c.cause, count(*)::int AS count, sum(i.amount_paid)::bigint AS amount,
        sum(EXTRACT(EPOCH FROM (i.paid_at - i.created_at)) / 86400)::float8 AS days
      FROM invoices i
      CROSS JOIN LATERAL (SELECT CASE
        WHEN i.first_payment_failed_at IS NULL OR i.first_payment_failed_at > i.paid_at THEN NULL
        WHEN i.paid_out_of_band THEN 'outside'
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
          THEN 'reminder'
        WHEN i.gateway = 'paypal' THEN 'paypal'
        ELSE 'automatic_retry' END AS cause) c
      WHERE i.account_id = ${a} AND i.livemode = ${m} AND i.paid_at IS NOT NULL AND NOT i.deleted
        AND i.paid_at >= ${from} AND i.paid_at < ${to} ${tenant()}
      GROUP BY 1, 2`,
    db<{ currency: string; tenant_id: string | null; tenant_name: string | null; bucket: AgingBucket | null; count: number; amount: number }[]>`
      SELECT o.currency, o.tenant_id, t.name AS tenant_name, o.bucket, o.count, o.amount FROM (
        SELECT currency, tenant_id, bucket, count(*)::int AS count, sum(amount_remaining)::bigint AS amount FROM (
          SELECT currency, tenant_id, amount_remaining, CASE WHEN NOT overdue THEN NULL WHEN days <= 30 THEN '1-30'
            WHEN days <= 60 THEN '31-60' WHEN days <= 90 THEN '61-90' ELSE '90+' END AS bucket
          FROM (
            SELECT i.currency, i.tenant_id, i.amount_remaining, ${rule.isPastDue()} AS overdue,
              ${rule.days()} AS days
            FROM invoices i
            WHERE i.account_id = ${a} AND i.livemode = ${m} AND i.status = 'open' AND NOT i.deleted ${tenant()}
          ) o
        ) aged
        GROUP BY 1, 2, 3
      ) o
      LEFT JOIN tenants t ON t.id = o.tenant_id AND t.account_id = ${a} AND t.livemode = ${m}`,
  ]);
}

type Figures = Awaited<ReturnType<typeof readFigures>>;

/** Folds the figures into one entry per currency: DSO, overdue ratio, days to pay, recoveries, top tenants. */
function toCollections([sales, receivables, paid, open]: Figures, now: Date, from: Date, to: Date): Collections {
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
    const e = entry(r.currency);
    e.paid_count += r.count;
    daysSum.set(r.currency, (daysSum.get(r.currency) ?? 0) + r.days);
    const recovered = r.cause && e.recovered.find((x) => x.cause === r.cause);
    if (recovered) {
      recovered.count += r.count;
      recovered.amount += r.amount;
    }
  }
  const tenants = new Map<string, Map<string | null, TenantOverdue>>();
  for (const r of open) {
    const e = entry(r.currency);
    const amount = r.amount;
    e.open_amount += amount;
    if (r.bucket === null) continue;
    e.overdue_amount += amount;
    let perTenant = tenants.get(r.currency);
    if (!perTenant) tenants.set(r.currency, (perTenant = new Map()));
    let t = perTenant.get(r.tenant_id);
    if (!t) {
      const zero = () => ({ count: 0, amount: 0 });
      t = {
        tenant: r.tenant_id && r.tenant_name !== null ? { id: r.tenant_id, name: r.tenant_name } : null,
        overdue_amount: 0,
        buckets: Object.fromEntries(AGING_BUCKETS.map((b) => [b, zero()])) as Record<AgingBucket, AgingFigure>,
      };
      perTenant.set(r.tenant_id, t);
    }
    t.overdue_amount += amount;
    t.buckets[r.bucket].count += r.count;
    t.buckets[r.bucket].amount += amount;
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
  return toCollections(await readFigures(db, scope, now, f, from, to), now, from, to);
}

/** Records that an invoice was paid outside the gateway (Stripe paid_out_of_band, PayPal MARKED_AS_PAID). */
export async function markPaidOutOfBand(tx: Db, scope: Scope, invoiceId: string): Promise<void> {
  await tx`UPDATE invoices SET paid_out_of_band = true
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${invoiceId} AND NOT paid_out_of_band`;
}
