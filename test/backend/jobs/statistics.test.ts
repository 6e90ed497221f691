// jobs/statistics.ts: a pass analyzes the tables whose statistics lag their data, until they
// catch up; while another instance's pass holds the job's lock, a pass does nothing.
import { randomBytes } from 'node:crypto';
import { nextPassAt, refreshStatistics, STATISTICS_LOCK } from '../../../backend/jobs/statistics.js';
import { engine, testSql } from '../../support/app-harness.js';

const sql = testSql();

describe('statistics keeper', () => {
  it('rests after a pass so that passes take at most a twentieth of the time', () => {
    // whatever a pass takes, it is at most a twentieth of the time until the next may start
    for (const took of [10, 200, 1_500]) expect(took / (nextPassAt(10_000, took) - 10_000)).toBeLessThanOrEqual(1 / 20);
    // a 200 ms pass over a large inbox: the next one 4 s after it began, not the next second
    expect(nextPassAt(10_000, 200)).toBe(14_000);
    // a new account's small tables (a 10 ms pass) are still analyzed every second
    expect(nextPassAt(10_000, 10)).toBeLessThanOrEqual(11_000);
  });

  it('analyzes a table that grew since its last ANALYZE, and leaves it alone once its statistics caught up', async () => {
    const table = `stats_job_${randomBytes(4).toString('hex')}`;
    await sql`CREATE TABLE ${sql(table)} (n integer NOT NULL)`;
    try {
      await sql.begin(async (tx) => {
        await tx`INSERT INTO ${sql(table)} SELECT g FROM generate_series(1, 5000) g`;
        // publish the change count when this transaction ends, not up to 10 s later
        await tx`SELECT pg_stat_force_next_flush()`;
      });
      expect(await refreshStatistics(sql)).toContain(table);
      const [{ reltuples }] = await sql<{ reltuples: number }[]>`SELECT reltuples FROM pg_class WHERE relname = ${table}`;
      expect(reltuples).toBe(5000);
      // A change count the server published after that ANALYZE makes one more pass analyze it;
      // after that, passes leave it alone.
      const deadline = Date.now() + 15_000;
      while ((await refreshStatistics(sql)).includes(table)) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await refreshStatistics(sql)).not.toContain(table);
    } finally {
      await sql`DROP TABLE ${sql(table)}`;
    }
  });

  // The embedded engine serves every connection from one backend: an advisory lock excludes nobody
  // there, and there is only ever one instance.
  it.runIf(engine() === 'postgres')('does nothing while another instance holds the lock', async () => {
    const table = `stats_job_${randomBytes(4).toString('hex')}`;
    await sql`CREATE TABLE ${sql(table)} (n integer NOT NULL)`;
    try {
      await sql`INSERT INTO ${sql(table)} SELECT g FROM generate_series(1, 5000) g`;
      await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${STATISTICS_LOCK}, 0)`;
        expect(await refreshStatistics(sql)).toEqual([]);
      });
      expect(await refreshStatistics(sql)).toContain(table);
    } finally {
      await sql`DROP TABLE ${sql(table)}`;
    }
  });
});
