// Set-based apply of many invoice snapshots of one scope and gateway: one read of the stored rows
// (locked, in key order so concurrent batches never deadlock), the ordering guard folded in
// TypeScript (the same rules one snapshot at a time always had: older never overwrites newer,
// same-second ties by status rank then event id, final statuses never move backwards), then one
// upsert of every changed invoice with one insert of all their history rows.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import {
  allowedStatusChange,
  displayStatus,
  STATUS_RANK,
  type ApplyResult,
  type ChangeSource,
  type InvoiceSnapshot,
  type InvoiceStatus,
} from './invoice-status.js';
import type { Gateway } from './tenants.js';


/** The stored columns the fold reads and writes. */
interface Row {
  id: string;
  external_id: string;
  number: string | null;
  tenant_id: string | null;
  customer_id: string | null;
  subscription_id: string | null;
  currency: string;
  total: number;
  tax: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  amount_refunded: number;
  status: InvoiceStatus;
  past_due: boolean;
  past_due_since: Date | null;
  payment_failed: boolean;
  payment_failed_at: Date | null;
  collection_method: string | null;
  attempt_count: number;
  due_date: Date | null;
  hosted_url: string | null;
  pdf_url: string | null;
  deleted: boolean;
  created_at: Date;
  source_time: Date;
  source_event_id: string | null;
}

interface HistoryRow {
  invoice_id: string;
  from_status: string | null;
  to_status: string;
  at: Date;
  source: string;
  note: string | null;
}

export interface SnapshotItem {
  snap: InvoiceSnapshot;
  source: ChangeSource;
}

/** The ordering guard: a newer source time, then (same second) the higher status, then the higher event id. */
function isNewer(source: ChangeSource, status: InvoiceStatus, stored: Row): boolean {
  const a = source.time.getTime();
  const b = stored.source_time.getTime();
  if (a !== b) return a > b;
  if (STATUS_RANK[status] !== STATUS_RANK[stored.status]) return STATUS_RANK[status] > STATUS_RANK[stored.status];
  return (source.eventId ?? '') > (stored.source_event_id ?? '');
}

function freshRow(snap: InvoiceSnapshot, source: ChangeSource, history: HistoryRow[]): Row {
  // The stored past_due flag records that entering past due was reported (history row); a failed
  // payment is reported here, a passed due date by the daily scan.
  const failed = snap.status === 'open' && !!snap.payment_failed;
  const id = randomUUID();
  history.push({ invoice_id: id, from_status: null, to_status: snap.status, at: source.time, source: source.label, note: null });
  if (failed) {
    history.push({ invoice_id: id, from_status: 'open', to_status: 'past_due', at: source.time, source: source.label, note: 'payment failed' });
  }
  return {
    id,
    external_id: snap.external_id,
    number: snap.number,
    tenant_id: snap.tenant_id,
    customer_id: snap.customer_id,
    subscription_id: snap.subscription_id,
    currency: snap.currency,
    total: snap.total,
    tax: snap.tax,
    amount_due: snap.amount_due,
    amount_paid: snap.amount_paid,
    amount_remaining: snap.amount_remaining,
    amount_refunded: snap.amount_refunded ?? 0,
    status: snap.status,
    past_due: failed,
    past_due_since: failed ? source.time : null,
    payment_failed: failed,
    payment_failed_at: failed ? source.time : null,
    collection_method: snap.collection_method,
    attempt_count: snap.attempt_count,
    due_date: snap.due_date,
    hosted_url: snap.hosted_url,
    pdf_url: snap.pdf_url,
    deleted: !!snap.deleted,
    created_at: snap.created_at,
    source_time: source.time,
    source_event_id: source.eventId,
  };
}

/** One snapshot applied to a stored row: the new row (or the same when nothing changed) and whether it applied. */
function fold(stored: Row, snap: InvoiceSnapshot, source: ChangeSource, history: HistoryRow[]): { row: Row; applied: boolean } {
  if (!isNewer(source, snap.status, stored)) {
    // An older (or same-second) source may still bring a tenant the invoice lacks, and a payment
    // failure of an invoice that is still open: the failure happened, and nothing but leaving open
    // (paid, void, uncollectible) clears it. Nothing else of it is used.
    const lateFailure = !!snap.payment_failed && stored.status === 'open' && !stored.payment_failed;
    const tenantId = stored.tenant_id ?? snap.tenant_id;
    if (tenantId === stored.tenant_id && !lateFailure) return { row: stored, applied: false };
    if (lateFailure) {
      history.push({
        invoice_id: stored.id,
        from_status: displayStatus(stored.status, stored.past_due),
        to_status: 'past_due',
        at: source.time,
        source: source.label,
        note: 'payment failed',
      });
    }
    return {
      row: {
        ...stored,
        tenant_id: tenantId,
        payment_failed: stored.payment_failed || lateFailure,
        payment_failed_at: lateFailure ? source.time : stored.payment_failed_at,
        past_due: stored.past_due || lateFailure,
        past_due_since: lateFailure && !stored.past_due ? source.time : stored.past_due_since,
      },
      applied: false,
    };
  }

  const status = allowedStatusChange(stored.status, snap.status) ? snap.status : stored.status;
  // Failed until the invoice leaves open; a failure while it is failed keeps the first failure time.
  const paymentFailed = status === 'open' && (stored.payment_failed || !!snap.payment_failed);
  const nowPastDue = status === 'open' && (stored.past_due || paymentFailed);
  const before = displayStatus(stored.status, stored.past_due);
  const after = displayStatus(status, nowPastDue);
  const newlyFailed = paymentFailed && !stored.payment_failed;
  const change =
    before !== after
      ? { note: after === 'past_due' ? 'payment failed' : null }
      : newlyFailed && after === 'past_due'
        ? { note: 'payment failed' }
        : null;
  if (change) {
    history.push({ invoice_id: stored.id, from_status: before, to_status: after, at: source.time, source: source.label, note: change.note });
  }
  return {
    row: {
      ...stored,
      number: snap.number,
      tenant_id: snap.tenant_id ?? stored.tenant_id,
      customer_id: snap.customer_id,
      subscription_id: snap.subscription_id,
      currency: snap.currency,
      total: snap.total,
      tax: snap.tax,
      amount_due: snap.amount_due,
      amount_paid: snap.amount_paid,
      amount_remaining: snap.amount_remaining,
      amount_refunded: snap.amount_refunded ?? stored.amount_refunded,
      status,
      past_due: nowPastDue,
      past_due_since: nowPastDue ? (stored.past_due ? stored.past_due_since : source.time) : null,
      payment_failed: paymentFailed,
      payment_failed_at: paymentFailed ? (newlyFailed ? source.time : (stored.payment_failed_at ?? source.time)) : null,
      collection_method: snap.collection_method,
      attempt_count: snap.attempt_count,
      due_date: snap.due_date,
      hosted_url: snap.hosted_url,
      pdf_url: snap.pdf_url,
      deleted: !!snap.deleted,
      source_time: source.time,
      source_event_id: source.eventId,
    },
    applied: true,
  };
}

async function readLocked(tx: Db, scope: Scope, gateway: Gateway, externalIds: string[]): Promise<Map<string, Row>> {
  const rows = await tx<Row[]>`
    SELECT id, external_id, number, tenant_id, customer_id, subscription_id, currency, total, tax, amount_due,
      amount_paid, amount_remaining, amount_refunded, status, past_due, past_due_since, payment_failed, payment_failed_at,
      collection_method, attempt_count, due_date, hosted_url, pdf_url, deleted, created_at, source_time, source_event_id
    FROM invoices
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = ${gateway}
      AND external_id = ANY(${externalIds}::text[])
    ORDER BY external_id
    FOR UPDATE`;
  return new Map(rows.map((r) => [r.external_id, r]));
}

/** Writes the rows and their history; returns the external ids whose row was written. */
async function write(tx: Db, scope: Scope, gateway: Gateway, rows: Row[], history: HistoryRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const json = (x: unknown) => tx.json(x as never);
  // A fresh row's id is made here: when a concurrent batch inserted the same invoice first, the
  // conflict's update is skipped (ids differ) and the caller folds that invoice again on the stored row.
  const written = await tx<{ external_id: string }[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${json(rows)}) AS r (
        id uuid, external_id text, number text, tenant_id uuid, customer_id text, subscription_id text, currency text,
        total bigint, tax bigint, amount_due bigint, amount_paid bigint, amount_remaining bigint, amount_refunded bigint,
        status text, past_due boolean, past_due_since timestamptz, payment_failed boolean, payment_failed_at timestamptz,
        collection_method text, attempt_count integer, due_date timestamptz, hosted_url text, pdf_url text,
        deleted boolean, created_at timestamptz, source_time timestamptz, source_event_id text)
    ), up AS (
      INSERT INTO invoices (
        id, account_id, livemode, gateway, external_id, number, tenant_id, customer_id, subscription_id, currency, total,
        tax, amount_due, amount_paid, amount_remaining, amount_refunded, status, past_due, past_due_since, payment_failed,
        payment_failed_at, collection_method, attempt_count, due_date, hosted_url, pdf_url, deleted, created_at,
        source_time, source_event_id)
      SELECT id, ${scope.accountId}, ${scope.livemode}, ${gateway}, external_id, number, tenant_id, customer_id,
        subscription_id, currency, total, tax, amount_due, amount_paid, amount_remaining, amount_refunded, status, past_due,
        past_due_since, payment_failed, payment_failed_at, collection_method, attempt_count, due_date, hosted_url, pdf_url,
        deleted, created_at, source_time, source_event_id
      FROM input
      ORDER BY external_id
      ON CONFLICT (account_id, livemode, gateway, external_id) DO UPDATE SET
        number = EXCLUDED.number, tenant_id = EXCLUDED.tenant_id, customer_id = EXCLUDED.customer_id,
        subscription_id = EXCLUDED.subscription_id, currency = EXCLUDED.currency, total = EXCLUDED.total,
        tax = EXCLUDED.tax, amount_due = EXCLUDED.amount_due, amount_paid = EXCLUDED.amount_paid,
        amount_remaining = EXCLUDED.amount_remaining, amount_refunded = EXCLUDED.amount_refunded,
        status = EXCLUDED.status, past_due = EXCLUDED.past_due, past_due_since = EXCLUDED.past_due_since,
        payment_failed = EXCLUDED.payment_failed, payment_failed_at = EXCLUDED.payment_failed_at,
        collection_method = EXCLUDED.collection_method, attempt_count = EXCLUDED.attempt_count,
        due_date = EXCLUDED.due_date, hosted_url = EXCLUDED.hosted_url, pdf_url = EXCLUDED.pdf_url,
        deleted = EXCLUDED.deleted, source_time = EXCLUDED.source_time, source_event_id = EXCLUDED.source_event_id,
        updated_at = now()
      WHERE invoices.id = EXCLUDED.id
      RETURNING id, external_id
    ), history AS (
      INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
      SELECT ${scope.accountId}, ${scope.livemode}, h.invoice_id, h.from_status, h.to_status, h.at, h.source, h.note
      FROM jsonb_to_recordset(${json(history.map((h, ord) => ({ ...h, ord })))}) AS h (
        invoice_id uuid, from_status text, to_status text, at timestamptz, source text, note text, ord integer)
      WHERE h.invoice_id IN (SELECT id FROM up)
      ORDER BY h.ord
    )
    SELECT external_id FROM up`;
  return new Set(written.map((r) => r.external_id));
}

/**
 * Applies the snapshots in the order given (several may be of one invoice) within the caller's
 * transaction: three statements however many there are. Returns one result per item.
 */
export async function applyInvoiceSnapshots(
  tx: Db,
  scope: Scope,
  gateway: Gateway,
  items: SnapshotItem[],
): Promise<ApplyResult[]> {
  const results: ApplyResult[] = new Array(items.length);
  let pending = items.map((_, i) => i);
  // A fresh invoice inserted by a concurrent batch meanwhile is folded again on the stored row.
  for (let round = 0; pending.length > 0; round++) {
    if (round > 3) throw new Error('invoice batch kept conflicting with concurrent writers');
    const externalIds = [...new Set(pending.map((i) => items[i].snap.external_id))].sort();
    const stored = await readLocked(tx, scope, gateway, externalIds);
    const current = new Map<string, Row>();
    const dirty = new Set<string>();
    const history: HistoryRow[] = [];
    for (const i of pending) {
      const { snap, source } = items[i];
      const key = snap.external_id;
      const before = current.get(key) ?? stored.get(key);
      if (!before) {
        current.set(key, freshRow(snap, source, history));
        dirty.add(key);
        results[i] = { invoiceId: current.get(key)!.id, applied: true, tenantId: snap.tenant_id };
        continue;
      }
      const { row, applied } = fold(before, snap, source, history);
      current.set(key, row);
      if (row !== before) dirty.add(key);
      results[i] = { invoiceId: row.id, applied, tenantId: row.tenant_id };
    }
    const rows = [...dirty].map((k) => current.get(k)!);
    const written = await write(tx, scope, gateway, rows, history);
    pending = pending.filter((i) => dirty.has(items[i].snap.external_id) && !written.has(items[i].snap.external_id));
  }
  return results;
}
