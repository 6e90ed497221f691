// Background backfill runs (POST /api/sync): when a run starts and what runs beside it. The paging
// itself is gateways/stripe/backfill.ts.
import { beginSyncRun, type SyncRun } from '../domain/sync-runs.js';
import { createRequestLimiter, executeSyncRun, type BackfillDeps, type BackfillOptions } from '../gateways/stripe/backfill.js';
import type { Scope } from '../domain/accounts.js';

export interface SyncRunner {
  /** stores a run and executes it in the background; resolves with the stored run */
  start(scope: Scope): Promise<SyncRun>;
  /** resolves when every background run of this runner has ended */
  idle(): Promise<void>;
}

/** Background runs sharing one request limiter; a failing run is recorded and logged, never thrown. */
export function createSyncRunner(deps: BackfillDeps, opts: Omit<BackfillOptions, 'limiter'> = {}): SyncRunner {
  const limiter = createRequestLimiter(deps.config.SYNC_MAX_REQUESTS_PER_SECOND);
  const inFlight = new Set<Promise<unknown>>();
  return {
    async start(scope) {
      const run = await beginSyncRun(deps.sql, scope, deps.now());
      const done: Promise<unknown> = executeSyncRun(deps, run, { ...opts, limiter })
        .catch((err) => deps.logger.error({ err, sync_run: run.id }, 'sync run could not record its outcome'))
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      return run;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
