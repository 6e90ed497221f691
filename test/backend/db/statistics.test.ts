// db/statistics.ts: a table is stale once it grew by a tenth (and 8 pages) since its last ANALYZE,
// or, where the server counts changed rows (PostgreSQL), after 1% plus 1,000 changes; analyzing
// it tells the planner what it holds.
import { randomBytes } from 'node:crypto';
import { analyzeTables, staleTables } from '../../../backend/db/statistics.js';
import { engine, testSql } from '../../support/app-harness.js';

const sql = testSql();

/** A schema of this test's own, so other files' tables never count. */
async function inSchema<T>(body: (tx: Parameters<Parameters<typeof sql.begin>[0]>[0]) => Promise<T>): Promise<T> {
  const schema = `stats_${randomBytes(4).toString('hex')}`;
  await sql`CREATE SCHEMA ${sql(schema)}`;
  try {
    return await sql.begin(async (tx) => {
      await tx`SELECT set_config('search_path', ${schema}, true)`;
      return body(tx);
    });
  } finally {
    await sql`DROP SCHEMA ${sql(schema)} CASCADE`;
  }
}

/** The planner's row estimate for a query (EXPLAIN's first line). */
async function estimate(db: Parameters<typeof staleTables>[0], query: string): Promise<number> {
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
