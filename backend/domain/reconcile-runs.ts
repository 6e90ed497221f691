// Reconciliation runs (migration 016): what each run of an account and mode found, and the lease
// that lets only one run per account and mode go at a time, across any number of instances. The
// lease is the run row itself (one `running` row per scope, a unique index), not an advisory lock:
// on the embedded engine all connections share one session, so session locks exclude nothing.
import type { Db, Sql } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { ensureAccount, type Scope } from './accounts.js';
import { decodeCursor, page } from './pagination.js';
import type { Gateway } from './tenants.js';

/** A running run without a heartbeat for this long is taken to be dead (its process crashed). */
export const RECONCILE_LEASE_MS = 2 * 60_000;

export type ReconcileTrigger = 'schedule' | 'manual';
export type ReconcileState = 'running' | 'succeeded' | 'failed';

export interface ReconcileRun {
  id: string;
  account_id: string;
  livemode: boolean;
  trigger: ReconcileTrigger;
  state: ReconcileState;
  since: Date;
  watermark: Date | null;
  events_seen: number;
  events_repaired: number;
  pages: number;
  errors: number;
  error: string | null;
  paypal_status: 'reconciled' | 'not_reconciled';
  paypal_note: string | null;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
}

export class ReconcileBusyError extends Error {
  constructor(readonly run: ReconcileRun) {
    super(
      `a reconciliation is already running for this account and mode (started ${run.started_at.toISOString()}, ` +
        `last progress ${run.heartbeat_at.toISOString()})`,
    );
  }
}

/** The run was taken over by another instance (its lease had expired): the other one owns it now. */
export class ReconcileTakenOverError extends Error {
  constructor() {
    super('the reconciliation was taken over by another process');
  }
}

const columns = (db: Db) => db`
  id, account_id, livemode, trigger, state, since, watermark, events_seen, events_repaired, pages, errors, error,
  paypal_status, paypal_note, started_at, heartbeat_at, finished_at`;

/** The newest watermark of a succeeded run of the scope (watermarks only move forward). */
export async function reconcileWatermark(db: Db, scope: Scope): Promise<Date | null> {
  const [row] = await db<{ watermark: Date | null }[]>`
    SELECT max(watermark) AS watermark FROM reconcile_runs
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND state = 'succeeded'`;
  return row?.watermark ?? null;
}

export async function getReconcileRun(db: Db, scope: Scope, id: string): Promise<ReconcileRun | null> {
  const [run] = await db<ReconcileRun[]>`
    SELECT ${columns(db)} FROM reconcile_runs
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${id}`;
  return run ?? null;
}

/** The scope's runs, newest first, a page of `limit` after `cursor`. */
export async function listReconcileRuns(
  db: Db,
  scope: Scope,
  opts: { limit: number; cursor?: string },
): Promise<{ data: ReconcileRun[]; next_cursor: string | null }> {
  const after = decodeCursor(opts.cursor);
  const rows = await db<ReconcileRun[]>`
    SELECT ${columns(db)} FROM reconcile_runs
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
      ${after ? db`AND (started_at, id) < (${after.t}::timestamptz, ${after.id}::uuid)` : db``}
    ORDER BY started_at DESC, id DESC
    LIMIT ${opts.limit + 1}`;
  return page(rows, opts.limit, (r) => r.started_at);
}

export interface BeginRun {
  trigger: ReconcileTrigger;
  since: Date;
  paypal: { status: 'reconciled' | 'not_reconciled'; note: string | null };
  now: Date;
  leaseMs?: number;
  /** skip (answer null) when a run of the scope started less than this long ago (scheduled runs) */
  minIntervalMs?: number;
}

/**
 * Stores a running run for the scope: the lease. A live running run refuses with
 * ReconcileBusyError; one without a heartbeat for the lease time is marked failed and replaced.
 * With minIntervalMs, answers null when a recent run exists (another instance's scheduled run).
 */
export async function beginReconcileRun(sql: Sql, scope: Scope, opts: BeginRun): Promise<ReconcileRun | null> {
  const leaseMs = opts.leaseMs ?? RECONCILE_LEASE_MS;
  try {
    return await sql.begin(async (tx) => {
      await ensureAccount(tx, scope.accountId);
      const [latest] = await tx<ReconcileRun[]>`
        SELECT ${columns(tx)} FROM reconcile_runs
        WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
        ORDER BY (state = 'running') DESC, started_at DESC, id DESC
        LIMIT 1
        FOR UPDATE`;
      if (latest?.state === 'running') {
        if (opts.now.getTime() - latest.heartbeat_at.getTime() < leaseMs) throw new ReconcileBusyError(latest);
        await tx`
          UPDATE reconcile_runs SET state = 'failed', finished_at = ${opts.now},
            error = ${`interrupted: no progress since ${latest.heartbeat_at.toISOString()}`}
          WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${latest.id}`;
      } else if (latest && opts.minIntervalMs !== undefined
        && opts.now.getTime() - latest.started_at.getTime() < opts.minIntervalMs) {
        return null;
      }
      const [run] = await tx<ReconcileRun[]>`
        INSERT INTO reconcile_runs (account_id, livemode, trigger, since, paypal_status, paypal_note, started_at,
                                    heartbeat_at)
        VALUES (${scope.accountId}, ${scope.livemode}, ${opts.trigger}, ${opts.since}, ${opts.paypal.status},
                ${opts.paypal.note}, ${opts.now}, ${opts.now})
        RETURNING ${columns(tx)}`;
      return run;
    });
  } catch (err) {
    // Two starts at once with no running row to lock: the unique index lets one through.
    if (isUniqueViolation(err)) {
      const [current] = await sql<ReconcileRun[]>`
        SELECT ${columns(sql)} FROM reconcile_runs
        WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND state = 'running'`;
      if (current) throw new ReconcileBusyError(current);
    }
    throw err;
  }
}

/** Adds a page's counts and renews the lease; throws ReconcileTakenOverError when the run lost it. */
export async function recordReconcileProgress(
  db: Db,
  run: ReconcileRun,
  delta: { seen?: number; repaired?: number; pages?: number; errors?: number },
  now: Date,
): Promise<ReconcileRun> {
  const [saved] = await db<ReconcileRun[]>`
    UPDATE reconcile_runs SET events_seen = events_seen + ${delta.seen ?? 0},
      events_repaired = events_repaired + ${delta.repaired ?? 0}, pages = pages + ${delta.pages ?? 0},
      errors = errors + ${delta.errors ?? 0}, heartbeat_at = ${now}
    WHERE account_id = ${run.account_id} AND livemode = ${run.livemode} AND id = ${run.id} AND state = 'running'
    RETURNING ${columns(db)}`;
  if (!saved) throw new ReconcileTakenOverError();
  return saved;
}

/** Ends a run; null when it was taken over meanwhile (the other instance records the outcome). */
export async function finishReconcileRun(
  db: Db,
  run: ReconcileRun,
  outcome: { state: 'succeeded'; watermark: Date | null } | { state: 'failed'; error: string },
  now: Date,
): Promise<ReconcileRun | null> {
  const [saved] = await db<ReconcileRun[]>`
    UPDATE reconcile_runs SET state = ${outcome.state},
      watermark = ${outcome.state === 'succeeded' ? outcome.watermark : null},
      error = ${outcome.state === 'failed' ? outcome.error : null}, finished_at = ${now}, heartbeat_at = ${now}
    WHERE account_id = ${run.account_id} AND livemode = ${run.livemode} AND id = ${run.id} AND state = 'running'
    RETURNING ${columns(db)}`;
  return saved ?? null;
}

/** Which of a gateway's event ids the scope has already stored (one indexed lookup per page). */
export async function storedEventIds(db: Db, scope: Scope, gateway: Gateway, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db<{ event_id: string }[]>`
    SELECT event_id FROM payment_events
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND gateway = ${gateway}
      AND event_id = ANY(${eventIds}::text[])`;
  return new Set(rows.map((r) => r.event_id));
}

/** Accounts that have the app installed (not uninstalled), for the scheduled run of every account. */
export async function installedAccountIds(db: Db): Promise<string[]> {
  const rows = await db<{ id: string }[]>`SELECT id FROM accounts WHERE uninstalled_at IS NULL ORDER BY id`;
  return rows.map((r) => r.id);
}
