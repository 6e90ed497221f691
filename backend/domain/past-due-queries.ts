// Past due, the read side: the aging per currency and the list, longest overdue first. Whether an
// invoice is past due is derived when read (past-due-rule.ts).
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { notFound } from './errors.js';
import { decodeCursor, page } from './pagination.js';
import { isUuid } from './query-input.js';
import { itemColumns, toInvoice, type Invoice, type InvoiceRow } from './invoice-queries.js';
import { bucketAt, graceDaysOf, pastDueRule, type AgingBucket } from './past-due-rule.js';

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
  const rule = pastDueRule(db, now, await graceDaysOf(db, scope));
  // Reads only columns of invoices_open_since, so it is an index-only scan of the open invoices,
  // grouped by currency and bucket (a handful of groups).
  // (no ORDER BY: sorted, the planner's generic plan would sort every row to group them)
  const rows = await db<{ currency: string; bucket: number | null; count: number; amount: number }[]>`
    SELECT i.currency, ${rule.bucket()} AS bucket, count(*)::int AS count,
      COALESCE(sum(i.amount_remaining), 0)::bigint AS amount
    FROM invoices i
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND ${rule.pastDue()} ${pastDueFilterSql(db, f)}
    GROUP BY 1, 2`;
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
    const bucket = entry.buckets[bucketAt(r.bucket)];
    bucket.count += r.count;
    bucket.amount += r.amount;
    entry.total.count += r.count;
    entry.total.amount += r.amount;
  }
  return [...byCurrency.values()].sort((x, y) => x.currency.localeCompare(y.currency));
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
  const rule = pastDueRule(db, now, await graceDaysOf(db, scope));
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
