// Backfill runs (sync_runs): one row per run with its phase, cursor and counts, saved after every
// page so a crashed run resumes from its last saved page. One run per account and mode at a time
// (a unique index); a running run without a heartbeat for LEASE_MS is taken to be dead.
import type { Db, Sql, Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { ensureAccount, type Scope } from './accounts.js';

/** A running run without a heartbeat for this long is taken to be dead (its process crashed). */
export const LEASE_MS = 2 * 60_000;

export type SyncState = 'running' | 'succeeded' | 'failed';
export type SyncPhase = 'customers' | 'invoices' | 'done';

export interface SyncRun {
  id: string;
  account_id: string;
  livemode: boolean;
  state: SyncState;
  phase: SyncPhase;
  cursor: string | null;
  customers: number;
  invoices: number;
  pages: number;
  errors: number;
  error: string | null;
  resumed_from: string | null;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
}

export class SyncAlreadyRunningError extends Error {
  constructor(readonly run: SyncRun) {
    super(
      `a sync is already running for this account and mode (started ${run.started_at.toISOString()}, ` +
        `last progress ${run.heartbeat_at.toISOString()}); a run without progress for ${LEASE_MS / 60_000} minutes is taken over`,
    );
  }
}

const runColumns = (db: Db) => db`
  id, account_id, livemode, state, phase, cursor, customers, invoices, pages, errors, error, resumed_from,
  started_at, heartbeat_at, finished_at`;

export async function latestSyncRun(db: Db, scope: Scope): Promise<SyncRun | null> {
  const [run] = await db<SyncRun[]>`
    SELECT ${runColumns(db)} FROM sync_runs
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
    ORDER BY seq DESC LIMIT 1`;
  return run ?? null;
}

/**
 * Stores a new running run for the scope. It continues the cursor and counts of the latest run
 * when that one did not succeed (failed, or running without a heartbeat for LEASE_MS: its process
 * died, so it is marked failed first). A live running run refuses with SyncAlreadyRunningError.
 */
export async function beginSyncRun(sql: Sql, scope: Scope, now: Date, leaseMs = LEASE_MS): Promise<SyncRun> {
  try {
    return await sql.begin(async (tx) => {
      await ensureAccount(tx, scope.accountId);
      const [latest] = await tx<SyncRun[]>`
        SELECT ${runColumns(tx)} FROM sync_runs
        WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode}
        ORDER BY seq DESC LIMIT 1
        FOR UPDATE`;
      let resumeFrom = latest && latest.state !== 'succeeded' ? latest : null;
      if (latest?.state === 'running') {
        if (now.getTime() - latest.heartbeat_at.getTime() < leaseMs) throw new SyncAlreadyRunningError(latest);
        [resumeFrom] = await tx<SyncRun[]>`
          UPDATE sync_runs SET state = 'failed', finished_at = ${now},
            error = ${`interrupted: no progress since ${latest.heartbeat_at.toISOString()}`}
          WHERE id = ${latest.id} AND account_id = ${scope.accountId} AND livemode = ${scope.livemode}
          RETURNING ${runColumns(tx)}`;
      }
      const [run] = await tx<SyncRun[]>`
        INSERT INTO sync_runs (account_id, livemode, phase, cursor, customers, invoices, pages, errors, resumed_from,
                               started_at, heartbeat_at)
        VALUES (${scope.accountId}, ${scope.livemode}, ${resumeFrom?.phase ?? 'customers'}, ${resumeFrom?.cursor ?? null},
                ${resumeFrom?.customers ?? 0}, ${resumeFrom?.invoices ?? 0}, ${resumeFrom?.pages ?? 0},
                ${resumeFrom?.errors ?? 0}, ${resumeFrom?.id ?? null}, ${now}, ${now})
        RETURNING ${runColumns(tx)}`;
      return run;
    });
  } catch (err) {
    // Two starts at once with no earlier run to lock: the unique index lets one through.
    if (isUniqueViolation(err)) {
      const current = await latestSyncRun(sql, scope);
      if (current?.state === 'running') throw new SyncAlreadyRunningError(current);
    }
    throw err;
  }
}

export const NEXT_PHASE: Record<SyncPhase, SyncPhase> = { customers: 'invoices', invoices: 'done', done: 'done' };

export class RunTakenOver extends Error {
  constructor() {
    super('the run was taken over by another process');
  }
}

/** What a saved page moves the run to. */
export interface PageProgress {
  phase: SyncPhase;
  cursor: string | null;
  customers: number;
  invoices: number;
}

/** Saves a page's progress inside the transaction that applied it; RunTakenOver if the run is no longer ours. */
export async function saveSyncPage(tx: Tx, scope: Scope, run: SyncRun, next: PageProgress, now: Date): Promise<SyncRun> {
  const [saved] = await tx<SyncRun[]>`
    UPDATE sync_runs SET phase = ${next.phase}, cursor = ${next.cursor}, customers = ${next.customers},
      invoices = ${next.invoices}, pages = ${run.pages + 1}, heartbeat_at = ${now}
    WHERE id = ${run.id} AND account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND state = 'running'
    RETURNING ${runColumns(tx)}`;
  if (!saved) throw new RunTakenOver();
  return saved;
}

/** Counts a failed request on the run (and is its heartbeat). */
export async function recordFailedAttempt(sql: Sql, run: SyncRun, now: Date): Promise<SyncRun> {
  const [saved] = await sql<SyncRun[]>`
    UPDATE sync_runs SET errors = errors + 1, heartbeat_at = ${now}
    WHERE id = ${run.id} AND account_id = ${run.account_id} AND livemode = ${run.livemode} AND state = 'running'
    RETURNING ${runColumns(sql)}`;
  if (!saved) throw new RunTakenOver();
  return saved;
}

/** Ends a run; when another process took it over meanwhile, that one's record is answered. */
export async function finishSyncRun(sql: Sql, run: SyncRun, state: SyncState, error: string | null, now: Date): Promise<SyncRun> {
  const [saved] = await sql<SyncRun[]>`
    UPDATE sync_runs SET state = ${state}, error = ${error}, finished_at = ${now}, heartbeat_at = ${now}
    WHERE id = ${run.id} AND account_id = ${run.account_id} AND livemode = ${run.livemode} AND state = 'running'
    RETURNING ${runColumns(sql)}`;
  return saved ?? (await latestSyncRun(sql, { accountId: run.account_id, livemode: run.livemode })) ?? run;
}
