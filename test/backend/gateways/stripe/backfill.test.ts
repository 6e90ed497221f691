import type Stripe from 'stripe';
import { ensureAccount, type Scope } from '../../../../backend/domain/accounts.js';
import { updateSettings } from '../../../../backend/domain/settings.js';
import { addLink, createTenant } from '../../../../backend/domain/tenants.js';
import { applyStripeInvoice } from '../../../../backend/gateways/stripe/invoice-batch.js';
import { createStripeClient } from '../../../../backend/gateways/stripe/api-client.js';
import { beginSyncRun, latestSyncRun, SyncAlreadyRunningError } from '../../../../backend/domain/sync-runs.js';
import {
  executeSyncRun,
  invoiceSourceTime,
  ledgerAppliers,
  runBackfill,
  type BackfillDeps,
  type BackfillOptions,
} from '../../../../backend/gateways/stripe/backfill.js';
import { createLogger } from '../../../../backend/logger.js';
import { newAccountId, testSql } from '../../../support/app-harness.js';
import { makeCustomer, makeInvoice, startFakeStripe, type FakeRequest, type FakeStripe } from '../../../support/fake-stripe.js';

const sql = testSql();
const fast: BackfillOptions['retry'] = { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 8 };
let fake: FakeStripe;

beforeEach(async () => {
  fake = await startFakeStripe();
});
afterEach(async () => {
  await fake.close();
});

function deps(config: Partial<BackfillDeps['config']> = {}, now = () => new Date()): BackfillDeps {
  const stripe = createStripeClient({ STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url })!;
  return {
    sql,
    stripe,
    logger: createLogger('silent'),
    now,
    config: { STRIPE_ACCOUNT_ID: undefined, SYNC_MAX_REQUESTS_PER_SECOND: 100, ...config },
  };
}

const BASE = Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000);

/** `n` invoices, newest first as Stripe lists them, spread over `customers`. */
function invoices(n: number, customers: Stripe.Customer[] = [], over: Partial<Stripe.Invoice> = {}): Stripe.Invoice[] {
  return Array.from({ length: n }, (_, i) =>
    makeInvoice({
      created: BASE - i * 60,
      total: 1000 + i,
      customer: customers.length ? customers[i % customers.length].id : `cus_orphan${i}`,
      status: i % 3 === 0 ? 'paid' : 'open',
      ...over,
    }),
  );
}

async function ledger(scope: Scope) {
  return sql<{ external_id: string; status: string; total: number; tenant_id: string | null; history: number }[]>`
    SELECT i.external_id, i.status, i.total, i.tenant_id,
      (SELECT count(*)::int FROM invoice_history h WHERE h.invoice_id = i.id) AS history
    FROM invoices i WHERE i.account_id = ${scope.accountId} AND i.livemode = ${scope.livemode}`;
}

const listRequests = (resource: string) => (r: FakeRequest) => r.method === 'GET' && r.path === `/v1/${resource}`;
const cursorsOf = (reqs: FakeRequest[]) => reqs.map((r) => (r.query.starting_after as string | undefined) ?? null);

describe('backfill', () => {
  it('pages through customers then 250 invoices, 100 per page, with Stripe-Account for an installed account', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const customers = Array.from({ length: 3 }, (_, i) =>
      makeCustomer({ created: BASE - i, metadata: i === 0 ? { tenant: 'acme' } : {} }),
    );
    const seeded = invoices(250, customers);
    fake.seedCustomers(scope.accountId, customers);
    fake.seedInvoices(scope.accountId, seeded);
    // Tenants: customer 0 by metadata key, customer 1 by link.
    await ensureAccount(sql, scope.accountId);
    await updateSettings(sql, scope, { tenant_metadata_key: 'tenant' });
    const acme = await createTenant(sql, scope, { name: 'Acme', external_ref: 'acme' });
    const globex = await createTenant(sql, scope, { name: 'Globex' });
    await addLink(sql, scope, globex.id, { gateway: 'stripe', external_id: customers[1].id });

    const progress: number[] = [];
    const run = await runBackfill(deps(), scope, { onProgress: (r, page) => page && progress.push(r.invoices) });

    expect(run).toMatchObject({ state: 'succeeded', phase: 'done', customers: 3, invoices: 250, pages: 4, errors: 0, error: null });
    expect(run.finished_at).toBeInstanceOf(Date);
    expect(progress).toEqual([0, 100, 200, 250]);

    const invoiceReqs = fake.requests.filter(listRequests('invoices'));
    expect(invoiceReqs.map((r) => r.query.limit)).toEqual(['100', '100', '100']);
    expect(cursorsOf(invoiceReqs)).toEqual([null, seeded[99].id, seeded[199].id]);
    expect(fake.requests.filter(listRequests('customers'))).toHaveLength(1);
    expect(fake.requests.every((r) => r.stripeAccount === scope.accountId)).toBe(true);

    const rows = await ledger(scope);
    expect(rows).toHaveLength(250);
    const byId = new Map(rows.map((r) => [r.external_id, r]));
    for (const [i, inv] of seeded.entries()) {
      const row = byId.get(inv.id)!;
      expect(row).toMatchObject({ status: inv.status, total: inv.total, history: 1 });
      const expectedTenant = i % 3 === 0 ? acme.id : i % 3 === 1 ? globex.id : null;
      expect(row.tenant_id).toBe(expectedTenant);
    }
    const [history] = await sql<{ source: string; at: Date }[]>`
      SELECT h.source, h.at FROM invoice_history h JOIN invoices i ON i.id = h.invoice_id
      WHERE i.account_id = ${scope.accountId} AND i.livemode = false AND i.external_id = ${seeded[0].id}`;
    expect(history.source).toBe('job:backfill');
    expect(history.at).toEqual(invoiceSourceTime(seeded[0]));
  });

  it("reaches the platform's own account (STRIPE_ACCOUNT_ID) without a Stripe-Account header", async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(fake.platformAccountId, invoices(5));
    fake.seedInvoices(scope.accountId, invoices(7));
    const run = await runBackfill(deps({ STRIPE_ACCOUNT_ID: scope.accountId }), scope);
    expect(run).toMatchObject({ state: 'succeeded', invoices: 5 });
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.stripeAccount === null && !('stripe-account' in r.headers))).toBe(true);
    expect(await ledger(scope)).toHaveLength(5);
  });

  it('rides out a 429 storm with backoff and records the failed attempts', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(scope.accountId, invoices(250));
    fake.inject429s(4, { shouldRetry: true, match: listRequests('invoices') });
    fake.inject429s(3, { match: listRequests('invoices') }); // no Stripe-Should-Retry: a 429 is retried anyway
    const run = await runBackfill(deps(), scope, { retry: fast });
    expect(run).toMatchObject({ state: 'succeeded', invoices: 250, errors: 7, error: null });
    const invoiceReqs = fake.requests.filter(listRequests('invoices'));
    expect(invoiceReqs).toHaveLength(3 + 7);
    // Backoff grows: the 2nd retry waits at most 10 ms (step 10, jitter in its upper half), the 7th
    // at least 20 (step 40). Only the lower bound is certain on a busy machine (a sleep is never
    // shorter; a pause can lengthen any gap), so the last gap is held to it, less the clock's 1 ms
    // steps.
    const gaps = invoiceReqs.slice(0, 8).map((r, i, all) => (i === 0 ? 0 : r.at - all[i - 1].at));
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(fast!.maxDelayMs! / 2 - 2);
    expect(await ledger(scope)).toHaveLength(250);
  });

  it('stays under SYNC_MAX_REQUESTS_PER_SECOND (none of the fake’s rate-limit 429s)', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedCustomers(scope.accountId, Array.from({ length: 250 }, (_, i) => makeCustomer({ created: BASE - i })));
    fake.seedInvoices(scope.accountId, invoices(700, [], { status: 'draft' }));
    fake.setRateLimit(5);
    const started = Date.now();
    const run = await runBackfill(deps({ SYNC_MAX_REQUESTS_PER_SECOND: 5 }), scope, { retry: fast });
    expect(run).toMatchObject({ state: 'succeeded', customers: 250, invoices: 700, pages: 10, errors: 0 });
    expect(fake.requests).toHaveLength(10);
    expect(fake.maxRequestsInWindow(1000)).toBeLessThanOrEqual(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // 10 requests at 5/s cannot finish sooner
  });

  it('backs off when the API rate-limits harder than the configured rate, and still finishes', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(scope.accountId, invoices(600, [], { status: 'draft' }));
    fake.setRateLimit(2);
    const run = await runBackfill(deps({ SYNC_MAX_REQUESTS_PER_SECOND: 10 }), scope, {
      retry: { baseDelayMs: 100, maxDelayMs: 800, maxAttempts: 10 },
    });
    expect(run.state).toBe('succeeded');
    expect(run.invoices).toBe(600);
    expect(run.errors).toBeGreaterThan(0);
    expect(fake.maxRequestsInWindow(1000)).toBeLessThanOrEqual(10);
  });

  it('does not retry what Stripe-Should-Retry: false forbids, and records the run as failed', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(scope.accountId, invoices(150));
    fake.failPage('invoices', 2, { status: 500, shouldRetry: false, message: 'cannot page now' });
    const run = await runBackfill(deps(), scope, { retry: fast });
    expect(run).toMatchObject({ state: 'failed', invoices: 100, pages: 2, errors: 1 });
    expect(run.error).toContain('HTTP 500');
    expect(run.error).toContain('cannot page now');
    expect(run.finished_at).toBeInstanceOf(Date);
    expect(fake.requests.filter(listRequests('invoices'))).toHaveLength(2);
    expect((await latestSyncRun(sql, scope))!.state).toBe('failed');
  });

  it('fails (never succeeds) when a page keeps failing after the last attempt, and never leaks the key', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(scope.accountId, invoices(250));
    fake.failPage('invoices', 3, { status: 503, times: Infinity, message: `upstream down for ${fake.secretKey}` });
    const run = await runBackfill(deps(), scope, { retry: { ...fast, maxAttempts: 3 } });
    expect(run).toMatchObject({ state: 'failed', phase: 'invoices', invoices: 200, errors: 3 });
    expect(run.error).toContain('HTTP 503');
    expect(run.error).not.toContain(fake.secretKey);
    expect(fake.requests.filter(listRequests('invoices'))).toHaveLength(2 + 3);
    expect(await ledger(scope)).toHaveLength(200);
  });

  it('fails on a non-retryable answer at once (no access to the account)', async () => {
    const scope = { accountId: newAccountId(), livemode: false }; // never seeded: not connected
    const run = await runBackfill(deps(), scope, { retry: fast });
    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/HTTP 403.*does not have access/);
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps requesting the next pages while a slow page is applied, and applies them in order', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = invoices(600);
    fake.seedInvoices(scope.accountId, seeded);
    const invoiceRequests = () => fake.requests.filter(listRequests('invoices'));
    const applied: string[] = [];
    const run = await runBackfill(deps(), scope, {
      apply: {
        async invoices(tx, s, page) {
          // The first page's commit stalls until every later page has been requested.
          if (applied.length === 0) await vi.waitFor(() => expect(invoiceRequests()).toHaveLength(6), { timeout: 5_000 });
          applied.push(...page.map((i) => i.id));
          await ledgerAppliers.invoices!(tx, s, page);
        },
      },
    });
    expect(run).toMatchObject({ state: 'succeeded', invoices: 600, pages: 1 + 6 });
    expect(cursorsOf(invoiceRequests())).toEqual([null, ...[99, 199, 299, 399, 499].map((n) => seeded[n].id)]);
    expect(applied).toEqual(seeded.map((i) => i.id));
    expect(await ledger(scope)).toHaveLength(600);
  });

  it('after a crash in the middle, resumes from the saved cursor and applies every invoice exactly once', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = invoices(250);
    fake.seedInvoices(scope.accountId, seeded);
    // The crash: applying page 3 throws halfway through (its first 40 invoices were already written
    // inside the page's transaction).
    let crashed = false;
    const crashing: BackfillOptions = {
      apply: {
        async invoice(tx, s, inv) {
          if (!crashed && inv.id === seeded[240].id) {
            crashed = true;
            throw new Error('worker lost');
          }
          await ledgerAppliers.invoice(tx, s, inv);
        },
      },
    };
    const first = await runBackfill(deps(), scope, crashing);
    expect(first).toMatchObject({ state: 'failed', error: 'worker lost', phase: 'invoices', cursor: seeded[199].id, invoices: 200 });
    expect(await ledger(scope)).toHaveLength(200); // nothing of the failed page was kept

    fake.requests.length = 0;
    const second = await runBackfill(deps(), scope);
    expect(second).toMatchObject({ state: 'succeeded', resumed_from: first.id, invoices: 250, pages: 1 + 3 });
    // It continued after page 2: no customer or earlier invoice page was fetched again.
    expect(fake.requests.filter(listRequests('customers'))).toHaveLength(0);
    expect(cursorsOf(fake.requests.filter(listRequests('invoices')))).toEqual([seeded[199].id]);

    const rows = await ledger(scope);
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(seeded.map((i) => i.id)));
    expect(rows.every((r) => r.history === 1)).toBe(true);
  });

  it('can be interrupted (abort) after page 2 and resumed', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = invoices(250);
    fake.seedInvoices(scope.accountId, seeded);
    const controller = new AbortController();
    const first = await runBackfill(deps(), scope, {
      signal: controller.signal,
      onProgress: (run) => run.invoices === 200 && controller.abort('operator stop'),
    });
    expect(first).toMatchObject({ state: 'failed', invoices: 200, cursor: seeded[199].id });
    expect(first.error).toContain('interrupted');
    const second = await runBackfill(deps(), scope);
    expect(second).toMatchObject({ state: 'succeeded', invoices: 250, resumed_from: first.id });
    expect(await ledger(scope)).toHaveLength(250);
  });

  it('after a success, the next run starts from the beginning', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(scope.accountId, invoices(120));
    await runBackfill(deps(), scope);
    fake.requests.length = 0;
    const again = await runBackfill(deps(), scope);
    expect(again).toMatchObject({ state: 'succeeded', invoices: 120, resumed_from: null });
    expect(cursorsOf(fake.requests.filter(listRequests('invoices')))[0]).toBeNull();
    expect((await ledger(scope)).every((r) => r.history === 1)).toBe(true); // the same snapshots change nothing
  });

  it('restarts a phase when the saved cursor object was deleted at Stripe meanwhile', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = invoices(150, [], { status: 'draft' });
    fake.seedInvoices(scope.accountId, seeded);
    fake.failPage('invoices', 2, { status: 400, message: 'bad page' });
    const first = await runBackfill(deps(), scope, { retry: fast });
    expect(first).toMatchObject({ state: 'failed', cursor: seeded[99].id });
    fake.account(scope.accountId).invoices.delete(seeded[99].id); // a draft deleted at Stripe
    const second = await runBackfill(deps(), scope);
    expect(second).toMatchObject({ state: 'succeeded', invoices: 149 });
  });

  it('is safe beside webhooks: never overwrites newer webhook state, and moves older state forward', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    await ensureAccount(sql, scope.accountId);
    const t0 = BASE;
    // A: a webhook said paid at t0+600; the backfill page still shows it open (finalized at t0).
    const aPaid = makeInvoice({ created: t0, status: 'paid', total: 5000, status_transitions: { finalized_at: t0, paid_at: t0 + 600 } });
    const aStale = { ...aPaid, status: 'open' as const, amount_paid: 0, amount_remaining: 5000, status_transitions: { ...aPaid.status_transitions, paid_at: null } };
    // B: the webhook left it open at t0; the backfill sees it paid at t0+900 (a missed webhook).
    const bOpen = makeInvoice({ created: t0, status: 'open', total: 7000 });
    const bPaid = { ...bOpen, status: 'paid' as const, amount_paid: 7000, amount_remaining: 0, status_transitions: { ...bOpen.status_transitions, paid_at: t0 + 900 } };
    // C: the same second, same status: the event wins the tie against the backfill.
    const cEvent = makeInvoice({ created: t0, status: 'open', total: 100 });
    const cBackfill = { ...cEvent, total: 999 };
    await sql.begin(async (tx) => {
      await applyStripeInvoice(tx, scope, aPaid, { time: new Date((t0 + 600) * 1000), eventId: 'evt_a', label: 'event:evt_a' });
      await applyStripeInvoice(tx, scope, bOpen, { time: new Date(t0 * 1000), eventId: 'evt_b', label: 'event:evt_b' });
      await applyStripeInvoice(tx, scope, cEvent, { time: new Date(t0 * 1000), eventId: 'evt_c', label: 'event:evt_c' });
    });
    fake.seedInvoices(scope.accountId, [aStale, bPaid, cBackfill]);

    const run = await runBackfill(deps(), scope);
    expect(run.state).toBe('succeeded');
    const rows = new Map((await ledger(scope)).map((r) => [r.external_id, r]));
    expect(rows.get(aPaid.id)).toMatchObject({ status: 'paid', history: 1 });
    expect(rows.get(bOpen.id)).toMatchObject({ status: 'paid', history: 2 });
    expect(rows.get(cEvent.id)).toMatchObject({ status: 'open', total: 100, history: 1 });
    const bHistory = await sql<{ from_status: string; to_status: string; source: string }[]>`
      SELECT h.from_status, h.to_status, h.source FROM invoice_history h JOIN invoices i ON i.id = h.invoice_id
      WHERE i.account_id = ${scope.accountId} AND i.livemode = false AND i.external_id = ${bOpen.id} ORDER BY h.id`;
    expect(bHistory).toEqual([
      { from_status: null, to_status: 'open', source: 'event:evt_b' },
      { from_status: 'open', to_status: 'paid', source: 'job:backfill' },
    ]);
  });

  it('keeps accounts and modes apart', async () => {
    const a = { accountId: newAccountId(), livemode: false };
    const b = { accountId: newAccountId(), livemode: false };
    fake.seedInvoices(a.accountId, invoices(30));
    fake.seedInvoices(b.accountId, invoices(12));
    expect(await runBackfill(deps(), a)).toMatchObject({ state: 'succeeded', invoices: 30 });
    expect(await ledger(a)).toHaveLength(30);
    expect(await ledger(b)).toHaveLength(0);
    expect(await ledger({ ...a, livemode: true })).toHaveLength(0);
    expect(await latestSyncRun(sql, b)).toBeNull();
    expect(await latestSyncRun(sql, { ...a, livemode: true })).toBeNull();

    // A live-mode sync with a test-mode key gets test objects: refused, nothing stored as live.
    const live = await runBackfill(deps(), { ...a, livemode: true });
    expect(live.state).toBe('failed');
    expect(live.error).toContain('test-mode invoice');
    expect(await ledger({ ...a, livemode: true })).toHaveLength(0);
  });

  it('allows one run per account and mode at a time', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const now = new Date();
    const [x, y] = await Promise.allSettled([beginSyncRun(sql, scope, now), beginSyncRun(sql, scope, now)]);
    expect([x.status, y.status].sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = (x.status === 'rejected' ? x : y) as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(SyncAlreadyRunningError);
    await expect(beginSyncRun(sql, scope, now)).rejects.toBeInstanceOf(SyncAlreadyRunningError);
    // The other mode and another account are free.
    expect((await beginSyncRun(sql, { ...scope, livemode: true }, now)).state).toBe('running');
    expect((await beginSyncRun(sql, { accountId: newAccountId(), livemode: false }, now)).state).toBe('running');
  });

  it('takes over a run whose process died (no heartbeat for the lease) and continues its cursor', async () => {
    const scope = { accountId: newAccountId(), livemode: false };
    const seeded = invoices(250);
    fake.seedInvoices(scope.accountId, seeded);
    // A run that stored two pages, then its process vanished: the row stays "running".
    const started = new Date('2026-06-01T10:00:00Z');
    const dead = await beginSyncRun(sql, scope, started);
    const gate = fake.hold((r) => listRequests('invoices')(r) && r.query.starting_after === seeded[199].id);
    const stuck = executeSyncRun(deps({}, () => started), dead);
    await gate.reached;
    // Page 3 is requested while page 2 is saved: wait for page 2's commit.
    await vi.waitFor(async () => expect(await latestSyncRun(sql, scope)).toMatchObject({ state: 'running', invoices: 200 }));

    await expect(beginSyncRun(sql, scope, new Date(started.getTime() + 60_000))).rejects.toBeInstanceOf(SyncAlreadyRunningError);
    const later = new Date(started.getTime() + 3 * 60_000);
    const resumed = await beginSyncRun(sql, scope, later);
    expect(resumed).toMatchObject({ state: 'running', resumed_from: dead.id, cursor: seeded[199].id, invoices: 200 });
    const done = await executeSyncRun(deps({}, () => later), resumed);
    expect(done).toMatchObject({ state: 'succeeded', invoices: 250 });

    // The old run wakes up: it may not write over the new one's record.
    gate.release();
    const old = await stuck;
    expect(old.id).not.toBe(dead.id);
    const [deadRow] = await sql<{ state: string; error: string }[]>`
      SELECT state, error FROM sync_runs WHERE id = ${dead.id} AND account_id = ${scope.accountId} AND livemode = false`;
    expect(deadRow.state).toBe('failed');
    expect(deadRow.error).toContain('interrupted');
    expect((await ledger(scope)).every((r) => r.history === 1)).toBe(true);
  });
});
