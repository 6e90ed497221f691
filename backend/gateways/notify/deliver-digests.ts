// Sends the daily digests whose time has come, through the notifications' delivery path: the same
// signed POST (postSigned: signature header, public-address-checked postJson, no redirects), the
// same backoff and attempt limit; each attempt is recorded on the digest row.
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { claimPendingDigests, recordDigestAttempt, type ClaimedDigest } from '../../domain/digest.js';
import { backoffMs, MAX_ATTEMPTS, type DeliveryCounts, type DeliveryOutcome } from '../../domain/notifications.js';
import { postSigned } from './admin-receiver.js';
import type { Resolver } from './public-address.js';

const CLAIM_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const BATCH = 50;

export interface DigestDeliveryDeps {
  sql: Sql;
  logger: Logger;
  timeoutMs?: number;
  allowPrivateReceivers?: boolean;
  resolve?: Resolver;
}

async function post(d: ClaimedDigest, deps: DigestDeliveryDeps): Promise<DeliveryOutcome> {
  if (!d.digest_enabled) return { result: 'cancelled', error: 'daily_digest was turned off' };
  if (!d.notify_url || !d.notify_secret) return { result: 'cancelled', error: 'notify_url is no longer set' };
  return postSigned({ url: d.notify_url, secret: d.notify_secret, deliveryId: d.id }, JSON.stringify(d.payload), {
    timeoutMs: deps.timeoutMs ?? DELIVERY_TIMEOUT_MS,
    allowPrivateReceivers: deps.allowPrivateReceivers,
    resolve: deps.resolve,
  });
}

/** Sends the pending digests whose time has come (one account+mode, or all); safe from several instances. */
export async function deliverPendingDigests(deps: DigestDeliveryDeps, now: Date, scope: Scope | null): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, retrying: 0, failed: 0, cancelled: 0 };
  for (;;) {
    const batch = await claimPendingDigests(deps.sql, now, scope, CLAIM_MS, BATCH);
    if (batch.length === 0) return counts;
    for (const d of batch) {
      const outcome = await post(d, deps);
      let status: 'delivered' | 'pending' | 'failed' | 'cancelled';
      let next = now;
      if (outcome.result === 'delivered') status = 'delivered';
      else if (outcome.result === 'cancelled') status = 'cancelled';
      else if (outcome.permanent || d.attempts >= MAX_ATTEMPTS) status = 'failed';
      else {
        status = 'pending';
        next = new Date(now.getTime() + backoffMs(d.attempts));
      }
      await recordDigestAttempt(deps.sql, d, {
        status,
        error: outcome.result === 'delivered' ? null : outcome.error,
        statusCode: outcome.result === 'cancelled' ? null : outcome.statusCode,
        next,
        now,
      });
      counts[status === 'pending' ? 'retrying' : status]++;
      if (status !== 'delivered') {
        deps.logger.warn({ digest: d.id, attempt: d.attempts, state: status, error: 'error' in outcome ? outcome.error : undefined }, 'digest not delivered');
      }
    }
  }
}
