// Keeps the planner's statistics up with the ledger (db/statistics.ts says why): every second
// one instance analyzes the tables that grew or changed since their last ANALYZE, and after a pass
// rests so that passes take at most KEEPER_SHARE of the time. Instances
// coordinate through the database: a pass holds a transaction-level advisory lock, and another
// instance's pass meanwhile does nothing.
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import { analyzeTables, staleTables } from '../db/statistics.js';

/** Advisory lock namespace of this job (migrate.ts 7_301_001, event-inbox.ts 7_301_002, past-due-scan.ts 7_301_006). */
export const STATISTICS_LOCK = 7_301_007;

export interface StatisticsKeeper {
  /** stops the timer and waits for a running pass */
  stop(): Promise<void>;
}

export interface StatisticsOptions {
  /** seconds between passes; default 1 */
  everySeconds?: number;
  /** the statistics target of the pass's ANALYZE (default: the server's, 100) */
  sampleTarget?: number;
}

/** One pass: analyzes the stale tables and names them; none when another instance is at it. */
export async function refreshStatistics(sql: Sql, opts: StatisticsOptions = {}): Promise<string[]> {
  return sql.begin(async (tx) => {
    const [{ locked }] = await tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${STATISTICS_LOCK}, 0) AS locked`;
    if (!locked) return [];
    const stale = await staleTables(tx);
    await analyzeTables(tx, stale, { sampleTarget: opts.sampleTarget });
    return stale;
  });
}

/**
 * The keeper's passes take at most this share of the time: after a pass of `ms`, the next waits
 * until `ms / KEEPER_SHARE` from its start. Measured on the bench's webhook load: a pass a second
 * over the growing inbox and ledger (ANALYZE of the events 108 ms, invoices 79 ms) was a sixth of
 * PostgreSQL's time; small tables (a new account's first pages) still analyze every second.
 */
const KEEPER_SHARE = 0.05;

/** When the next pass may start, after one that started at `startedMs` and took `tookMs`. */
export const nextPassAt = (startedMs: number, tookMs: number) => startedMs + tookMs / KEEPER_SHARE;

export function startStatisticsKeeper(deps: { sql: Sql; logger: Logger }, opts: StatisticsOptions = {}): StatisticsKeeper {
  let running: Promise<unknown> | null = null;
  let notBefore = 0;
  const cron = new Cron(`*/${opts.everySeconds ?? 1} * * * * *`, { protect: true, name: 'statistics' }, async () => {
    const started = performance.now();
    if (started < notBefore) return;
    running = refreshStatistics(deps.sql, opts)
      .then((tables) => {
        if (tables.length === 0) return;
        const took = performance.now() - started;
        notBefore = nextPassAt(started, took);
        deps.logger.info({ tables, ms: Math.round(took) }, 'statistics refreshed');
      })
      // the next pass tries again; plans meanwhile use the previous statistics
      .catch((err) => deps.logger.warn({ err: (err as Error).message }, 'statistics refresh failed'));
    await running;
  });
  return {
    async stop() {
      cron.stop();
      await running;
    },
  };
}
