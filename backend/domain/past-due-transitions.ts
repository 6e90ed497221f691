// Past due, the daily scan's writes: the transitions it records.
//
// Whether an invoice is past due (or failed) is derived when read, by the rule in past-due-rule.ts;
// nothing stored decides it. The stored past_due flag is only the scan's record of what it already
// reported: the scan writes a history row when an invoice enters past due (by due date; a failed
// payment is recorded by the gateway event itself) and when it leaves past due while still open
// (due date moved or removed, grace days raised); leaving by payment, void or uncollectible is
// recorded by the ledger with the gateway's event as source.
//
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import { pastDueRule, rowGraceDays, utcDayStart } from './past-due-rule.js';

/** The history source of every change the scan makes. */
export const PAST_DUE_SCAN_SOURCE = 'job:past-due-scan';

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
