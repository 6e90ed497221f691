// The scan job across accounts and instances. The daily scan covers every account, so these tests
// run it on a database of their own (a fresh PGlite, or a fresh PostgreSQL database) where no other
// test's invoices live.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectUrl, startEmbedded, type Database, type Sql } from '../../../backend/db/client.js';
import { migrate } from '../../../backend/db/migrate.js';
import { ensureAccount, type Scope } from '../../../backend/domain/accounts.js';
import { applyInvoiceSnapshot, type InvoiceSnapshot } from '../../../backend/domain/invoices.js';
import { updateSettings } from '../../../backend/domain/settings.js';
import { DAILY_SCAN_JOB, lastDailyScanAsOf, runPastDueScan, scopeJobName, type ScanDeps } from '../../../backend/jobs/past-due-scan.js';
import { startScheduler } from '../../../backend/jobs/scheduler.js';
import { createLogger } from '../../../backend/logger.js';
import { fakeClock, newAccountId } from '../../support/app-harness.js';
import { startNotifyReceiver, type NotifyReceiver } from '../../support/notify-receiver.js';
import { invoiceSnapshot } from '../../support/ledger-seed.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-10T06:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const logger = createLogger('silent');

/** A migrated database used by this file only; on PostgreSQL a new database beside the test one. */
async function isolatedDatabase(): Promise<Database & { drop(): Promise<void> }> {
  if (inject('databaseEngine') === 'embedded') {
    const db = await startEmbedded('memory://', 4, 12);
    await migrate(db.sql);
    return { ...db, drop: () => db.close() };
  }
  const base = new URL(inject('databaseUrl'));
  const name = `${base.pathname.slice(1)}_jobs_${randomBytes(4).toString('hex')}`;
  const admin = connectUrl(base.toString(), 1);
  await admin.sql.unsafe(`CREATE DATABASE ${name}`); // a fixed-pattern name: no user input
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = connectUrl(url.toString(), 6);
  await migrate(db.sql);
  return {
    ...db,
    async drop() {
      await db.close();
      await admin.sql.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

let db: Database & { drop(): Promise<void> };
let sql: Sql;
let receiver: NotifyReceiver;
const secrets = new Map<string, string>();

beforeAll(async () => {
  db = await isolatedDatabase();
  sql = db.sql;
  receiver = await startNotifyReceiver({ secret: () => [...secrets.values()].at(-1) ?? '' });
});
afterAll(async () => {
  await receiver.close();
  await db.drop();
});
beforeEach(async () => {
  // Each test starts from an empty ledger in this private database.
  await sql`TRUNCATE accounts, account_settings, tenants, tenant_links, invoices, invoice_history, payment_events, notifications, notification_attempts, job_runs CASCADE`;
  receiver.requests.length = 0;
  secrets.clear();
});

let seq = 0;
const snap = (over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot =>
  invoiceSnapshot({
    external_id: `in_j${++seq}`,
    number: `J-${seq}`,
    customer_id: 'cus_1',
    total: 5000,
    amount_due: 5000,
    amount_remaining: 5000,
    collection_method: 'send_invoice',
    due_date: at(-2),
    created_at: at(-30),
    ...over,
  });

async function account(livemode = false, notify = true): Promise<Scope> {
  const scope = { accountId: newAccountId(), livemode };
  await ensureAccount(sql, scope.accountId);
  if (notify) secrets.set(`${scope.accountId}:${livemode}`, (await updateSettings(sql, scope, { notify_url: receiver.url })).notify_secret);
  return scope;
}

async function put(scope: Scope, s: InvoiceSnapshot) {
  const time = at(-3);
  return (await sql.begin((tx) => applyInvoiceSnapshot(tx, scope, s, { time, eventId: `evt_${seq}`, label: `event:evt_${seq}` }))).invoiceId;
}

const deps = (clock = fakeClock(T0), pool = sql): ScanDeps => ({
  sql: pool,
  logger,
  now: clock.now,
  stripe: null,
  // the test receiver listens on loopback
  allowPrivateReceivers: true,
});
const pastDueCount = async () => (await sql`SELECT count(*)::int AS n FROM invoices WHERE past_due`)[0].n as number;

describe('the daily scan', () => {
  it('covers every account and mode, and records what time it looked at', async () => {
    const a = await account(false);
    const b = await account(true, false);
    await put(a, snap());
    await put(b, snap());
    await put(b, snap({ due_date: at(3) }));
    const outcome = await runPastDueScan(deps());
    expect(outcome).toMatchObject({
      ran: true,
      summary: { scope: null, entered: 2, cleared: 0, notifications_created: { admin: 1, customer: 0 }, deliveries: { delivered: 1 } },
    });
    expect(await pastDueCount()).toBe(2);
    expect(await lastDailyScanAsOf(sql)).toEqual(T0);
    expect(receiver.accepted()).toHaveLength(1);
  });

  it('runs once when two instances start it together: one scans, the other is told it is busy', async () => {
    const scope = await account();
    for (let i = 0; i < 20; i++) await put(scope, snap());
    // Another instance has its own connection pool. The embedded engine belongs to one process
    // (and its connections share one session), so there the second scanner shares the pool.
    const separate = inject('databaseEngine') === 'postgres';
    const second = separate ? connectUrl(db.url, 4) : { sql, close: async () => {} };
    try {
      const results = await Promise.all([runPastDueScan(deps()), runPastDueScan(deps(fakeClock(T0), second.sql))]);
      expect(results.map((r) => r.ran).sort()).toEqual([false, true]);
      // The next day both run again in turn; each invoice's step-0 message still went out once.
      await runPastDueScan(deps(fakeClock(at(1))));
      await runPastDueScan(deps(fakeClock(at(1)), second.sql));
    } finally {
      await second.close();
    }
    const steps = await sql`SELECT invoice_id, kind, step, status FROM notifications`;
    expect(steps).toHaveLength(20);
    expect(steps.every((n) => n.step === 0 && n.status === 'delivered')).toBe(true);
    expect(receiver.accepted()).toHaveLength(20);
    expect(new Set(receiver.accepted().map((r) => r.json.invoice.id)).size).toBe(20);
  });

  it('waits for a live lease, takes over an expired one (a crashed instance), and refuses admin scans meanwhile', async () => {
    const scope = await account();
    await put(scope, snap());
    await sql`INSERT INTO job_runs (name, locked_until, locked_by) VALUES (${DAILY_SCAN_JOB}, now() + interval '1 minute', 'other-host:1')`;
    expect(await runPastDueScan(deps())).toEqual({ ran: false, reason: 'busy' });
    expect(await runPastDueScan(deps(), { scope })).toEqual({ ran: false, reason: 'busy' });
    expect(await pastDueCount()).toBe(0);

    await sql`UPDATE job_runs SET locked_until = now() - interval '1 second' WHERE name = ${DAILY_SCAN_JOB}`;
    expect((await runPastDueScan(deps())).ran).toBe(true);
    expect(await pastDueCount()).toBe(1);
    const [row] = await sql`SELECT locked_until, locked_by FROM job_runs WHERE name = ${DAILY_SCAN_JOB}`;
    expect(row).toEqual({ locked_until: null, locked_by: null });

    // An admin scan of one account holds only that account's lease.
    await sql`INSERT INTO job_runs (name, locked_until, locked_by) VALUES (${scopeJobName(scope)}, now() + interval '1 minute', 'x')`;
    expect((await runPastDueScan(deps(), { scope })).ran).toBe(false);
    const other = await account();
    expect((await runPastDueScan(deps(), { scope: other })).ran).toBe(true);
  });

  it('leaves nothing half-done when it fails mid-scan, and a re-run completes it', async () => {
    const scope = await account();
    const id = await put(scope, snap());
    // Make the notification insert fail after the past-due updates ran in the same transaction.
    await sql.unsafe(`
      CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$;
      CREATE TRIGGER crash BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION fail_insert();`);
    try {
      await expect(runPastDueScan(deps())).rejects.toThrow('simulated crash');
    } finally {
      await sql.unsafe('DROP TRIGGER crash ON notifications; DROP FUNCTION fail_insert();');
    }
    expect(await pastDueCount()).toBe(0);
    expect(await sql`SELECT 1 FROM invoice_history WHERE invoice_id = ${id} AND to_status = 'past_due'`).toHaveLength(0);
    expect(await lastDailyScanAsOf(sql)).toBeNull(); // a failed run does not count as the last scan
    const [lease] = await sql`SELECT locked_until FROM job_runs WHERE name = ${DAILY_SCAN_JOB}`;
    expect(lease.locked_until).toBeNull();

    expect(await runPastDueScan(deps())).toMatchObject({ ran: true, summary: { entered: 1, notifications_created: { admin: 1 } } });
    expect(await sql`SELECT 1 FROM invoice_history WHERE invoice_id = ${id} AND to_status = 'past_due'`).toHaveLength(1);
    expect(receiver.accepted()).toHaveLength(1);
  });
});

describe('the scheduler', () => {
  it('runs a catch-up scan at start when the last scan is more than a day old, not when it is recent', async () => {
    const scope = await account();
    await put(scope, snap());
    const clock = fakeClock(T0);

    // Never scanned: catch up.
    let s = startScheduler(deps(clock), { schedule: '0 6 * * *' });
    expect(await s.catchUp).toMatchObject({ ran: true, summary: { entered: 1 } });
    await s.stop();
    expect(await lastDailyScanAsOf(sql)).toEqual(T0);

    // 23 hours later: the last scan is recent, nothing runs.
    clock.set(new Date(T0.getTime() + 23 * 3_600_000));
    s = startScheduler(deps(clock), { schedule: '0 6 * * *' });
    expect(await s.catchUp).toBeNull();
    await s.stop();

    // 25 hours later: catch up again, as of the new time.
    await put(scope, snap({ due_date: at(-1) }));
    clock.set(new Date(T0.getTime() + 25 * 3_600_000));
    s = startScheduler(deps(clock), { schedule: '0 6 * * *' });
    expect(await s.catchUp).toMatchObject({ ran: true, summary: { entered: 1 } });
    await s.stop();
    expect(await lastDailyScanAsOf(sql)).toEqual(clock.now());
  });

  it('reads the schedule in UTC and runs the scan on it', async () => {
    await sql`INSERT INTO job_runs (name, last_as_of) VALUES (${DAILY_SCAN_JOB}, ${T0})`;
    const clock = fakeClock(T0);
    const daily = startScheduler(deps(clock), { schedule: '30 6 * * *' });
    // 06:30 UTC whatever the machine's time zone.
    expect(daily.nextRun()!.getUTCHours() * 60 + daily.nextRun()!.getUTCMinutes()).toBe(6 * 60 + 30);
    await daily.stop();

    const scope = await account();
    await put(scope, snap());
    clock.set(at(1)); // the catch-up is not due (last scan 24 h ago exactly), so only the cron runs it
    const everySecond = startScheduler(deps(clock), { schedule: '* * * * * *' });
    expect(await everySecond.catchUp).toBeNull();
    await vi.waitFor(async () => expect(await lastDailyScanAsOf(sql)).toEqual(at(1)), { timeout: 5_000, interval: 100 });
    await everySecond.stop();
    expect(await pastDueCount()).toBe(1);
  });

  it('refuses a schedule that is not a cron expression, naming the setting', () => {
    expect(() => startScheduler(deps(), { schedule: 'every morning' })).toThrow(/PAST_DUE_SCHEDULE is not a valid cron expression/);
  });

  it('sends due retries between scans', async () => {
    await sql`INSERT INTO job_runs (name, last_as_of) VALUES (${DAILY_SCAN_JOB}, ${T0})`;
    const scope = await account();
    await put(scope, snap());
    receiver.failNext(1);
    const clock = fakeClock(T0);
    await runPastDueScan(deps(clock), { scope });
    expect(receiver.accepted()).toHaveLength(0);
    clock.advance(60_000); // the first retry is due a minute later
    const s = startScheduler(deps(clock), { schedule: '0 6 * * *', retryIntervalMs: 50 });
    await vi.waitFor(() => expect(receiver.accepted()).toHaveLength(1), { timeout: 5_000, interval: 50 });
    await s.stop();
    expect((await sql`SELECT status, attempts FROM notifications`)[0]).toEqual({ status: 'delivered', attempts: 2 });
  });
});
