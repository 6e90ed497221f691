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
import type { ApplyResult, ChangeSource, DisplayStatus, InvoiceSnapshot, InvoiceStatus } from './invoice-status.js';
import { applyInvoiceSnapshots } from './ledger-batch.js';

export {
  allowedStatusChange,
  displayStatus,
  INVOICE_STATUS_FILTERS,
  INVOICE_STATUSES,
  STATUS_RANK,
  type ApplyResult,
  type ChangeSource,
  type DisplayStatus,
  type InvoiceSnapshot,
  type InvoiceStatus,
  type InvoiceStatusFilter,
} from './invoice-status.js';

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


/**
 * Creates or updates an invoice from a gateway snapshot, within the caller's transaction: the
 * batch apply (ledger-batch.ts) with one item, so one snapshot and a batch follow the same rules.
 */
export async function applyInvoiceSnapshot(
  tx: Db,
  scope: Scope,
  snap: InvoiceSnapshot,
  source: ChangeSource,
): Promise<ApplyResult> {
  const [result] = await applyInvoiceSnapshots(tx, scope, snap.gateway, [{ snap, source }]);
  return result;
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
