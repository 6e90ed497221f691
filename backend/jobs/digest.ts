// The daily digest job, run after each past-due scan: claim today's digest of every account+mode
// that opted in (content computed once, at the claim), then deliver pending digests through the
// notifications' delivery path (gateways/notify/deliver-digests.ts). The scheduler's retry pass
// sends retries.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/client.js';
import type { Scope } from '../domain/accounts.js';
import { claimDigest, digestContent, digestMessage, digestsDue, utcDay, type DigestPayload } from '../domain/digest.js';
import type { DeliveryCounts } from '../domain/notifications.js';
import { deliverPendingDigests, type DigestDeliveryDeps } from '../gateways/notify/deliver-digests.js';
import manifest from '../../stripe-app.json' with { type: 'json' };

// The app's id from the manifest (the same file the Dashboard installs; bundled into dist/main.js).
const APP_ID: string = manifest.id;

/** The app in the Stripe Dashboard (its /test/ path for test mode): where the digest links. */
export const appDashboardUrl = (livemode: boolean) =>
  `https://dashboard.stripe.com/${livemode ? '' : 'test/'}apps/${encodeURIComponent(APP_ID)}`;

export type DigestCounts = DeliveryCounts & { created: number };

/** Claims today's digest for each account+mode that wants one; returns how many it created. */
export async function createDigests(sql: Sql, now: Date, scope: Scope | null): Promise<number> {
  let created = 0;
  const day = utcDay(now);
  for (const due of await digestsDue(sql, now, scope)) {
    const target: Scope = { accountId: due.accountId, livemode: due.livemode };
    const content = await digestContent(sql, target, due.since, now, now);
    const id = randomUUID();
    const appUrl = appDashboardUrl(target.livemode);
    const payload: DigestPayload = {
      id,
      type: 'digest.daily',
      livemode: target.livemode,
      day,
      period: { from: due.since.toISOString(), to: now.toISOString() },
      ...digestMessage(content, day, target.livemode, appUrl),
      ...content,
      links: { app: appUrl },
    };
    if (await claimDigest(sql, target, { id, day, from: due.since, to: now, payload })) created++;
  }
  return created;
}

/** After a scan: today's digests, then every pending one. */
export async function runDigests(deps: DigestDeliveryDeps, now: Date, scope: Scope | null): Promise<DigestCounts> {
  const created = await createDigests(deps.sql, now, scope);
  return { created, ...(await deliverPendingDigests(deps, now, scope)) };
}
