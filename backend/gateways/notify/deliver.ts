// Sends the notifications whose time has come: claims them, posts admin messages or sends Stripe
// reminders, records each attempt. Runs outside any transaction, with a timeout per receiver, so a
// slow or failing receiver never holds up a scan.
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import {
  claimDueNotifications,
  recordDeliveryOutcome,
  type DeliveryCounts,
  type DeliveryOutcome,
} from '../../domain/notifications.js';
import { sendCustomerReminder, type InvoiceReminderClients } from '../stripe/customer-reminder.js';
import { postToReceiver } from './admin-receiver.js';
import type { Resolver } from './public-address.js';

const DELIVERY_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;

export interface DeliveryDeps {
  sql: Sql;
  logger: Logger;
  /** a reminder is sent with the client of its invoice's mode */
  stripe: InvoiceReminderClients | null;
  /** per-request timeout for receivers (ms) */
  timeoutMs?: number;
  /** NOTIFY_ALLOW_PRIVATE: receivers on loopback/private addresses allowed (development, tests) */
  allowPrivateReceivers?: boolean;
  /** DNS resolver for receivers' host names (default dns.lookup; tests inject one) */
  resolve?: Resolver;
}

/**
 * Sends the pending notifications whose time has come (one account+mode, or all), CONCURRENCY at
 * a time, until none is left due at `now`. Safe to run from several instances at once.
 */
export async function deliverPendingNotifications(
  deps: DeliveryDeps,
  now: Date,
  scope: Scope | null,
): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, retrying: 0, failed: 0, cancelled: 0 };
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  for (;;) {
    const batch = await claimDueNotifications(deps.sql, now, scope);
    if (batch.length === 0) return counts;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const n = batch[next++];
        const started = performance.now();
        let outcome: DeliveryOutcome;
        if (!n.still_past_due) outcome = { result: 'cancelled', error: 'invoice is no longer past due' };
        else if (n.kind === 'admin') outcome = await postToReceiver(n, { ...deps, timeoutMs });
        else outcome = await sendCustomerReminder(n, deps.stripe);
        const state = await recordDeliveryOutcome(deps.sql, n, outcome, now, started);
        counts[state]++;
        if (state !== 'delivered') {
          deps.logger.warn({ notification: n.id, kind: n.kind, attempt: n.attempts, state, error: 'error' in outcome ? outcome.error : undefined }, 'notification not delivered');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker));
  }
}
