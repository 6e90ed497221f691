// The daily digest job, run after each past-due scan: claim today's digest of every account+mode
// that opted in (content computed once, at the claim), then deliver pending digests through the
// notifications' delivery path: the same signature header, the same public-address-checked
// postJson, the same backoff and attempt limit. The scheduler's retry pass sends retries.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import type { Scope } from '../domain/accounts.js';
import {
  claimDigest,
  claimPendingDigests,
  digestContent,
  digestMessage,
  digestsDue,
  recordDigestAttempt,
  utcDay,
  type ClaimedDigest,
  type DigestPayload,
} from '../domain/digest.js';
import { backoffMs, DELIVERY_HEADER, MAX_ATTEMPTS, SIGNATURE_HEADER, signatureHeader } from '../domain/notifications.js';
import { DeliveryRefusedError, DeliveryTimeoutError, postJson } from '../http-out/post-json.js';
import type { Resolver } from '../http-out/public-address.js';

const CLAIM_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const BATCH = 50;

// The app's id from the manifest (the same file the Dashboard installs), read once.
const APP_ID: string = JSON.parse(readFileSync(new URL('../../stripe-app.json', import.meta.url), 'utf8')).id;

/** The app in the Stripe Dashboard (its /test/ path for test mode): where the digest links. */
export const appDashboardUrl = (livemode: boolean) =>
  `https://dashboard.stripe.com/${livemode ? '' : 'test/'}apps/${encodeURIComponent(APP_ID)}`;

export interface DigestDeps {
  sql: Sql;
  logger: Logger;
  timeoutMs?: number;
  allowPrivateReceivers?: boolean;
  resolve?: Resolver;
}

export interface DigestCounts {
  created: number;
  delivered: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

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

type Outcome =
  | { status: 'delivered'; statusCode: number }
  | { status: 'cancelled'; error: string }
  | { status: 'error'; error: string; statusCode: number | null };

async function post(d: ClaimedDigest, deps: DigestDeps): Promise<Outcome> {
  if (!d.digest_enabled) return { status: 'cancelled', error: 'daily_digest was turned off' };
  if (!d.notify_url || !d.notify_secret) return { status: 'cancelled', error: 'notify_url is no longer set' };
  const body = JSON.stringify(d.payload);
  const t = Math.floor(Date.now() / 1000); // transport time: receivers check it against their clock
  try {
    const res = await postJson(d.notify_url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tenant-billing-notifications',
        [SIGNATURE_HEADER]: signatureHeader(d.notify_secret, body, t),
        [DELIVERY_HEADER]: d.id,
      },
      body,
      timeoutMs: deps.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      allowPrivate: !!deps.allowPrivateReceivers,
      resolve: deps.resolve,
      maxResponseBytes: 200,
    });
    if (res.status >= 200 && res.status < 300) return { status: 'delivered', statusCode: res.status };
    const text = res.text.slice(0, 200);
    return { status: 'error', error: `receiver answered HTTP ${res.status}${text ? `: ${text}` : ''}`, statusCode: res.status };
  } catch (err) {
    const e = err as Error;
    const error = e instanceof DeliveryRefusedError || e instanceof DeliveryTimeoutError ? e.message : `request failed: ${e.message}`;
    return { status: 'error', error, statusCode: null };
  }
}

/** Sends the pending digests whose time has come (one account+mode, or all); safe from several instances. */
export async function deliverPendingDigests(deps: DigestDeps, now: Date, scope: Scope | null): Promise<Omit<DigestCounts, 'created'>> {
  const counts = { delivered: 0, retrying: 0, failed: 0, cancelled: 0 };
  for (;;) {
    const batch = await claimPendingDigests(deps.sql, now, scope, CLAIM_MS, BATCH);
    if (batch.length === 0) return counts;
    for (const d of batch) {
      const outcome = await post(d, deps);
      let status: 'delivered' | 'pending' | 'failed' | 'cancelled';
      let next = now;
      if (outcome.status === 'delivered') status = 'delivered';
      else if (outcome.status === 'cancelled') status = 'cancelled';
      else if (d.attempts >= MAX_ATTEMPTS) status = 'failed';
      else {
        status = 'pending';
        next = new Date(now.getTime() + backoffMs(d.attempts));
      }
      await recordDigestAttempt(deps.sql, d, {
        status,
        error: outcome.status === 'delivered' ? null : outcome.error,
        statusCode: outcome.status === 'cancelled' ? null : outcome.statusCode,
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

/** After a scan: today's digests, then every pending one. */
export async function runDigests(deps: DigestDeps, now: Date, scope: Scope | null): Promise<DigestCounts> {
  const created = await createDigests(deps.sql, now, scope);
  return { created, ...(await deliverPendingDigests(deps, now, scope)) };
}
