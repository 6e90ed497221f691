// 5,000 events delivered shuffled with 30% of them twice give the same ledger as in-order
// delivery. Invoice rows must be identical; an invoice's history records what changed as events
// arrived, so out of order it can skip steps (an older event never overwrites newer state), and
// only its final status is compared.
import { inject } from 'vitest';
import { createLogger } from '../../backend/logger.js';
import { startApplier } from '../../backend/jobs/applier.js';
import { createHarness } from '../support/app-harness.js';
import { deliver, WEBHOOK_SECRET } from '../support/stripe-events.js';
import { invoiceLifecycles, ledgerOf, linkTenants, pool, storedEvents } from './support.js';

const postgres = inject('databaseEngine') === 'postgres';

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe.skipIf(!postgres)('shuffled replay with duplicates (PostgreSQL)', () => {
  it('gives the in-order ledger from 5,000 events shuffled with 30% duplicates', async () => {
    const env = { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const inOrder = createHarness({ env });
    const replayed = createHarness({ env });
    await linkTenants((m, p, b) => inOrder.api(m, p, b), inOrder.accountId);
    await linkTenants((m, p, b) => replayed.api(m, p, b), replayed.accountId);

    // In order: each invoice's events one after another, invoices in parallel.
    await pool(invoiceLifecycles(inOrder.accountId, 1_000), 8, async (chain) => {
      for (const event of chain) expect((await deliver(inOrder.app, event)).status).toBe(200);
    });
    await inOrder.drain(); // applied in order of occurrence

    const events = invoiceLifecycles(replayed.accountId, 1_000).flat();
    expect(events).toHaveLength(5_000);
    const seed = 20_261_101;
    const duplicates = shuffled(events, seed).slice(0, 1_500);
    const answers: { duplicate: boolean }[] = [];
    // applied while they arrive, so older events often come after newer ones were applied
    const applier = startApplier(
      { sql: replayed.sql, logger: createLogger('silent'), now: replayed.clock.now },
      { accountIds: [replayed.accountId], pollMs: 10, batchSize: 50 },
    );
    try {
      await pool(shuffled([...events, ...duplicates], seed + 1), 8, async (event) => {
        const res = await deliver(replayed.app, event);
        expect(res.status).toBe(200);
        answers.push(await res.json());
      });
    } finally {
      await applier.stop();
    }
    await replayed.drain();

    expect(answers.filter((a) => a.duplicate)).toHaveLength(1_500);
    expect(await storedEvents(replayed.sql, replayed.accountId)).toEqual({ rows: 5_000, distinct_ids: 5_000, unprocessed: 0 });
    const expected = await ledgerOf(inOrder.sql, inOrder.accountId);
    const actual = await ledgerOf(replayed.sql, replayed.accountId);
    expect(expected).toHaveLength(1_000);
    const withoutHistory = (rows: typeof expected) => rows.map(({ history: _, ...row }) => row);
    expect(withoutHistory(actual)).toEqual(withoutHistory(expected));
    const finalStatus = (rows: typeof expected) => rows.map((r) => [r.external_id, r.history.at(-1)?.to]);
    expect(finalStatus(actual)).toEqual(finalStatus(expected));
  }, 180_000);
});
