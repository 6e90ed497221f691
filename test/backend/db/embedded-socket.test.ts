// The embedded engine serves several connections from one PGlite: concurrent statements and
// transactions from two pools must each get their own results (no interleaved portals).
import { connectUrl, startEmbedded } from '../../../backend/db/client.js';

it('keeps concurrent queries and transactions of several connections apart', async () => {
  const db = await startEmbedded('memory://', 4, 16);
  const other = connectUrl(db.url, 4);
  try {
    await db.sql`CREATE TABLE probe (n int, tag text)`;
    const failures: string[] = [];
    const worker = async (sql: typeof db.sql, tag: string, rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        try {
          if (i % 3 === 0) {
            await sql.begin(async (tx) => {
              await tx`INSERT INTO probe (n, tag) VALUES (${i}, ${tag})`;
              const [row] = await tx<{ c: number }[]>`SELECT count(*)::int AS c FROM probe WHERE tag = ${tag}`;
              if (row.c !== Math.floor(i / 3) + 1) failures.push(`${tag}: count ${row.c} at ${i}`);
            });
          } else {
            const [row] = await sql<{ x: number; s: string }[]>`SELECT ${i}::int * 2 AS x, ${`${tag}-${i}`}::text AS s`;
            if (row.x !== i * 2 || row.s !== `${tag}-${i}`) failures.push(`${tag}: got ${row.x}/${row.s} at ${i}`);
          }
        } catch (err) {
          failures.push(`${tag}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all([...Array(10)].map((_, k) => worker(k % 2 ? db.sql : other.sql, `w${k}`, 120)));
    expect(failures).toEqual([]);
    const [total] = await db.sql<{ c: number }[]>`SELECT count(*)::int AS c FROM probe`;
    expect(total.c).toBe(10 * 40);
  } finally {
    await other.close();
    await db.close();
  }
}, 60_000);
