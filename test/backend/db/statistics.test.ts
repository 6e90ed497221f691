// db/statistics.ts: a table is stale once it grew by a tenth (and 8 pages) since its last ANALYZE,
// or, where the server counts changed rows (PostgreSQL), after 1% plus 1,000 changes; analyzing
// it tells the planner what it holds.
import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../../../backend/db/client.js';
import { analyzeTables, staleTables } from '../../../backend/db/statistics.js';
import { engine, testSql } from '../../support/app-harness.js';

const sql = testSql();

/** A schema of this test's own, so other files' tables never count. */
async function inSchema(body: (tx: Tx) => Promise<void>): Promise<void> {
  const schema = `stats_${randomBytes(4).toString('hex')}`;
  await sql`CREATE SCHEMA ${sql(schema)}`;
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT set_config('search_path', ${schema}, true)`;
      await body(tx);
    });
  } finally {
    await sql`DROP SCHEMA ${sql(schema)} CASCADE`;
  }
}

/** The planner's row estimate for a query (EXPLAIN's first line). */
async function estimate(db: Db, query: string): Promise<number> {
  const [row] = await db.unsafe(`EXPLAIN ${query}`);
  return Number(/rows=(\d+)/.exec(Object.values(row)[0] as string)![1]);
}

describe('planner statistics', () => {
  it('a table grown since its last ANALYZE is stale until analyzed, and then the planner knows its rows', async () => {
    await inSchema(async (tx) => {
      await tx`CREATE TABLE ledger (account_id text NOT NULL, n integer NOT NULL)`;
      await tx`ANALYZE ledger`;
      expect(await staleTables(tx)).toEqual([]);
      // a new account's rows arrive by the thousand
      await tx`INSERT INTO ledger SELECT 'acct_new', g FROM generate_series(1, 5000) g`;
      expect(await staleTables(tx)).toEqual(['ledger']);
      await analyzeTables(tx, ['ledger']);
      expect(await staleTables(tx)).toEqual([]);
      expect(await estimate(tx, `SELECT * FROM ledger WHERE account_id = 'acct_new'`)).toBeGreaterThan(4000);
      // a little growth is not enough
      await tx`INSERT INTO ledger SELECT 'acct_new', g FROM generate_series(1, 100) g`;
      expect(await staleTables(tx)).toEqual([]);
    });
  });

  it('a smaller statistics target samples fewer rows (the embedded engine analyzes with 10)', async () => {
    await inSchema(async (tx) => {
      await tx`CREATE TABLE spread (n integer NOT NULL)`;
      await tx`INSERT INTO spread SELECT g FROM generate_series(1, 20000) g`;
      const buckets = async () => {
        const [row] = await tx<{ bounds: number }[]>`
          SELECT array_length(histogram_bounds::text::int[], 1) AS bounds FROM pg_stats
          WHERE schemaname = current_schema() AND tablename = 'spread' AND attname = 'n'`;
        return row.bounds;
      };
      await analyzeTables(tx, ['spread'], { sampleTarget: 10 });
      expect(await buckets()).toBe(11);
      await tx`SELECT set_config('default_statistics_target', '100', true)`;
      await analyzeTables(tx, ['spread']);
      expect(await buckets()).toBe(101);
    });
  });

  it('a table never analyzed becomes stale past 8 pages', async () => {
    await inSchema(async (tx) => {
      await tx`CREATE TABLE small (n integer NOT NULL)`;
      await tx`INSERT INTO small SELECT g FROM generate_series(1, 200) g`;
      expect(await staleTables(tx)).toEqual([]);
      await tx`INSERT INTO small SELECT g FROM generate_series(1, 5000) g`;
      expect(await staleTables(tx)).toEqual(['small']);
    });
  });

  it.runIf(engine() === 'postgres')('on PostgreSQL, changed rows make a table stale without growing it much', async () => {
    const schema = `stats_${randomBytes(4).toString('hex')}`;
    await sql`CREATE SCHEMA ${sql(schema)}`;
    try {
      const table = sql(`${schema}.rows`);
      await sql`CREATE TABLE ${table} (n integer NOT NULL, flag boolean NOT NULL DEFAULT false)`;
      await sql`INSERT INTO ${table} SELECT g FROM generate_series(1, 50000) g`;
      await sql`ANALYZE ${table}`;
      // 1,600 changes: over 1,000 + 1% of 50,000, while the table grows by far less than a tenth
      await sql`UPDATE ${table} SET flag = true WHERE n <= 1600`;
      const stale = () =>
        sql.begin(async (tx) => {
          await tx`SELECT set_config('search_path', ${schema}, true)`;
          return staleTables(tx);
        });
      // the server publishes its change counts within about a second of the commit
      const deadline = Date.now() + 10_000;
      let found: string[] = [];
      while (Date.now() < deadline && (found = await stale()).length === 0) await new Promise((r) => setTimeout(r, 100));
      expect(found).toEqual(['rows']);
    } finally {
      await sql`DROP SCHEMA ${sql(schema)} CASCADE`;
    }
  });
});
