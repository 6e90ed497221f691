// The scheduled reconciliation (RECONCILE_SCHEDULE) over every installed account, on a database
// of its own (the shared test database holds every other test's accounts), with two "instances"
// (two schedules on one database) ticking at once.
import { migrate } from '../../../backend/db/migrate.js';
import { createStripeClients } from '../../../backend/gateways/stripe/api-client.js';
import { startReconcileSchedule, type ReconcileDeps } from '../../../backend/jobs/reconcile.js';
import { createLogger } from '../../../backend/logger.js';
import { fakeClock, newAccountId } from '../../support/app-harness.js';
import { seedEvents } from '../../support/fake-stripe-events.js';
import { startFakeStripe, type FakeStripe } from '../../support/fake-stripe.js';
import { freshDatabase, type FreshDatabase } from '../../support/fresh-database.js';
import { stripeEvent, stripeInvoice, unix } from '../../support/stripe-events.js';

let db: FreshDatabase;
let fake: FakeStripe;
beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.sql);
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  fake = await startFakeStripe();
});
afterEach(async () => {
  await fake.close();
});

const clock = fakeClock('2026-11-10T12:20:00Z');
const deps = (): ReconcileDeps => ({
  sql: db.sql,
  logger: createLogger('silent'),
  now: clock.now,
  stripe: createStripeClients({ STRIPE_SECRET_KEY: { test: fake.secretKey, live: null }, STRIPE_API_URL: fake.url }),
  config: { STRIPE_ACCOUNT_ID: undefined, SYNC_MAX_REQUESTS_PER_SECOND: 100 },
});

describe('scheduled reconciliation', () => {
  it('runs every installed account once across two instances, skips uninstalled ones, and stores each event once', async () => {
    const installed = newAccountId();
    const uninstalled = newAccountId();
    await db.sql`INSERT INTO accounts (id, installed_at) VALUES (${installed}, now()), (${uninstalled}, now())`;
    await db.sql`UPDATE accounts SET uninstalled_at = now() WHERE id = ${uninstalled}`;
    for (const accountId of [installed, uninstalled]) {
      const invoice = stripeInvoice({ created: unix('2026-11-09T00:00:00Z') });
      seedEvents(fake, accountId, [stripeEvent('invoice.finalized', invoice, { account: accountId, created: '2026-11-09T00:00:00Z' })]);
    }

    const one = startReconcileSchedule(deps(), { schedule: '0 * * * *' });
    const two = startReconcileSchedule(deps(), { schedule: '0 * * * *' });
    try {
      expect(one.nextRun()?.toISOString().slice(14)).toBe('00:00.000Z'); // on the hour
      const [a, b] = await Promise.all([one.runNow(), two.runNow()]);
      // one instance ran the account; the other found it running or just run
      expect([a!.runs, b!.runs].sort()).toEqual([0, 1]);
      expect(a!.repaired + b!.repaired).toBe(1);
      expect(a!.failed + b!.failed).toBe(0);

      const runs = await db.sql<{ account_id: string; trigger: string; state: string }[]>`
        SELECT account_id, trigger, state FROM reconcile_runs WHERE account_id IN (${installed}, ${uninstalled})`;
      expect(runs).toEqual([{ account_id: installed, trigger: 'schedule', state: 'succeeded' }]);
      const stored = await db.sql`SELECT 1 FROM payment_events WHERE account_id IN (${installed}, ${uninstalled})`;
      expect(stored).toHaveLength(1);
      expect(fake.requests.every((r) => r.stripeAccount === installed)).toBe(true);

      // minutes later (another instance's tick): the account just ran, so it is skipped
      clock.advance(60_000);
      expect(await one.runNow()).toMatchObject({ runs: 0, skipped: 1 });
      // an hour later it runs again and repairs nothing
      clock.advance(3_600_000);
      expect(await two.runNow()).toMatchObject({ runs: 1, repaired: 0, failed: 0 });
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('refuses a schedule that is not a cron expression, naming RECONCILE_SCHEDULE', () => {
    expect(() => startReconcileSchedule(deps(), { schedule: 'every hour' })).toThrow(/^RECONCILE_SCHEDULE is not a valid cron expression/);
  });
});
