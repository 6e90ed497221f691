// The service is killed with SIGKILL three times while a retrying sender posts 2,000 events (and
// its applier applies them): every event ends stored exactly once and applied exactly once (a batch
// cut by the kill rolls back whole and is applied again), and the ledger equals that of an
// undisturbed run.
import { inject } from 'vitest';
import { APP_SECRET, newAccountId, testSql } from '../support/app-harness.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { WEBHOOK_SECRET } from '../support/stripe-events.js';
import { invoiceLifecycles, ledgerOf, linkTenants, sendChains, storedEvents, waitForApplied, type Attempt } from './support.js';

const postgres = inject('databaseEngine') === 'postgres';
const env = () => ({
  DATABASE_URL: inject('databaseUrl'),
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_APP_SECRET: APP_SECRET,
  LOG_LEVEL: 'info',
});

describe.skipIf(!postgres)('SIGKILL under load (PostgreSQL)', () => {
  let svc: ServiceProcess | undefined;
  afterAll(async () => {
    await svc?.stop('SIGKILL');
  });

  it('stores each of 2,000 events exactly once across three kills, with the ledger of an undisturbed run', async () => {
    const sql = testSql();
    svc = await startService(env());
    const calm = newAccountId();
    const crashed = newAccountId();
    await linkTenants(svc.url, calm);
    await linkTenants(svc.url, crashed);

    // The undisturbed run.
    const calmAttempts: Attempt[] = [];
    await sendChains(() => svc!.url, invoiceLifecycles(calm, 400), calmAttempts, 16);
    expect(calmAttempts.every((a) => a.status === 200)).toBe(true);

    // The same events for another account, with the service killed at 20%, 45% and 70%.
    const chains = invoiceLifecycles(crashed, 400);
    const total = chains.flat().length;
    expect(total).toBe(2_000);
    const attempts: Attempt[] = [];
    let stored = 0;
    const killAt = [400, 900, 1_400];
    let restarting: Promise<void> | null = null;
    const kills: number[] = [];
    const onStored = () => {
      stored++;
      if (killAt.length && stored >= killAt[0] && !restarting) {
        killAt.shift();
        restarting = (async () => {
          const old = svc!;
          kills.push(old.child.pid!);
          await old.stop('SIGKILL');
          svc = await startService(env());
        })().finally(() => (restarting = null));
      }
    };
    await sendChains(() => svc!.url, chains, attempts, 16, onStored);
    while (restarting) await restarting;

    expect(kills).toHaveLength(3);
    // The kills were felt: some attempts failed and were retried.
    expect(attempts.filter((a) => a.status !== 200).length).toBeGreaterThan(0);

    await waitForApplied(sql, calm);
    await waitForApplied(sql, crashed);
    expect(await storedEvents(sql, crashed)).toEqual({ rows: 2_000, distinct_ids: 2_000, unprocessed: 0 });
    const expected = await ledgerOf(sql, calm);
    const actual = await ledgerOf(sql, crashed);
    expect(expected).toHaveLength(400);
    expect(actual).toEqual(expected);
  }, 180_000);
});
