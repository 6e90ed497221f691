// Planner statistics kept up with the data by the service itself. PostgreSQL plans from the
// statistics of the last ANALYZE, and a cached plan (a prepared statement's generic plan, or a
// foreign key check's) lives until the next one. Autovacuum visits a database once a minute by
// default (autovacuum_naptime), some servers run without it, and the embedded engine has none; a
// new account's backfill or a burst of webhooks meanwhile grows the ledger by thousands of rows a
// second. Measured on the bench (PostgreSQL without autovacuum): a 10,000-object backfill slowed
// with every page (a page of invoices 11 -> 66 ms to apply, foreign key checks planned as scans
// while the tables were empty) and reached 70-73% of its rate bound; with an ANALYZE every second,
// 90%.
import type { Db } from './client.js';

/** Changed rows since the last ANALYZE that make a table stale: autovacuum's rule with 022's settings. */
export const STALE_CHANGED_ROWS = { base: 1000, fraction: 0.01 } as const;
/** Growth in pages since the last ANALYZE that makes a table stale (the embedded engine keeps no row counts). */
export const STALE_GROWTH = { pages: 8, fraction: 0.1 } as const;

/**
 * The tables of the current schema whose statistics lag their data: grown by a tenth (and 8
 * pages) since they were last analyzed, or, where the server counts changed rows (PostgreSQL),
 * changed by 1% plus 1,000 rows.
 */
export async function staleTables(db: Db): Promise<string[]> {
  const rows = await db<{ name: string }[]>`
    SELECT c.relname AS name
    FROM pg_class c
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
      AND (
        pg_relation_size(c.oid) / current_setting('block_size')::int
          > GREATEST(c.relpages, 0) * ${1 + STALE_GROWTH.fraction}::float8 + ${STALE_GROWTH.pages}::float8
        OR COALESCE(s.n_mod_since_analyze, 0) > ${STALE_CHANGED_ROWS.base}::float8 + ${STALE_CHANGED_ROWS.fraction}::float8 * GREATEST(c.reltuples, 0)
      )
    ORDER BY c.relname`;
  return rows.map((r) => r.name);
}

/**
 * ANALYZE these tables of the current schema, one statement each; `sampleTarget` (inside a
 * transaction) sets the statistics target for them (300 rows sampled per unit; default 100).
 */
export async function analyzeTables(db: Db, tables: string[], opts: { sampleTarget?: number } = {}): Promise<void> {
  if (opts.sampleTarget) await db`SELECT set_config('default_statistics_target', ${String(opts.sampleTarget)}, true)`;
  // SKIP_LOCKED: a table being vacuumed (the applier's queue) is analyzed on a later pass instead of
  // holding this pass, and its transaction, until the VACUUM ends
  for (const table of tables) await db`ANALYZE (SKIP_LOCKED) ${db(table)}`;
}
