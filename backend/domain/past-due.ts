// Past due: the rule, the set-based transitions the daily scan applies, days past due, and aging.
//
// The rule. An open invoice is past due when its automatic payment failed (gateways set
// payment_failed; PayPal subscriptions too), or when its due date plus the account's
// past_due_grace_days has passed, in whole UTC days: due 10 Jan with 0 grace days is past due from
// 11 Jan 00:00 UTC. It leaves past due when it is paid, voided or marked uncollectible (the ledger
// does that with the gateway's event as source), or when its due date is moved to today or later
// and no payment has failed (the scan does that). Raising the grace days later does not take an
// invoice back out: an admin was already told.
//
// days_past_due counts whole UTC calendar days from the due date (or from the payment failure when
// that came first, or there is no due date) to now, never below 0.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { notFound } from './errors.js';
import { decodeCursor, page } from './pagination.js';
import { isUuid } from './query-input.js';
import type { Invoice } from './invoice-queries.js';

/** The history source of every change the scan makes. */
export const PAST_DUE_SCAN_SOURCE = 'job:past-due-scan';

export const AGING_BUCKETS = ['1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

const DAY_MS = 86_400_000;

/** 00:00 UTC of the day of `now`. */
export const utcDayStart = (now: Date) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);

/** Whole UTC calendar days from the earlier of the due date and the past-due start to `now` (>= 0). */
export function daysPastDue(now: Date, dueDate: Date | null, pastDueSince: Date | null): number {
  const times = [dueDate, pastDueSince].filter((d): d is Date => d !== null).map((d) => d.getTime());
  if (times.length === 0) return 0;
  const from = utcDayStart(new Date(Math.min(...times))).getTime();
  return Math.max(0, Math.round((utcDayStart(now).getTime() - from) / DAY_MS));
}

/** The same figure in SQL, over the columns due_date and past_due_since of the row in scope. */
export const daysPastDueSql = (db: Db, now: Date) =>
  db`GREATEST(0, (${now}::timestamptz AT TIME ZONE 'UTC')::date
    - (LEAST(due_date, past_due_since) AT TIME ZONE 'UTC')::date)`;

/** An invoice past due 0 days (a payment failed before the due date) ages with the 1-30 ones. */
export function agingBucket(days: number): AgingBucket {
  if (days <= 30) return '1-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

const inScope = (db: Db, scope: Scope | null) =>
  scope ? db`AND account_id = ${scope.accountId} AND livemode = ${scope.livemode}` : db``;

export interface TransitionCounts {
  entered: number;
  cleared: number;
}

/**
 * Marks past due every open invoice the rule now covers, and clears it from those whose due date
 * moved, each with a history row; one account+mode, or every one when scope is null. Set-based
 * (an open invoice's past_due flag and its history row, for a whole scope at once) so a scan of a million
 * invoices is two statements; run it in a transaction, and re-running it changes nothing.
 */
export async function applyPastDueTransitions(tx: Db, now: Date, scope: Scope | null): Promise<TransitionCounts> {
  const dayStart = utcDayStart(now);
  // Grace days come from the settings row; accounts without one have the default, 0.
  const [entered] = await tx<{ count: number }[]>`
    WITH entered AS (
      UPDATE invoices i SET past_due = true, past_due_since = ${now}, updated_at = now()
      WHERE i.status = 'open' AND NOT i.past_due AND NOT i.deleted ${inScope(tx, scope)}
        AND (i.payment_failed OR (
          i.due_date < ${dayStart}::timestamptz
          AND i.due_date < ${dayStart}::timestamptz - make_interval(days => COALESCE((
            SELECT s.past_due_grace_days FROM account_settings s
            WHERE s.account_id = i.account_id AND s.livemode = i.livemode), 0))))
      RETURNING i.id, i.account_id, i.livemode, i.payment_failed
    ), history AS (
      INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
      SELECT account_id, livemode, id, 'open', 'past_due', ${now}, ${PAST_DUE_SCAN_SOURCE},
        CASE WHEN payment_failed THEN 'payment failed' ELSE 'due date passed' END
      FROM entered
    )
    SELECT count(*)::int AS count FROM entered`;
  const [cleared] = await tx<{ count: number }[]>`
    WITH cleared AS (
      UPDATE invoices SET past_due = false, past_due_since = NULL, updated_at = now()
      WHERE past_due AND status = 'open' AND NOT payment_failed AND due_date >= ${dayStart}::timestamptz
        ${inScope(tx, scope)}
      RETURNING id, account_id, livemode
    ), history AS (
      INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
      SELECT account_id, livemode, id, 'past_due', 'open', ${now}, ${PAST_DUE_SCAN_SOURCE}, 'due date moved'
      FROM cleared
    )
    SELECT count(*)::int AS count FROM cleared`;
  return { entered: entered.count, cleared: cleared.count };
}

// --- reading: aging and the list ---------------------------------------------------------------

export interface AgingFigure {
  count: number;
  amount: number;
}

export interface CurrencyAging {
  currency: string;
  buckets: Record<AgingBucket, AgingFigure>;
  total: AgingFigure;
}

/** A past-due invoice as the aging list shows it: an invoice-list item with its past-due facts. */
export interface PastDueInvoice extends Omit<Invoice, 'status' | 'past_due'> {
  status: 'past_due';
  past_due: true;
  past_due_since: Date;
  payment_failed: boolean;
}

export interface PastDueFilter {
  tenantId?: string;
  currency?: string;
}

/** A tenant filter must name a tenant of this account and mode; another account's is 404. */
export async function checkTenant(db: Db, scope: Scope, tenantId: string | undefined) {
  if (tenantId === undefined) return;
  const found =
    isUuid(tenantId) &&
    (await db`SELECT 1 FROM tenants WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${tenantId}`)
      .length > 0;
  if (!found) throw notFound('tenant');
}

/** The past-due list's filters on the invoice row in scope (aging, list and CSV export share them). */
export const pastDueFilterSql = (db: Db, f: PastDueFilter) =>
  db`${f.tenantId ? db`AND tenant_id = ${f.tenantId}` : db``} ${f.currency ? db`AND currency = ${f.currency}` : db``}`;

/** Count and outstanding amount of past-due invoices per currency and age bucket (never summed across currencies). */
export async function pastDueAging(db: Db, scope: Scope, now: Date, f: PastDueFilter = {}): Promise<CurrencyAging[]> {
  await checkTenant(db, scope, f.tenantId);
  const rows = await db<{ currency: string; bucket: AgingBucket; count: number; amount: number }[]>`
    SELECT currency,
      CASE WHEN days <= 30 THEN '1-30' WHEN days <= 60 THEN '31-60' WHEN days <= 90 THEN '61-90' ELSE '90+' END AS bucket,
      count(*)::int AS count, COALESCE(sum(amount_remaining), 0)::bigint AS amount
    FROM (
      SELECT currency, amount_remaining, ${daysPastDueSql(db, now)} AS days FROM invoices
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
        AND past_due AND status = 'open' AND NOT deleted ${pastDueFilterSql(db, f)}
    ) aged
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  const byCurrency = new Map<string, CurrencyAging>();
  for (const r of rows) {
    let entry = byCurrency.get(r.currency);
    if (!entry) {
      const zero = () => ({ count: 0, amount: 0 });
      entry = {
        currency: r.currency,
        buckets: { '1-30': zero(), '31-60': zero(), '61-90': zero(), '90+': zero() },
        total: zero(),
      };
      byCurrency.set(r.currency, entry);
    }
    entry.buckets[r.bucket] = { count: r.count, amount: r.amount };
    entry.total.count += r.count;
    entry.total.amount += r.amount;
  }
  return [...byCurrency.values()];
}

/** Past-due invoices, longest overdue first, keyset-paginated. */
export async function listPastDue(
  db: Db,
  scope: Scope,
  now: Date,
  opts: PastDueFilter & { limit: number; cursor?: string },
): Promise<{ data: PastDueInvoice[]; next_cursor: string | null }> {
  await checkTenant(db, scope, opts.tenantId);
  const after = decodeCursor(opts.cursor);
  const rows = await db<(Omit<PastDueInvoice, 'tenant'> & { tenant_id: string | null; tenant_name: string | null; since: Date })[]>`
    SELECT i.id, i.gateway, i.external_id, i.number, i.tenant_id, t.name AS tenant_name, i.customer_id, i.currency,
      i.total, i.tax, i.amount_due, i.amount_paid, i.amount_remaining, i.amount_refunded, 'past_due' AS status,
      i.past_due, i.past_due_since, i.payment_failed, ${daysPastDueSql(db, now)} AS days_past_due, i.due_date,
      i.created_at, i.hosted_url, i.pdf_url, LEAST(i.due_date, i.past_due_since) AS since
    FROM invoices i
    LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = i.account_id AND t.livemode = i.livemode
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode}
      AND i.past_due AND i.status = 'open' AND NOT i.deleted
      ${opts.tenantId ? db`AND i.tenant_id = ${opts.tenantId}` : db``}
      ${opts.currency ? db`AND i.currency = ${opts.currency}` : db``}
      ${after ? db`AND (LEAST(i.due_date, i.past_due_since), i.id) > (${after.t}::timestamptz, ${after.id}::uuid)` : db``}
    ORDER BY LEAST(i.due_date, i.past_due_since), i.id
    LIMIT ${opts.limit + 1}`;
  const result = page(rows, opts.limit, (r) => r.since);
  return {
    data: result.data.map(({ tenant_id, tenant_name, since: _, ...inv }) => ({
      ...inv,
      tenant: tenant_id && tenant_name !== null ? { id: tenant_id, name: tenant_name } : null,
    })),
    next_cursor: result.next_cursor,
  };
}
