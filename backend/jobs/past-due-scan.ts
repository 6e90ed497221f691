// The past-due scan: mark / clear past due, claim the notifications due, then deliver them.
//
// One scan at a time. A run claims its job_runs row (a lease in database time, renewed while it
// runs) inside a transaction that also takes pg_try_advisory_xact_lock. The row, not a session
// advisory lock, is what excludes: on the embedded engine every connection shares one backend
// session, so session locks would not exclude anything there. A crashed run's lease expires.
// The daily scan covers every account and mode (job 'past-due-scan'); an admin's on-demand scan
// covers one account+mode and is refused while the daily scan or another scan of it runs.
//
// Nothing half-done. Transitions, their history and the notification rows commit in one
// transaction; deliveries come after it, each recorded on its own. Re-running is harmless.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import type { Scope } from '../domain/accounts.js';
import { createDueNotifications, type CreatedCounts, type DeliveryCounts } from '../domain/notifications.js';
import { deliverPendingNotifications } from '../gateways/notify/deliver.js';
import type { InvoiceReminderClients } from '../gateways/stripe/customer-reminder.js';
import { applyPastDueTransitions } from '../domain/past-due-transitions.js';
import type { Resolver } from '../gateways/notify/public-address.js';
import { runDigests, type DigestCounts } from './digest.js';

export const DAILY_SCAN_JOB = 'past-due-scan';
const LOCK_CLASS = 7_301_006; // advisory lock namespace of this job (key 2 = hash of the job name)
const LEASE_SECONDS = 120;
const HEARTBEAT_MS = 30_000;

export interface ScanDeps {
  sql: Sql;
  logger: Logger;
  now: () => Date;
  stripe: InvoiceReminderClients | null;
  /** receiver timeout, ms (tests shorten it) */
  deliveryTimeoutMs?: number;
  /** NOTIFY_ALLOW_PRIVATE */
  allowPrivateReceivers?: boolean;
  /** DNS resolver for receivers (tests inject one) */
  resolve?: Resolver;
}

export interface ScanSummary {
  as_of: string;
  scope: { account_id: string; livemode: boolean } | null;
  entered: number;
  cleared: number;
  notifications_created: CreatedCounts;
  deliveries: DeliveryCounts;
  /** daily digests claimed and delivered after the notifications */
  digests: DigestCounts;
  duration_ms: number;
}

export type ScanOutcome = { ran: true; summary: ScanSummary } | { ran: false; reason: 'busy' };

/** Who holds a lease: host, process and a random part (two apps in one process differ). */
const instanceId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export const scopeJobName = (scope: Scope) => `${DAILY_SCAN_JOB}:${scope.accountId}:${scope.livemode ? 'live' : 'test'}`;

/** Takes the job's lease; false when another run holds it (or, for a scoped run, the daily scan). */
async function claim(sql: Sql, name: string, holder: string, alsoIdle: string | null): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [{ locked }] = await tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}, hashtext(${name})) AS locked`;
    if (!locked) return false;
    if (alsoIdle) {
      const busy = await tx`SELECT 1 FROM job_runs WHERE name = ${alsoIdle} AND locked_until > now()`;
      if (busy.length > 0) return false;
    }
    await tx`INSERT INTO job_runs (name) VALUES (${name}) ON CONFLICT (name) DO NOTHING`;
    const won = await tx`
      UPDATE job_runs SET locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), locked_by = ${holder},
        started_at = now()
      WHERE name = ${name} AND (locked_until IS NULL OR locked_until < now())
      RETURNING name`;
    return won.length > 0;
  });
}

/**
 * Runs one scan as of `now` (default deps.now()): every account when scope is omitted, else one
 * account+mode. Answers { ran: false } when another scan holds the lease.
 */
export async function runPastDueScan(deps: ScanDeps, opts: { now?: Date; scope?: Scope } = {}): Promise<ScanOutcome> {
  const now = opts.now ?? deps.now();
  const scope = opts.scope ?? null;
  const name = scope ? scopeJobName(scope) : DAILY_SCAN_JOB;
  const holder = instanceId();
  if (!(await claim(deps.sql, name, holder, scope ? DAILY_SCAN_JOB : null))) return { ran: false, reason: 'busy' };

  const started = performance.now();
  const heartbeat = setInterval(() => {
    deps.sql`UPDATE job_runs SET locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
      WHERE name = ${name} AND locked_by = ${holder}`.catch((err) => deps.logger.warn({ err }, 'scan lease renewal failed'));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let summary: ScanSummary | undefined;
  try {
    const { transitions, created } = await deps.sql.begin(async (tx) => ({
      transitions: await applyPastDueTransitions(tx, now, scope),
      created: await createDueNotifications(tx, now, scope),
    }));
    const deliveries = await deliverPendingNotifications(
      {
        sql: deps.sql,
        logger: deps.logger,
        stripe: deps.stripe,
        timeoutMs: deps.deliveryTimeoutMs,
        allowPrivateReceivers: deps.allowPrivateReceivers,
        resolve: deps.resolve,
      },
      now,
      scope,
    );
    const digestDeps = { sql: deps.sql, logger: deps.logger, timeoutMs: deps.deliveryTimeoutMs, allowPrivateReceivers: deps.allowPrivateReceivers, resolve: deps.resolve };
    const digests = await runDigests(digestDeps, now, scope);
    summary = {
      as_of: now.toISOString(),
      scope: scope && { account_id: scope.accountId, livemode: scope.livemode },
      ...transitions,
      notifications_created: created,
      deliveries,
      digests,
      duration_ms: Math.round(performance.now() - started),
    };
    deps.logger.info({ job: name, ...summary }, 'past-due scan done');
    return { ran: true, summary };
  } finally {
    clearInterval(heartbeat);
    // Release the lease; a completed run also records what time it looked at.
    await deps.sql`
      UPDATE job_runs SET locked_until = NULL, locked_by = NULL, finished_at = now(),
        last_as_of = ${summary ? now : deps.sql`last_as_of`},
        last_summary = ${summary ? deps.sql.json(JSON.parse(JSON.stringify(summary))) : deps.sql`last_summary`}
      WHERE name = ${name} AND locked_by = ${holder}`;
  }
}

/** The clock time the last completed daily scan looked at, or null if none ever completed. */
export async function lastDailyScanAsOf(sql: Sql): Promise<Date | null> {
  const [row] = await sql<{ last_as_of: Date | null }[]>`SELECT last_as_of FROM job_runs WHERE name = ${DAILY_SCAN_JOB}`;
  return row?.last_as_of ?? null;
}
