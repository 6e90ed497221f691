// The invoice ledger, gateway-neutral: gateways map their objects to an InvoiceSnapshot and apply it
// here. Older sources never overwrite newer state, final statuses never move backwards, and every
// change of the status is a history row. Whether an invoice is past due is derived when read
// (past-due-rule.ts); the ledger stores the facts the rule reads (status, due date, payment_failed
// and payment_failed_at) and records a failed payment's entry into past due at once; entering by
// due date is recorded by the daily scan.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import type { Gateway } from './tenants.js';
import { isUuid } from './query-input.js';
import { pastDueRule, scopeGraceDays } from './past-due-rule.js';

/** The gateway statuses of an invoice (Stripe's; PayPal's are mapped onto them): the one list. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** What an admin sees: an open invoice that is past due shows as past_due. */
export type DisplayStatus = InvoiceStatus | 'past_due';

/** The list's status filter: a gateway status, every past-due invoice, or the failed ones. */
export const INVOICE_STATUS_FILTERS = [...INVOICE_STATUSES, 'past_due', 'failed'] as const;
export type InvoiceStatusFilter = (typeof INVOICE_STATUS_FILTERS)[number];

/** Tie-break rank for sources with the same timestamp: draft < open < the final statuses. */
const RANK: Record<InvoiceStatus, number> = { draft: 0, open: 1, uncollectible: 2, paid: 3, void: 3 };
const FINAL = new Set<InvoiceStatus>(['paid', 'uncollectible', 'void']);
/** Moves out of a final status that the gateways allow (an uncollectible invoice can still be paid or voided). */
const FINAL_EXITS: Record<string, InvoiceStatus[]> = { uncollectible: ['paid', 'void'], paid: [], void: [] };

export function allowedStatusChange(from: InvoiceStatus, to: InvoiceStatus): boolean {
  if (from === to) return true;
  if (!FINAL.has(from)) return RANK[to] >= RANK[from];
  return FINAL_EXITS[from].includes(to);
}

export const displayStatus = (status: InvoiceStatus, pastDue: boolean): DisplayStatus =>
  status === 'open' && pastDue ? 'past_due' : status;

export interface InvoiceSnapshot {
  gateway: Gateway;
  external_id: string;
  number: string | null;
  customer_id: string | null;
  subscription_id: string | null;
  tenant_id: string | null;
  currency: string;
  total: number;
  tax: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  /** undefined keeps the stored figure (refunds arrive through their own events) */
  amount_refunded?: number;
  status: InvoiceStatus;
  collection_method: string | null;
  attempt_count: number;
  due_date: Date | null;
  hosted_url: string | null;
  pdf_url: string | null;
  created_at: Date;
  deleted?: boolean;
  /**
   * an automatic payment failed: the open invoice is Failed (and past due) until it leaves open
   * (paid, void, uncollectible); later snapshots without it keep it
   */
  payment_failed?: boolean;
}

/** Where a change came from: its time orders it; label is 'event:<id>', 'user:<id>' or 'job:<name>'. */
export interface ChangeSource {
  time: Date;
  /** gateway event id, the deterministic tie-break between sources of the same time */
  eventId: string | null;
  label: string;
}

interface StoredInvoice {
  id: string;
  status: InvoiceStatus;
  past_due: boolean;
  payment_failed: boolean;
  tenant_id: string | null;
  amount_refunded: number;
  source_time: Date;
  source_event_id: string | null;
}

export async function recordHistory(
  db: Db,
  scope: Scope,
  invoiceId: string,
  from: DisplayStatus | null,
  to: DisplayStatus,
  at: Date,
  source: string,
  note: string | null = null,
): Promise<void> {
  await db`
    INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
    VALUES (${scope.accountId}, ${scope.livemode}, ${invoiceId}, ${from}, ${to}, ${at}, ${source}, ${note})`;
}

function isNewer(source: ChangeSource, status: InvoiceStatus, stored: StoredInvoice): boolean {
  const a = source.time.getTime();
  const b = stored.source_time.getTime();
  if (a !== b) return a > b;
  if (RANK[status] !== RANK[stored.status]) return RANK[status] > RANK[stored.status];
  return (source.eventId ?? '') > (stored.source_event_id ?? '');
}

export interface ApplyResult {
  invoiceId: string;
  /** false when the source was older than the stored state and nothing changed */
  applied: boolean;
  /** the invoice's tenant after the change */
  tenantId: string | null;
}

/**
 * Creates or updates an invoice from a gateway snapshot, within the caller's transaction. Two
 * statements at most (it runs for every webhook): the first inserts the invoice with its first
 * history rows, or, when it exists, locks and reads it (the conflict's no-op update takes the row
 * lock; xmax = 0 marks a fresh insert); the second applies a newer source with its history row.
 */
export async function applyInvoiceSnapshot(
  tx: Db,
  scope: Scope,
  snap: InvoiceSnapshot,
  source: ChangeSource,
): Promise<ApplyResult> {
  // The stored past_due flag records that entering past due was reported (history row); a failed
  // payment is reported here, a passed due date by the daily scan.
  const failed = snap.status === 'open' && !!snap.payment_failed;
  const pastDue = failed;
  const [stored] = await tx<(StoredInvoice & { inserted: boolean })[]>`
    WITH up AS (
      INSERT INTO invoices (
        account_id, livemode, gateway, external_id, number, tenant_id, customer_id, subscription_id, currency,
        total, tax, amount_due, amount_paid, amount_remaining, amount_refunded, status, past_due, past_due_since,
        payment_failed, payment_failed_at, collection_method, attempt_count, due_date, hosted_url, pdf_url, deleted,
        created_at, source_time, source_event_id)
      VALUES (
        ${scope.accountId}, ${scope.livemode}, ${snap.gateway}, ${snap.external_id}, ${snap.number}, ${snap.tenant_id},
        ${snap.customer_id}, ${snap.subscription_id}, ${snap.currency}, ${snap.total}, ${snap.tax}, ${snap.amount_due},
        ${snap.amount_paid}, ${snap.amount_remaining}, ${snap.amount_refunded ?? 0}, ${snap.status}, ${pastDue},
        ${pastDue ? source.time : null}, ${failed}, ${failed ? source.time : null}, ${snap.collection_method},
        ${snap.attempt_count},
        ${snap.due_date}, ${snap.hosted_url}, ${snap.pdf_url}, ${!!snap.deleted}, ${snap.created_at},
        ${source.time}, ${source.eventId})
      ON CONFLICT (account_id, livemode, gateway, external_id) DO UPDATE SET source_time = invoices.source_time
      RETURNING id, status, past_due, payment_failed, tenant_id, amount_refunded, source_time, source_event_id,
        (xmax = 0) AS inserted
    ), history AS (
      INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
      SELECT ${scope.accountId}, ${scope.livemode}, up.id, h.from_status, h.to_status, ${source.time}, ${source.label}, h.note
      FROM up, (VALUES (1, NULL, ${snap.status}::text, NULL), (2, 'open', 'past_due', 'payment failed'))
        AS h (ord, from_status, to_status, note)
      WHERE up.inserted AND (h.ord = 1 OR ${pastDue})
      ORDER BY h.ord
    )
    SELECT * FROM up`;
  if (stored.inserted) return { invoiceId: stored.id, applied: true, tenantId: stored.tenant_id };

  if (!isNewer(source, snap.status, stored)) {
    // An older (or same-second) source may still bring a tenant the invoice lacks, and a payment
    // failure of an invoice that is still open: the failure happened, and nothing but leaving open
    // (paid, void, uncollectible) clears it. Nothing else of it is used.
    const lateFailure = !!snap.payment_failed && stored.status === 'open' && !stored.payment_failed;
    const tenantId = stored.tenant_id ?? snap.tenant_id;
    if (tenantId !== stored.tenant_id || lateFailure) {
      await tx`
        WITH updated AS (
          UPDATE invoices SET tenant_id = ${tenantId},
            payment_failed = payment_failed OR ${lateFailure},
            payment_failed_at = ${lateFailure ? source.time : tx`payment_failed_at`},
            past_due = past_due OR ${lateFailure},
            past_due_since = ${lateFailure && !stored.past_due ? source.time : tx`past_due_since`},
            updated_at = now()
          WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${stored.id}
          RETURNING id
        )
        INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
        SELECT ${scope.accountId}, ${scope.livemode}, id, ${displayStatus(stored.status, stored.past_due)}, 'past_due',
          ${source.time}, ${source.label}, 'payment failed'
        FROM updated WHERE ${lateFailure}`;
    }
    return { invoiceId: stored.id, applied: false, tenantId };
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
  const tenantId = snap.tenant_id ?? stored.tenant_id;
  await tx`
    WITH updated AS (
      UPDATE invoices SET
        number = ${snap.number}, tenant_id = ${tenantId}, customer_id = ${snap.customer_id},
        subscription_id = ${snap.subscription_id}, currency = ${snap.currency}, total = ${snap.total}, tax = ${snap.tax},
        amount_due = ${snap.amount_due}, amount_paid = ${snap.amount_paid}, amount_remaining = ${snap.amount_remaining},
        amount_refunded = ${snap.amount_refunded ?? stored.amount_refunded}, status = ${status},
        past_due = ${nowPastDue},
        past_due_since = ${nowPastDue ? (stored.past_due ? tx`past_due_since` : source.time) : null},
        payment_failed = ${paymentFailed},
        payment_failed_at = ${paymentFailed ? (newlyFailed ? source.time : tx`COALESCE(payment_failed_at, ${source.time})`) : null},
        collection_method = ${snap.collection_method},
        attempt_count = ${snap.attempt_count}, due_date = ${snap.due_date}, hosted_url = ${snap.hosted_url},
        pdf_url = ${snap.pdf_url}, deleted = ${!!snap.deleted}, source_time = ${source.time},
        source_event_id = ${source.eventId}, updated_at = now()
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${stored.id}
      RETURNING id
    )
    INSERT INTO invoice_history (account_id, livemode, invoice_id, from_status, to_status, at, source, note)
    SELECT ${scope.accountId}, ${scope.livemode}, id, ${before}, ${after}, ${source.time}, ${source.label},
      ${change?.note ?? null}::text
    FROM updated WHERE ${change !== null}`;
  return { invoiceId: stored.id, applied: true, tenantId };
}

/** Sets the refunded total of an invoice (refunds are summed by the gateway mapping). */
export async function setAmountRefunded(
  tx: Db,
  scope: Scope,
  gateway: Gateway,
  externalId: string,
  amountRefunded: number,
): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    UPDATE invoices SET amount_refunded = ${amountRefunded}, updated_at = now()
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
      AND gateway = ${gateway} AND external_id = ${externalId}
    RETURNING id`;
  return row?.id ?? null;
}

/** The fields an admin action needs to decide and call the gateway. */
export interface InvoiceRef {
  id: string;
  gateway: Gateway;
  external_id: string;
  status: InvoiceStatus;
  /** derived as of the `now` given to getInvoiceRef */
  past_due: boolean;
  payment_failed: boolean;
  collection_method: string | null;
  attempt_count: number;
  customer_id: string | null;
  tenant_id: string | null;
  amount_remaining: number;
  currency: string;
}

export async function getInvoiceRef(db: Db, scope: Scope, id: string, now: Date = new Date()): Promise<InvoiceRef | null> {
  if (!isUuid(id)) return null;
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  const [row] = await db<InvoiceRef[]>`
    SELECT i.id, i.gateway, i.external_id, i.status, ${rule.isPastDue()} AS past_due, i.payment_failed AND i.status = 'open' AS payment_failed,
           i.collection_method, i.attempt_count, i.customer_id, i.tenant_id, i.amount_remaining, i.currency
    FROM invoices i
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.id = ${id} AND NOT i.deleted`;
  return row ?? null;
}
