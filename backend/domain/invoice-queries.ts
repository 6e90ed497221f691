// Read side of the invoice ledger: the filtered, keyset-paginated list and one invoice with its
// history and events. Deleted drafts are left out everywhere (they no longer exist at the gateway).
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { notFound } from './errors.js';
import type { DisplayStatus, InvoiceStatus, InvoiceStatusFilter } from './invoices.js';
import { newestFirstPage } from './pagination.js';
import { dashboardUrl, pastDueRule, scopeGraceDays, type InvoiceState } from './past-due-rule.js';
import { containsPattern, isUuid } from './query-input.js';
import type { Gateway } from './tenants.js';
import { invoiceLines, publicLines, type InvoiceLine } from './invoice-lines.js';

/**
 * The text the trigram index of migration 008 covers. Whatever one of the three fields contains,
 * this contains too, so the extra condition changes no result and lets the index find the rows.
 */
const searchText = (db: Db) =>
  db`lower(COALESCE(i.number, '') || ' ' || i.external_id || ' ' || COALESCE(i.customer_id, ''))`;

/**
 * `q` as a condition on `invoices i`. A whole Stripe customer id finds that customer's invoices
 * (index invoices_customer), a whole Stripe invoice id that invoice (its unique key): Stripe's ids
 * are random, so no other field contains a whole one, and the trigram search would find the same
 * rows slowly, its trigrams being common to every id. Anything else is a case-insensitive substring
 * of the number, the gateway's id or the customer id.
 */
function searchCondition(db: Db, text: string) {
  if (/^cus_[A-Za-z0-9]{8,}$/.test(text)) return db`AND i.customer_id = ${text}`;
  if (/^in_[A-Za-z0-9]{8,}$/.test(text)) return db`AND i.gateway = 'stripe' AND i.external_id = ${text}`;
  const q = containsPattern(text);
  return db`AND (lower(i.number) LIKE ${q} OR lower(i.external_id) LIKE ${q} OR lower(i.customer_id) LIKE ${q})
    AND ${searchText(db)} LIKE ${q}`;
}

export interface TenantRef {
  id: string;
  name: string;
}

export interface Invoice {
  id: string;
  gateway: Gateway;
  external_id: string;
  number: string | null;
  tenant: TenantRef | null;
  customer_id: string | null;
  currency: string;
  total: number;
  tax: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  amount_refunded: number;
  /** the gateway's status */
  status: InvoiceStatus;
  /** the one badge the app shows (past due and failed derived when read) */
  state: InvoiceState;
  past_due: boolean;
  days_past_due: number;
  due_date: Date | null;
  created_at: Date;
  hosted_url: string | null;
  pdf_url: string | null;
  dashboard_url: string | null;
}

export interface InvoiceHistoryEntry {
  from_status: DisplayStatus | null;
  to_status: DisplayStatus;
  at: Date;
  source: string;
  note: string | null;
}

export interface InvoiceEventRef {
  id: string;
  type: string;
  gateway: Gateway;
  occurred_at: Date;
  processed: boolean;
}

export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[];
  subscription_id: string | null;
  collection_method: string | null;
  attempt_count: number;
  /** why the latest automatic payment failed, while the invoice is failed */
  last_payment_error: string | null;
  history: InvoiceHistoryEntry[];
  events: InvoiceEventRef[];
}

export type InvoiceRow = Omit<Invoice, 'tenant' | 'dashboard_url'> & {
  tenant_id: string | null;
  tenant_name: string | null;
};

/** A row of itemColumns as the API shows it. */
export function toInvoice<R extends InvoiceRow>(row: R, scope: Scope) {
  const { tenant_id, tenant_name, ...rest } = row;
  return {
    ...rest,
    tenant: tenant_id && tenant_name !== null ? { id: tenant_id, name: tenant_name } : null,
    dashboard_url: dashboardUrl(row.gateway, row.external_id, scope.livemode),
  };
}

/**
 * Columns of an invoice item, from `invoices i` joined to its tenant `t`, with the past-due rule
 * applied as of `now` (the same fragments as the filters and /api/past-due, so they agree).
 */
export const itemColumns = (db: Db, scope: Scope, now: Date) => {
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  return db`
  i.id, i.gateway, i.external_id, i.number, i.tenant_id, t.name AS tenant_name, i.customer_id, i.currency,
  i.total, i.tax, i.amount_due, i.amount_paid, i.amount_remaining, i.amount_refunded, i.status,
  ${rule.state()} AS state, ${rule.isPastDue()} AS past_due, ${rule.days()} AS days_past_due,
  i.due_date, i.created_at, i.hosted_url, i.pdf_url`;
};

const tenantJoin = (db: Db) => db`
  LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = i.account_id AND t.livemode = i.livemode`;

export interface InvoiceFilters {
  limit: number;
  cursor?: string;
  tenant_id?: string;
  /** `open` includes past-due (and failed) invoices; `past_due` is every past-due one, failed included; `failed` only those */
  status?: InvoiceStatusFilter;
  gateway?: Gateway;
  /** created_at bounds: from inclusive, to exclusive */
  from?: Date;
  to?: Date;
  q?: string;
}

/** The list's filters on `invoices i` (the list and the CSV export share them). */
export function invoiceFilterSql(db: Db, scope: Scope, filters: Omit<InvoiceFilters, 'limit' | 'cursor'>, now: Date) {
  const status = filters.status;
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  return db`i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND NOT i.deleted
    ${filters.tenant_id ? db`AND i.tenant_id = ${filters.tenant_id}` : db``}
    ${status === 'past_due' ? db`AND ${rule.pastDue()}` : status === 'failed' ? db`AND ${rule.failed()}` : status ? db`AND i.status = ${status}` : db``}
    ${filters.gateway ? db`AND i.gateway = ${filters.gateway}` : db``}
    ${filters.from ? db`AND i.created_at >= ${filters.from}` : db``}
    ${filters.to ? db`AND i.created_at < ${filters.to}` : db``}
    ${filters.q ? searchCondition(db, filters.q) : db``}`;
}

export async function listInvoices(
  db: Db,
  scope: Scope,
  filters: InvoiceFilters,
  now: Date,
): Promise<{ data: Invoice[]; next_cursor: string | null }> {
  const result = await newestFirstPage<InvoiceRow>(
    db,
    { columns: itemColumns(db, scope, now), table: 'invoices', alias: 'i', time: 'created_at',
      where: invoiceFilterSql(db, scope, filters, now), joins: tenantJoin(db), limit: filters.limit, cursor: filters.cursor,
      // the past-due ones among the open invoices, found in invoices_open_list (migration 025)
      keysFirst: filters.status === 'past_due' },
    (r) => r.created_at,
  );
  return { data: result.data.map((r) => toInvoice(r, scope)), next_cursor: result.next_cursor };
}

const INVOICE_EVENTS = 20;

/** One invoice of the scope with its history (oldest first) and latest events; else not_found. */
export async function getInvoiceDetail(db: Db, scope: Scope, id: string, now: Date): Promise<InvoiceDetail> {
  if (!isUuid(id)) throw notFound('invoice');
  const [row] = await db<(InvoiceRow & Pick<InvoiceDetail, 'subscription_id' | 'collection_method' | 'attempt_count' | 'last_payment_error'>)[]>`
    SELECT ${itemColumns(db, scope, now)}, i.subscription_id, i.collection_method, i.attempt_count,
      CASE WHEN i.status = 'open' AND i.payment_failed THEN i.last_payment_error END AS last_payment_error
    FROM invoices i ${tenantJoin(db)}
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.id = ${id} AND NOT i.deleted`;
  if (!row) throw notFound('invoice');
  const history = await db<InvoiceHistoryEntry[]>`
    SELECT from_status, to_status, at, source, note FROM invoice_history
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ${id}
    ORDER BY at, id`;
  const events = await db<InvoiceEventRef[]>`
    SELECT id, type, gateway, occurred_at, processed FROM payment_events
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND invoice_id = ${id}
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${INVOICE_EVENTS}`;
  const lines = publicLines(await invoiceLines(db, scope, id));
  return { ...toInvoice(row, scope), lines, history, events };
}
