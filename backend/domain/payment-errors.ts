// The reason an invoice's latest automatic payment failed, kept beside the ledger row for the
// Failed banner. Failure events write it; the invoice snapshot never does (so a later snapshot of
// the same invoice keeps it), and the detail shows it only while the invoice is failed.
import type { Db } from '../db/client.js';
import type { Scope } from './accounts.js';
import type { Gateway } from './tenants.js';

/** Bounded: the text is shown in a banner, not stored as evidence. */
const MAX_LENGTH = 500;

/** Records `message` on the invoices (gateway ids) of the scope. */
export async function recordPaymentError(
  tx: Db,
  scope: Scope,
  gateway: Gateway,
  externalIds: string[],
  message: string,
): Promise<void> {
  if (externalIds.length === 0) return;
  await tx`
    UPDATE invoices SET last_payment_error = ${message.slice(0, MAX_LENGTH)}, updated_at = now()
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = ${gateway}
      AND external_id = ANY(${externalIds}::text[])`;
}
