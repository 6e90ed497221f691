// Bulk invoice actions: one action on up to 100 invoices. A dry run asks the same rules the single
// actions use (actionRefusal) what would happen to each; an apply sends each invoice through the
// single-action path (performInvoiceAction: rules, Stripe call, ledger, audit row) with its own
// idempotency key derived from the request's key, the action and the invoice, a few at a time.
//
// Never twice. The per-invoice key goes to Stripe, so a repeated call is replayed by Stripe, not
// re-executed; and what was applied is recorded under that key (bulk_action_results), so a repeated
// request answers `applied` from the record instead of asking the ledger's rules, which would now
// refuse ("already paid").
import { createHash } from 'node:crypto';
import type { Scope } from '../../domain/accounts.js';
import { appliedBulkResults, bulkInvoices, recordBulkResult, type BulkInvoice } from '../../domain/bulk-actions.js';
import { DomainError } from '../../domain/errors.js';
import type { Invoice } from '../../domain/invoice-queries.js';
import { GatewayError, requireStripe } from '../errors.js';
import { actionRefusal, performInvoiceAction, type ActionContext, type InvoiceAction } from './invoice-actions.js';

export type BulkOutcome = 'would_apply' | 'applied' | 'refused' | 'failed';

export interface BulkResult {
  invoice_id: string;
  number: string | null;
  outcome: BulkOutcome;
  reason: string | null;
  invoice: Invoice | null;
}

export interface BulkRequest {
  action: InvoiceAction;
  invoice_ids: string[];
  dry_run: boolean;
}

/** Invoices acted on at once: Stripe's per-account rate limits stay far away, a slow call holds up few. */
export const BULK_CONCURRENCY = 4;

/** Another account's id, a deleted one and a missing one all read the same: existence never leaks. */
const NOT_FOUND = 'not found';

/** The Stripe idempotency key of one invoice of a bulk request (hashed: Stripe keys are at most 255 characters). */
export function bulkInvoiceKey(requestKey: string, action: InvoiceAction, invoiceId: string): string {
  return `bulk-${createHash('sha256').update(`${requestKey}\n${action}\n${invoiceId}`).digest('hex').slice(0, 40)}`;
}

/** Runs `work` for indexes 0..n-1, at most `limit` at a time; stops taking new ones after a throw. */
async function eachBounded(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < n) {
      const i = next++;
      try {
        await work(i);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
}

function dryRun(action: InvoiceAction, ids: string[], found: Map<string, BulkInvoice>): BulkResult[] {
  return ids.map((id) => {
    const inv = found.get(id);
    if (!inv) return { invoice_id: id, number: null, outcome: 'refused', reason: NOT_FOUND, invoice: null };
    const refusal = actionRefusal(inv.ref, action);
    return {
      invoice_id: id,
      number: inv.item.number,
      outcome: refusal ? 'refused' : 'would_apply',
      reason: refusal,
      invoice: inv.item,
    };
  });
}

/**
 * One result per invoice, in request order. `ctx.idempotencyKey` is the request's key (the
 * caller's Idempotency-Key, or one the route derived); each invoice gets its own key from it.
 */
export async function runBulkAction(ctx: ActionContext & { idempotencyKey: string }, req: BulkRequest): Promise<BulkResult[]> {
  const { action, invoice_ids: ids } = req;
  const scope: Scope = ctx.scope;
  const found = await bulkInvoices(ctx.sql, scope, ids, ctx.now);
  if (req.dry_run) return dryRun(action, ids, found);

  requireStripe(ctx.stripe, scope.livemode); // nothing is attempted without a key for the mode
  const keys = ids.map((id) => bulkInvoiceKey(ctx.idempotencyKey, action, id));
  const applied = await appliedBulkResults(ctx.sql, scope, keys);
  const outcomes: { outcome: BulkOutcome; reason: string | null }[] = new Array(ids.length);

  await eachBounded(ids.length, BULK_CONCURRENCY, async (i) => {
    const id = ids[i];
    if (!found.has(id)) {
      outcomes[i] = { outcome: 'refused', reason: NOT_FOUND };
      return;
    }
    if (applied.has(keys[i])) {
      outcomes[i] = { outcome: 'applied', reason: null };
      return;
    }
    try {
      await performInvoiceAction({ ...ctx, idempotencyKey: keys[i] }, id, action);
    } catch (err) {
      if (err instanceof DomainError) {
        outcomes[i] = { outcome: 'refused', reason: err.kind === 'not_found' ? NOT_FOUND : err.message };
      } else if (err instanceof GatewayError) {
        // Stripe refused or could not be reached: this invoice failed, the others go on.
        outcomes[i] = { outcome: 'failed', reason: err.message };
      } else {
        // Our own (database) faults fail the request (5xx); a repeat with the same key resumes.
        throw err;
      }
      return;
    }
    const [after] = (await bulkInvoices(ctx.sql, scope, [id], ctx.now)).values();
    await recordBulkResult(ctx.sql, scope, {
      idempotency_key: keys[i],
      invoice_id: id,
      action,
      user_id: ctx.userId,
      result_status: after?.ref.status ?? 'unknown',
    });
    outcomes[i] = { outcome: 'applied', reason: null };
  });

  // The invoices as they are now, after every action.
  const now = await bulkInvoices(ctx.sql, scope, ids, ctx.now);
  return ids.map((id, i) => {
    const item = now.get(id)?.item ?? null;
    return { invoice_id: id, number: item?.number ?? null, ...outcomes[i], invoice: item };
  });
}
