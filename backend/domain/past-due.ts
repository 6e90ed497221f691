// Past due: the daily scan's transitions, days past due, and aging.
//
// Whether an invoice is past due (or failed) is derived when read, by the rule in past-due-rule.ts;
// nothing stored decides it. The stored past_due flag is only the scan's record of what it already
// reported: the scan writes a history row when an invoice enters past due (by due date; a failed
// payment is recorded by the gateway event itself) and when it leaves past due while still open
// (due date moved or removed, grace days raised); leaving by payment, void or uncollectible is
// recorded by the ledger with the gateway's event as source.
//
// days_past_due counts whole UTC calendar days from the due date (or from the payment failure when
// that came first, or there is no due date) to now, never below 0.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { notFound } from './errors.js';
import { decodeCursor, page } from './pagination.js';
import { isUuid } from './query-input.js';
import { itemColumns, toInvoice, type Invoice, type InvoiceRow } from './invoice-queries.js';
import { pastDueRule, rowGraceDays, scopeGraceDays, utcDayStart } from './past-due-rule.js';

export { utcDayStart };

/** The history source of every change the scan makes. */
export const PAST_DUE_SCAN_SOURCE = 'job:past-due-scan';

export const AGING_BUCKETS = ['1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

const DAY_MS = 86_400_000;

/** Whole UTC calendar days from the earlier of the due date and the past-due start to `now` (>= 0). */
export function daysPastDue(now: Date, dueDate: Date | null, pastDueSince: Date | null): number {
  const times = [dueDate, pastDueSince].filter((d): d is Date => d !== null).map((d) => d.getTime());
  if (times.length === 0) return 0;
  const from = utcDayStart(new Date(Math.min(...times))).getTime();
  return Math.max(0, Math.round((utcDayStart(now).getTime() - from) / DAY_MS));
}

/** An invoice past due 0 days (a payment failed before the due date) ages with the 1-30 ones. */
export function agingBucket(days: number): AgingBucket {
  if (days <= 30) return '1-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

const inScope = (db: Db, scope: Scope | null) =>
  scope ? db`AND i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode}` : db``;

export interface TransitionCounts {
  entered: number;
  cleared: number;
}

/**
 * Records, with a history row each, the invoices that entered past due since the scan last looked
 * and those that left it while still open; one account+mode, or every one when scope is null.
 * Set-based (two statements for a whole scope) so a scan of a million invoices stays short; run it
 * in a transaction, and re-running it changes nothing.
 */
export async function applyPastDueTransitions(tx: Db, now: Date, scope: Scope | null): Promise<TransitionCounts> {
  const dayStart = utcDayStart(now);
  // Each row with its own account's grace days (accounts without settings have the default, 0).
  const rule = pastDueRule(tx, now, () => rowGraceDays(tx));
  const [entered] = await tx<{ count: number }[]>`
    WITH entered AS (
      UPDATE invoices i SET past_due = true, past_due_since = ${now}, updated_at = now()
      WHERE NOT i.past_due AND ${rule.pastDue()} ${inScope(tx, scope)}
        -- implied by the rule; lets the planner start from the scan's candidate indexes
        AND (i.payment_failed OR i.due_date < ${dayStart}::timestamptz)
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
      UPDATE invoices i SET past_due = false, past_due_since = NULL, updated_at = now()
      WHERE i.past_due AND i.status = 'open' AND NOT i.payment_failed AND NOT i.deleted
        AND (i.due_date IS NULL OR i.due_date >= ${rule.cutoff()}) ${inScope(tx, scope)}
      RETURNING i.id, i.account_id, i.livemode, i.due_date
    ), history AS (
      INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
      SELECT account_id, livemode, id, 'past_due', 'open', ${now}, ${PAST_DUE_SCAN_SOURCE},
        CASE WHEN due_date IS NULL THEN 'due date removed'
             WHEN due_date >= ${dayStart}::timestamptz THEN 'due date moved'
             ELSE 'grace days raised' END
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
export interface PastDueInvoice extends Omit<Invoice, 'state' | 'past_due'> {
  state: 'past_due' | 'failed';
  past_due: true;
  /** when it became past due: its payment failure, or the day after its due date plus the grace days */
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

/** The past-due list's filters on `invoices i` (aging, list and CSV export share them). */
export const pastDueFilterSql = (db: Db, f: PastDueFilter) =>
  db`${f.tenantId ? db`AND i.tenant_id = ${f.tenantId}` : db``} ${f.currency ? db`AND i.currency = ${f.currency}` : db``}`;

/** Sort key of the past-due list (an expression of the index invoices_open_since, migration 010). */
const sinceKey = (db: Db) => db`LEAST(i.due_date, i.payment_failed_at)`;

/** Count and outstanding amount of past-due invoices per currency and age bucket (never summed across currencies). */
export async function pastDueAging(db: Db, scope: Scope, now: Date, f: PastDueFilter = {}): Promise<CurrencyAging[]> {
  await checkTenant(db, scope, f.tenantId);
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  // Reads only columns of invoices_open_since, so it is an index-only scan of the open invoices;
  // grouped by whole days (a few hundred groups) and bucketed here, so each row's days are computed once.
  const rows = await db<{ currency: string; days: number; count: number; amount: number }[]>`
    SELECT i.currency, ${rule.daysOfPastDue()} AS days, count(*)::int AS count,
      COALESCE(sum(i.amount_remaining), 0)::bigint AS amount
    FROM invoices i
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND ${rule.pastDue()} ${pastDueFilterSql(db, f)}
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
    const bucket = entry.buckets[agingBucket(r.days)];
    bucket.count += r.count;
    bucket.amount += r.amount;
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
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  // The page is cut from invoices alone, in the order of invoices_open_since, then joined to tenants
  // (joined first, the planner sorts every past-due invoice of the account).
  const rows = await db<(InvoiceRow & { past_due_since: Date; payment_failed: boolean; sort_key: Date })[]>`
    SELECT ${itemColumns(db, scope, now)}, ${rule.since()} AS past_due_since, i.payment_failed, i.sort_key
    FROM (
      SELECT i.*, ${sinceKey(db)} AS sort_key FROM invoices i
      WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND ${rule.pastDue()}
        ${pastDueFilterSql(db, opts)}
        ${after ? db`AND (${sinceKey(db)}, i.id) > (${after.t}::timestamptz, ${after.id}::uuid)` : db``}
      ORDER BY ${sinceKey(db)}, i.id
      LIMIT ${opts.limit + 1}
    ) i
    LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = i.account_id AND t.livemode = i.livemode
    ORDER BY i.sort_key, i.id`;
  const result = page(rows, opts.limit, (r) => r.sort_key);
  return {
    // the WHERE clause made every row past due, so its state is past_due or failed
    data: result.data.map(({ sort_key: _, ...row }) => ({
      ...toInvoice(row, scope),
      state: row.state as PastDueInvoice['state'],
      past_due: true as const,
    })),
    next_cursor: result.next_cursor,
  };
}
