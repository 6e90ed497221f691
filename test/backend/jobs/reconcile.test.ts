// Reconciliation against the fake Stripe API's events list: missed events are stored and applied
// like deliveries, a second run repairs nothing, the watermark advances, and concurrent runs of
// one account and mode never store an event twice.
import type Stripe from 'stripe';
import { createStripeClients } from '../../../backend/gateways/stripe/api-client.js';
import { feedStripeEvent } from '../../../backend/gateways/stripe/reconcile.js';
import {
  beginReconcile,
  executeReconcile,
  reconcileScope,
  RECONCILE_WINDOW_MS,
  ReconcileBusyError,
  WATERMARK_OVERLAP_MS,
  type ReconcileDeps,
} from '../../../backend/jobs/reconcile.js';
import { RECONCILE_LEASE_MS } from '../../../backend/domain/reconcile-runs.js';
import { createLogger } from '../../../backend/logger.js';
import { drainPending } from '../../../backend/jobs/applier.js';
import { deliver, paid, stripeEvent, stripeInvoice, unix, WEBHOOK_SECRET } from '../../support/stripe-events.js';
import { createHarness, fakeClock, newAccountId, testSql, type Clock } from '../../support/app-harness.js';
import { seedEvents } from '../../support/fake-stripe-events.js';
import { startFakeStripe, type FakeRequest, type FakeStripe } from '../../support/fake-stripe.js';

const sql = testSql();
const NOW = '2026-11-10T12:00:00Z';
let fake: FakeStripe;

beforeEach(async () => {
  fake = await startFakeStripe();
});
afterEach(async () => {
  await fake.close();
});

/** A run, then the applier's part: reconciliation stores what it finds, the applier applies it. */
async function reconcileAndApply(...args: Parameters<typeof reconcileScope>) {
  const run = await reconcileScope(...args);
  await drainPending({ sql, logger: createLogger('silent'), now: args[0].now }, { accountIds: [args[1].accountId] });
  return run;
}

function deps(clock: Clock, config: Partial<ReconcileDeps['config']> = {}, stripeApi = fake): ReconcileDeps {
  return {
    sql,
    logger: createLogger('silent'),
    now: clock.now,
    stripe: createStripeClients({ STRIPE_SECRET_KEY: { test: stripeApi.secretKey, live: null }, STRIPE_API_URL: stripeApi.url }),
    config: { STRIPE_ACCOUNT_ID: undefined, SYNC_MAX_REQUESTS_PER_SECOND: 100, ...config },
  };
}

const eventRequests = (r: FakeRequest) => r.method === 'GET' && r.path === '/v1/events';

/** An invoice's created -> paid events (the paid one `minutes` later), of a Connect account. */
function invoiceLife(accountId: string, at: string, minutes = 10) {
  const invoice = stripeInvoice({ created: unix(at) });
  const created = stripeEvent('invoice.created', invoice, { account: accountId, created: at });
  const paidAt = new Date(Date.parse(at) + minutes * 60_000);
  const paidEvent = stripeEvent('invoice.paid', paid(invoice, { status_transitions: { ...invoice.status_transitions, paid_at: unix(paidAt) } }), {
    account: accountId,
    created: paidAt,
  });
  return { invoice, created, paid: paidEvent };
}

async function storedEvents(accountId: string) {
  return sql<{ event_id: string; processed: boolean; error: string | null }[]>`
    SELECT event_id, processed, error FROM payment_events
    WHERE account_id = ${accountId} AND livemode = false ORDER BY occurred_at, event_id`;
}

async function invoiceStatus(accountId: string, externalId: string) {
  const [row] = await sql<{ status: string }[]>`
    SELECT status FROM invoices WHERE account_id = ${accountId} AND livemode = false AND external_id = ${externalId}`;
  return row?.status ?? null;
}

describe('reconciliation', () => {
  it('stores and applies an event Stripe has but the webhook never delivered; a second run repairs nothing', async () => {
    const clock = fakeClock(NOW);
    const harness = createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, clock });
    const accountId = harness.accountId;
    const life = invoiceLife(accountId, '2026-11-09T09:00:00Z');
    // Stripe has both events; only invoice.created reached the webhook. A type the service does not
    // handle is listed too (never sent to the endpoint, so not "missed").
    const unhandled = stripeEvent('payment_intent.created', {} as Stripe.PaymentIntent, { account: accountId, created: '2026-11-09T09:05:00Z' });
    seedEvents(fake, accountId, [life.created, unhandled, life.paid]);
    expect((await deliver(harness.app, life.created)).status).toBe(200);
    await harness.drain();
    expect(await invoiceStatus(accountId, life.invoice.id)).toBe('open');

    const first = await reconcileAndApply(deps(clock), { accountId, livemode: false }, 'manual');
    expect(first).toMatchObject({
      state: 'succeeded',
      events_seen: 2,
      events_repaired: 1,
      error: null,
      paypal_status: 'not_reconciled',
      paypal_note: 'not reconciled (no PayPal API credentials)',
    });
    expect(first!.watermark?.toISOString()).toBe('2026-11-09T09:10:00.000Z');
    // the first run looks 30 days back, with Stripe-Account for the installed account
    const [request] = fake.requests.filter(eventRequests);
    expect(request.stripeAccount).toBe(accountId);
    expect(request.query.created).toEqual({ gt: String(unix(new Date(Date.parse(NOW) - RECONCILE_WINDOW_MS))) });
    // stored and applied like a delivery: processed, and the invoice is paid
    expect(await storedEvents(accountId)).toEqual([
      { event_id: life.created.id, processed: true, error: null },
      { event_id: life.paid.id, processed: true, error: null },
    ]);
    expect(await invoiceStatus(accountId, life.invoice.id)).toBe('paid');
    const history = await sql<{ to_status: string; source: string }[]>`
      SELECT h.to_status, h.source FROM invoice_history h
      JOIN invoices i ON i.account_id = h.account_id AND i.id = h.invoice_id
      WHERE i.account_id = ${accountId} AND i.external_id = ${life.invoice.id} ORDER BY h.at, h.id`;
    expect(history.at(-1)).toEqual({ to_status: 'paid', source: `event:${life.paid.id}` });

    clock.advance(60_000);
    const second = await reconcileAndApply(deps(clock), { accountId, livemode: false }, 'manual');
    // from 5 minutes before the watermark: invoice.paid is listed again, and already stored
    expect(second).toMatchObject({ state: 'succeeded', events_seen: 1, events_repaired: 0 });
    expect(await storedEvents(accountId)).toHaveLength(2);
  });

  it('the watermark advances: the next run asks only from just before it and repairs only the new miss', async () => {
    const clock = fakeClock(NOW);
    const accountId = newAccountId();
    const scope = { accountId, livemode: false };
    const early = invoiceLife(accountId, '2026-11-01T08:00:00Z');
    seedEvents(fake, accountId, [early.created, early.paid]);
    const first = await reconcileAndApply(deps(clock), scope, 'manual');
    expect(first).toMatchObject({ state: 'succeeded', events_repaired: 2 });
    expect(first!.watermark?.toISOString()).toBe('2026-11-01T08:10:00.000Z');

    // later, one more invoice whose events were never delivered
    clock.set('2026-11-12T12:00:00Z');
    const later = invoiceLife(accountId, '2026-11-12T10:00:00Z');
    seedEvents(fake, accountId, [later.created, later.paid]);
    const second = await reconcileAndApply(deps(clock), scope, 'manual');
    // the overlap lists the early invoice.paid again (already stored); the two new ones are repaired
    expect(second).toMatchObject({ state: 'succeeded', events_seen: 3, events_repaired: 2 });
    expect(second!.since.toISOString()).toBe(new Date(Date.parse('2026-11-01T08:10:00Z') - WATERMARK_OVERLAP_MS).toISOString());
    expect(second!.watermark?.toISOString()).toBe('2026-11-12T10:10:00.000Z');
    expect(fake.requests.filter(eventRequests).at(-1)!.query.created).toEqual({ gt: String(unix(second!.since)) });
    expect(await invoiceStatus(accountId, later.invoice.id)).toBe('paid');

    // a failed run keeps the watermark where it was
    clock.advance(60_000);
    fake.addFault((req) => (eventRequests(req) ? { status: 400, body: { error: { type: 'invalid_request_error', message: 'nope' } } } : undefined));
    const failed = await reconcileAndApply(deps(clock), scope, 'manual');
    expect(failed).toMatchObject({ state: 'failed', watermark: null });
    expect(failed!.error).toContain('nope');
    const next = await beginReconcile(deps(clock), scope, 'manual');
    expect(next!.since.toISOString()).toBe(new Date(Date.parse('2026-11-12T10:10:00Z') - WATERMARK_OVERLAP_MS).toISOString());
  });

  it('pages through many events (100 a page) and applies the missed ones oldest first', async () => {
    const clock = fakeClock(NOW);
    const accountId = newAccountId();
    const lives = Array.from({ length: 120 }, (_, i) => invoiceLife(accountId, new Date(Date.parse('2026-11-05T00:00:00Z') + i * 60_000).toISOString(), 1));
    seedEvents(fake, accountId, lives.flatMap((l) => [l.created, l.paid]));
    const run = await reconcileAndApply(deps(clock), { accountId, livemode: false }, 'manual');
    expect(run).toMatchObject({ state: 'succeeded', events_seen: 240, events_repaired: 240, pages: 3 });
    const statuses = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM invoices WHERE account_id = ${accountId} AND livemode = false AND status = 'paid'`;
    expect(statuses[0].n).toBe(120);
    // applied in the order they happened, although Stripe lists newest first: every invoice went
    // open, then paid (a paid applied first would leave no open step in its history)
    const histories = await sql<{ steps: string[] }[]>`
      SELECT array_agg(h.to_status ORDER BY h.at, h.id) AS steps FROM invoice_history h
      JOIN invoices i ON i.account_id = h.account_id AND i.id = h.invoice_id
      WHERE i.account_id = ${accountId} AND i.livemode = false GROUP BY i.id`;
    expect(histories).toHaveLength(120);
    expect(histories.every((r) => r.steps.join('>') === 'open>paid')).toBe(true);
  });

  it('reaches the platform account without Stripe-Account', async () => {
    const clock = fakeClock(NOW);
    const platform = await startFakeStripe({ platformAccountId: newAccountId() });
    try {
      const accountId = platform.platformAccountId;
      seedEvents(platform, accountId, [invoiceLife(accountId, '2026-11-09T09:00:00Z').created]);
      const run = await reconcileAndApply(deps(clock, { STRIPE_ACCOUNT_ID: accountId }, platform), { accountId, livemode: false }, 'manual');
      expect(run).toMatchObject({ state: 'succeeded', events_repaired: 1 });
      const requests = platform.requests.filter(eventRequests);
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.every((r) => r.stripeAccount === null)).toBe(true);
    } finally {
      await platform.close();
    }
  });

  it('two runs started at once: the second is refused while the first runs (or runs after it), every event is stored once', async () => {
    const clock = fakeClock(NOW);
    const accountId = newAccountId();
    const life = invoiceLife(accountId, '2026-11-09T09:00:00Z');
    seedEvents(fake, accountId, [life.created, life.paid]);
    // a slow events list keeps the first run going while the second starts (storing is quick now)
    fake.setLatency(200);
    const results = await Promise.allSettled([
      reconcileScope(deps(clock), { accountId, livemode: false }, 'manual'),
      reconcileScope(deps(clock), { accountId, livemode: false }, 'manual'),
    ]);
    // Which of the two claims first is a race; that they never run together and never store twice is not.
    const ran = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ events_repaired: number }>).value);
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ran.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(ReconcileBusyError);
    expect(ran.reduce((sum, run) => sum + run.events_repaired, 0)).toBe(2);
    expect(await storedEvents(accountId)).toHaveLength(2);
  });

  it('a run taken over while its request hangs stores nothing twice; the store decides races', async () => {
    const clock = fakeClock(NOW);
    const accountId = newAccountId();
    const scope = { accountId, livemode: false };
    const life = invoiceLife(accountId, '2026-11-09T09:00:00Z');
    seedEvents(fake, accountId, [life.created, life.paid]);
    const held = fake.hold(eventRequests);
    const firstRun = (await beginReconcile(deps(clock), scope, 'manual'))!;
    const first = executeReconcile(deps(clock), firstRun, {});
    await held.reached;
    // the first run's process looks dead: no progress for longer than the lease
    clock.advance(RECONCILE_LEASE_MS + 1000);
    const second = await reconcileAndApply(deps(clock), scope, 'manual');
    expect(second).toMatchObject({ state: 'succeeded', events_repaired: 2 });
    held.release();
    const firstOutcome = await first;
    expect(firstOutcome).toMatchObject({ id: firstRun.id, state: 'failed', events_repaired: 0 });
    expect(firstOutcome.error).toMatch(/^interrupted: no progress since/);
    expect(await storedEvents(accountId)).toHaveLength(2);

    // the same event fed by two runs at the same moment: stored once, repaired once
    const race = stripeEvent('invoice.voided', { ...life.invoice, status: 'void' }, { account: accountId, created: '2026-11-09T11:00:00Z' });
    const fed = await Promise.all([1, 2].map(() => feedStripeEvent(sql, scope, race)));
    expect(fed.filter(Boolean)).toHaveLength(1);
    expect((await storedEvents(accountId)).filter((e) => e.event_id === race.id)).toHaveLength(1);
  });

  it('retries a rate-limited page and counts the failed attempt', async () => {
    const clock = fakeClock(NOW);
    const accountId = newAccountId();
    const life = invoiceLife(accountId, '2026-11-09T09:00:00Z');
    seedEvents(fake, accountId, [life.created]);
    fake.inject429s(2, { match: eventRequests });
    const run = await executeReconcile(deps(clock), (await beginReconcile(deps(clock), { accountId, livemode: false }, 'manual'))!, {
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    expect(run).toMatchObject({ state: 'succeeded', errors: 2, events_repaired: 1 });
  });
});
