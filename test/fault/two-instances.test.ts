// Past one process (DESIGN.md "Scale"): two service processes on one PostgreSQL share the webhook
// load and the applying; every event is stored once and applied once, and the ledger equals that
// of a single undisturbed process. The instances coordinate only through the database.
import { inject } from 'vitest';
import { APP_SECRET, newAccountId, testSql } from '../support/app-harness.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { WEBHOOK_SECRET } from '../support/stripe-events.js';
import { invoiceLifecycles, ledgerOf, linkTenants, sendChains, storedEvents, type Attempt } from './support.js';

const postgres = inject('databaseEngine') === 'postgres';
const env = () => ({
  DATABASE_URL: inject('databaseUrl'),
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_APP_SECRET: APP_SECRET,
  LOG_LEVEL: 'info',
});

/** Polls until `check` holds, or fails at the deadline (reads may lag the 2xx: asynchronous apply). */
async function waitFor(check: () => Promise<boolean>, deadlineMs: number, what: string) {
  const until = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!postgres)('two instances on one PostgreSQL', () => {
  const services: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop('SIGTERM')));
  });

  it('apply each of 2,000 events exactly once between them, with the ledger of a single instance', async () => {
    const sql = testSql();
    services.push(await startService(env()), await startService(env()));
    const [a, b] = services;
    const single = newAccountId();
    const shared = newAccountId();
    await linkTenants(a.url, single);
    await linkTenants(a.url, shared);

    // One instance alone: the reference ledger.
    const reference: Attempt[] = [];
    await sendChains(() => a.url, invoiceLifecycles(single, 400), reference, 16);
    await waitFor(async () => (await storedEvents(sql, single)).unprocessed === 0, 60_000, 'the single instance to apply');

    // The same events for another account, each delivery to whichever instance is next.
    let turn = 0;
    const attempts: Attempt[] = [];
    await sendChains(() => (turn++ % 2 === 0 ? a.url : b.url), invoiceLifecycles(shared, 400), attempts, 32);
    expect(attempts.every((x) => x.status === 200)).toBe(true);
    await waitFor(async () => (await storedEvents(sql, shared)).unprocessed === 0, 60_000, 'both instances to apply');

    expect(await storedEvents(sql, shared)).toEqual({ rows: 2_000, distinct_ids: 2_000, unprocessed: 0 });
    const expected = await ledgerOf(sql, single);
    expect(expected).toHaveLength(400);
    // applied once: one history row per change, never a duplicate
    expect(await ledgerOf(sql, shared)).toEqual(expected);
  }, 240_000);
});
