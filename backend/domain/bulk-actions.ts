// Data side of bulk invoice actions: the invoices of a request (as the list shows them, plus what
// the action rules need) and the stored result of each invoice an applied request acted on.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import type { InvoiceRef } from './invoices.js';
import { itemColumns, toInvoice, type Invoice, type InvoiceRow } from './invoice-queries.js';
import { pastDueRule, scopeGraceDays } from './past-due-rule.js';

export interface BulkInvoice {
  /** what the action rules read */
  ref: InvoiceRef;
  /** the list item the result shows */
  item: Invoice;
}

/** The scope's invoices among `ids` (not deleted), by id; other accounts' ids are simply absent. */
export async function bulkInvoices(db: Db, scope: Scope, ids: string[], now: Date): Promise<Map<string, BulkInvoice>> {
  if (ids.length === 0) return new Map();
  const rule = pastDueRule(db, now, () => scopeGraceDays(db, scope));
  const rows = await db<(InvoiceRow & { payment_failed: boolean; collection_method: string | null; attempt_count: number })[]>`
    SELECT ${itemColumns(db, scope, now)}, ${rule.failed()} AS payment_failed, i.collection_method, i.attempt_count
    FROM invoices i
    LEFT JOIN tenants t ON t.id = i.tenant_id AND t.account_id = i.account_id AND t.livemode = i.livemode
    WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode} AND i.id = ANY(${ids}::uuid[])
      AND NOT i.deleted`;
  const out = new Map<string, BulkInvoice>();
  for (const r of rows) {
    const { payment_failed, collection_method, attempt_count, ...row } = r;
    out.set(r.id, {
      ref: {
        id: r.id,
        gateway: r.gateway,
        external_id: r.external_id,
        status: r.status,
        past_due: r.past_due,
        payment_failed,
        collection_method,
        attempt_count,
        customer_id: r.customer_id,
        tenant_id: r.tenant_id,
        amount_remaining: r.amount_remaining,
        currency: r.currency,
      },
      item: toInvoice(row, scope),
    });
  }
  return out;
}

export interface BulkResultRecord {
  idempotency_key: string;
  invoice_id: string;
  action: string;
  user_id: string;
  result_status: string;
}

/** Results already applied under these per-invoice keys (a repeated request), by key. */
export async function appliedBulkResults(db: Db, scope: Scope, keys: string[]): Promise<Map<string, BulkResultRecord>> {
  if (keys.length === 0) return new Map();
  const rows = await db<BulkResultRecord[]>`
    SELECT idempotency_key, invoice_id, action, user_id, result_status FROM bulk_action_results
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND idempotency_key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.idempotency_key, r]));
}

/** Records an applied invoice; a concurrent repeat that applied it too keeps the first record. */
export async function recordBulkResult(db: Db, scope: Scope, r: BulkResultRecord): Promise<void> {
  await db`
    INSERT INTO bulk_action_results (account_id, livemode, idempotency_key, invoice_id, action, user_id, result_status)
    VALUES (${scope.accountId}, ${scope.livemode}, ${r.idempotency_key}, ${r.invoice_id}, ${r.action}, ${r.user_id},
            ${r.result_status})
    ON CONFLICT (account_id, livemode, idempotency_key) DO NOTHING`;
}
