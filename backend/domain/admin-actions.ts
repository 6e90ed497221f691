// The admin-action audit log: every action an admin takes from the app, succeeded or failed.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { decodeCursor, page } from './pagination.js';

export type AdminActionName = 'retry' | 'void' | 'mark_uncollectible' | 'send_reminder' | 'one_time_invoice';

export interface AdminActionRecord {
  user_id: string;
  action: AdminActionName;
  invoice_id: string | null;
  /** what was acted on outside the ledger (a tenant id for one-time invoices) */
  target: string | null;
  outcome: 'succeeded' | 'failed';
  detail: Record<string, unknown>;
}

export async function recordAdminAction(db: Db, scope: Scope, r: AdminActionRecord): Promise<void> {
  await db`
    INSERT INTO admin_actions (account_id, livemode, user_id, action, invoice_id, target, outcome, detail)
    VALUES (${scope.accountId}, ${scope.livemode}, ${r.user_id}, ${r.action}, ${r.invoice_id}, ${r.target},
            ${r.outcome}, ${db.json(r.detail as never)})`;
}

export interface AuditEntryRow extends AdminActionRecord {
  id: string;
  created_at: Date;
}

export interface AuditFilters {
  limit: number;
  cursor?: string;
  action?: AdminActionName;
  user_id?: string;
  invoice_id?: string;
  outcome?: 'succeeded' | 'failed';
  from?: Date;
  to?: Date;
}

export async function listAdminActions(db: Db, scope: Scope, f: AuditFilters) {
  const after = decodeCursor(f.cursor);
  const rows = await db<AuditEntryRow[]>`
    SELECT id, user_id, action, invoice_id, target, outcome, detail, created_at FROM admin_actions
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
      ${f.action ? db`AND action = ${f.action}` : db``}
      ${f.user_id ? db`AND user_id = ${f.user_id}` : db``}
      ${f.invoice_id ? db`AND invoice_id = ${f.invoice_id}` : db``}
      ${f.outcome ? db`AND outcome = ${f.outcome}` : db``}
      ${f.from ? db`AND created_at >= ${f.from}` : db``}
      ${f.to ? db`AND created_at < ${f.to}` : db``}
      ${after ? db`AND (created_at, id) < (${after.t}::timestamptz, ${after.id}::uuid)` : db``}
    ORDER BY created_at DESC, id DESC
    LIMIT ${f.limit + 1}`;
  return page(rows, f.limit, (r) => r.created_at);
}
