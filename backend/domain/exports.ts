// CSV exports of the invoice list, the event log and the past-due list: the list's own filters,
// every matching row (no page), read through a database cursor so that a million rows stream in
// constant memory. Rows come out as arrays of strings: amounts in major units with the currency
// beside them, times in ISO 8601 UTC, the tenant's name.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { eventFilterSql, type EventFilters } from './event-queries.js';
import { invoiceFilterSql, type InvoiceFilters } from './invoice-queries.js';
import { formatMinorUnits } from './money.js';
import { checkTenant, pastDueFilterSql, type PastDueFilter } from './past-due-queries.js';
import { agingBucket, pastDueRule, scopeGraceDays } from './past-due-rule.js';

export const EXPORT_KINDS = ['invoices', 'events', 'past_due'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export type ExportFilters = {
  invoices: Omit<InvoiceFilters, 'limit' | 'cursor'>;
  events: Omit<EventFilters, 'limit' | 'cursor'>;
  past_due: PastDueFilter;
};

/** Rows fetched per round trip of the cursor. */
const BATCH = 1000;

export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  invoices: [
    'id', 'number', 'gateway', 'external_id', 'tenant_id', 'tenant_name', 'customer_id', 'status', 'state',
    'past_due', 'days_past_due', 'currency', 'total', 'tax', 'amount_due', 'amount_paid', 'amount_remaining', 'amount_refunded',
    'due_date', 'created_at', 'paid_at',
  ],
  events: [
    'id', 'occurred_at', 'received_at', 'gateway', 'type', 'event_id', 'tenant_id', 'tenant_name', 'processed',
    'ignored', 'error', 'invoice_id', 'invoice_number', 'invoice_status', 'currency', 'invoice_total',
  ],
  past_due: [
    'id', 'number', 'gateway', 'external_id', 'tenant_id', 'tenant_name', 'customer_id', 'currency', 'total',
    'amount_remaining', 'due_date', 'past_due_since', 'days_past_due', 'aging_bucket', 'payment_failed', 'created_at',
  ],
};

const iso = (d: Date | null) => (d ? d.toISOString() : '');
const text = (s: string | null | undefined) => s ?? '';
const money = (amount: number | null, currency: string | null) =>
  amount === null || currency === null ? '' : formatMinorUnits(amount, currency);

/** The tenant's name without a join: the rows keep the order of the index they are read in. */
const tenantName = (db: Db, alias: 'i' | 'e') =>
  db`(SELECT t.name FROM tenants t WHERE t.id = ${db(alias)}.tenant_id AND t.account_id = ${db(alias)}.account_id
      AND t.livemode = ${db(alias)}.livemode)`;

interface InvoiceRow {
  id: string;
  number: string | null;
  gateway: string;
  external_id: string;
  tenant_id: string | null;
  tenant_name: string | null;
  customer_id: string | null;
  status: string;
  state: string;
  past_due: boolean;
  days_past_due: number;
  currency: string;
  total: number;
  tax: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  amount_refunded: number;
  due_date: Date | null;
  created_at: Date;
  paid_at: Date | null;
}

async function* invoiceRows(db: Db, scope: Scope, f: ExportFilters['invoices'], now: Date): AsyncGenerator<string[]> {
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  const cursor = db<InvoiceRow[]>`
    SELECT i.id, i.number, i.gateway, i.external_id, i.tenant_id, ${tenantName(db, 'i')} AS tenant_name, i.customer_id,
      i.status, ${rule.state()} AS state, ${rule.isPastDue()} AS past_due, ${rule.days()} AS days_past_due,
      i.currency, i.total, i.tax, i.amount_due, i.amount_paid, i.amount_remaining, i.amount_refunded, i.due_date,
      i.created_at, i.paid_at
    FROM invoices i
    WHERE ${invoiceFilterSql(db, scope, f, now)}
    ORDER BY i.created_at DESC, i.id DESC`.cursor(BATCH);
  for await (const rows of cursor) {
    for (const r of rows) {
      yield [
        r.id, text(r.number), r.gateway, r.external_id, text(r.tenant_id), text(r.tenant_name), text(r.customer_id),
        r.status, r.state, String(r.past_due), String(r.days_past_due), r.currency, money(r.total, r.currency),
        money(r.tax, r.currency), money(r.amount_due, r.currency), money(r.amount_paid, r.currency),
        money(r.amount_remaining, r.currency), money(r.amount_refunded, r.currency), iso(r.due_date),
        iso(r.created_at), iso(r.paid_at),
      ];
    }
  }
}

interface EventRow {
  id: string;
  occurred_at: Date;
  received_at: Date;
  gateway: string;
  type: string;
  event_id: string;
  tenant_id: string | null;
  tenant_name: string | null;
  processed: boolean;
  ignored: boolean;
  error: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  invoice_status: string | null;
  currency: string | null;
  invoice_total: number | null;
}

async function* eventRows(db: Db, scope: Scope, f: ExportFilters['events']): AsyncGenerator<string[]> {
  const cursor = db<EventRow[]>`
    SELECT e.id, e.occurred_at, e.received_at, e.gateway, e.type, e.event_id, e.tenant_id,
      ${tenantName(db, 'e')} AS tenant_name, e.processed, e.ignored, e.error, i.id AS invoice_id,
      i.number AS invoice_number, i.status AS invoice_status, i.currency, i.total AS invoice_total
    FROM payment_events e
    LEFT JOIN LATERAL (
      SELECT i.id, i.number, i.status, i.currency, i.total FROM invoices i
      WHERE i.id = e.invoice_id AND i.account_id = e.account_id AND i.livemode = e.livemode AND NOT i.deleted
    ) i ON true
    WHERE ${eventFilterSql(db, scope, f)}
    ORDER BY e.occurred_at DESC, e.id DESC`.cursor(BATCH);
  for await (const rows of cursor) {
    for (const r of rows) {
      yield [
        r.id, iso(r.occurred_at), iso(r.received_at), r.gateway, r.type, r.event_id, text(r.tenant_id),
        text(r.tenant_name), String(r.processed), String(r.ignored), text(r.error), text(r.invoice_id),
        text(r.invoice_number), text(r.invoice_status), text(r.currency), money(r.invoice_total, r.currency),
      ];
    }
  }
}

interface PastDueRow {
  id: string;
  number: string | null;
  gateway: string;
  external_id: string;
  tenant_id: string | null;
  tenant_name: string | null;
  customer_id: string | null;
  currency: string;
  total: number;
  amount_remaining: number;
  due_date: Date | null;
  past_due_since: Date | null;
  days_past_due: number;
  payment_failed: boolean;
  created_at: Date;
}

async function* pastDueRows(db: Db, scope: Scope, f: PastDueFilter, now: Date): AsyncGenerator<string[]> {
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  const cursor = db<PastDueRow[]>`
    SELECT i.id, i.number, i.gateway, i.external_id, i.tenant_id, ${tenantName(db, 'i')} AS tenant_name, i.customer_id,
      i.currency, i.total, i.amount_remaining, i.due_date, ${rule.since()} AS past_due_since,
      ${rule.daysOfPastDue()} AS days_past_due, i.payment_failed, i.created_at
    FROM invoices i
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND ${rule.pastDue()} ${pastDueFilterSql(db, f)}
    ORDER BY LEAST(i.due_date, i.payment_failed_at), i.id`.cursor(BATCH);
  for await (const rows of cursor) {
    for (const r of rows) {
      yield [
        r.id, text(r.number), r.gateway, r.external_id, text(r.tenant_id), text(r.tenant_name), text(r.customer_id),
        r.currency, money(r.total, r.currency), money(r.amount_remaining, r.currency), iso(r.due_date),
        iso(r.past_due_since), String(r.days_past_due), agingBucket(r.days_past_due), String(r.payment_failed),
        iso(r.created_at),
      ];
    }
  }
}

/**
 * The rows of an export, in the list's order. A tenant filter of another account or mode is
 * not_found before the first row (the lists answer it with 404 or with nothing; an export says so).
 */
export async function exportRows<K extends ExportKind>(
  db: Db,
  scope: Scope,
  kind: K,
  filters: ExportFilters[K],
  now: Date,
): Promise<AsyncGenerator<string[]>> {
  const f = filters as ExportFilters[ExportKind];
  await checkTenant(db, scope, 'tenant_id' in f ? f.tenant_id : (f as PastDueFilter).tenantId);
  if (kind === 'invoices') return invoiceRows(db, scope, f as ExportFilters['invoices'], now);
  if (kind === 'events') return eventRows(db, scope, f as ExportFilters['events']);
  return pastDueRows(db, scope, f as PastDueFilter, now);
}
