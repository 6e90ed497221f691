// The applier: webhooks only store; batches apply set-based with the ordering guard, isolate a
// failing event, share the work between concurrent appliers (each event applied once), wake on a
// nudge or NOTIFY, and /readyz reports the backlog.
import type Stripe from 'stripe';
import { claimPending, storeIncomingEvent, vacuumQueue } from '../../../backend/domain/event-inbox.js';
import { applyPendingBatch } from '../../../backend/gateways/apply-batch.js';
import { describeStripeEvent } from '../../../backend/gateways/stripe/process-event.js';
import { drainPending, startApplier } from '../../../backend/jobs/applier.js';
import { createLogger } from '../../../backend/logger.js';
import { createHarness, engine, fakeClock, newAccountId, type Harness } from '../../support/app-harness.js';
import { deliver, paid, stripeEvent, stripeInvoice, WEBHOOK_SECRET } from '../../support/stripe-events.js';

const harness = () => createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, clock: fakeClock('2026-11-20T00:00:00Z') });

type InvoiceEvent = Stripe.Event;

/** Stores (as the webhook does) without applying. */
async function store(h: Harness, event: Stripe.Event, accountId = h.accountId) {
  const res = await deliver(h.app, { ...event, account: accountId }, { timestamp: Math.floor(h.clock.now().getTime() / 1000) });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ state: 'pending' });
}

/** Each invoice's row and history, comparable across accounts. */
async function ledger(h: Harness, accountId = h.accountId) {
  return h.sql`
    SELECT i.external_id, i.status, i.amount_paid, i.amount_remaining, i.past_due, i.payment_failed, i.source_time,
      i.source_event_id,
      (SELECT json_agg(json_build_array(x.from_status, x.to_status, x.note) ORDER BY x.at, x.id)
       FROM invoice_history x WHERE x.invoice_id = i.id) AS history
    FROM invoices i WHERE i.account_id = ${accountId} ORDER BY i.external_id`;
}

/** Out-of-order and same-second events of a few invoices. */
function scenario(): InvoiceEvent[] {
  const events: InvoiceEvent[] = [];
  for (let n = 0; n < 4; n++) {
    const open = stripeInvoice({ id: `in_batch_${n}` });
    // arrival order: paid first, then the older open, then a same-second open/paid tie
    events.push(stripeEvent('invoice.paid', paid(open), { created: '2026-11-02T10:00:00Z', id: `evt_${n}_c` }) as never);
    events.push(stripeEvent('invoice.finalized', open, { created: '2026-11-01T10:00:00Z', id: `evt_${n}_a` }));
    events.push(stripeEvent('invoice.updated', { ...open, amount_remaining: 9_999 }, { created: '2026-11-02T10:00:00Z', id: `evt_${n}_b` }));
  }
  return events;
}

describe('the applier', () => {
  it('applies a batch set-based with the ordering guard and deterministic same-second ties', async () => {
    const h = harness();
    const events = scenario();
    for (const e of events) await store(h, e);
    expect(await ledger(h)).toEqual([]); // stored only
    // one batch holds them all
    expect(await drainPending({ sql: h.sql, logger: createLogger('silent'), now: h.clock.now }, { accountIds: [h.accountId] })).toEqual({
      claimed: 12,
      failed: 0,
    });
    const batched = await ledger(h);
    expect(batched).toHaveLength(4);
    for (const inv of batched) {
      // paid (rank 3) wins the same-second tie over the open update, whatever the order
      expect(inv).toMatchObject({ status: 'paid', amount_paid: 10_000, amount_remaining: 0, source_event_id: expect.stringMatching(/_c$/) });
      // applied in order of occurrence: the older event is not lost from the history
      expect(inv.history).toEqual([[null, 'open', null], ['open', 'paid', null]]);
    }

    // The same events applied one at a time, in arrival order, end in the same invoices.
    const other = newAccountId();
    for (const e of events) {
      await store(h, { ...e, id: `${e.id}_one` }, other);
      await h.drain(other);
    }
    const oneByOne = await ledger(h, other);
    expect(oneByOne.map(({ history: _, source_event_id: __, ...row }) => row)).toEqual(
      batched.map(({ history: _, source_event_id: __, ...row }) => row),
    );
  });

  it('isolates a failing event: the rest of its batch applies, it is retried later', async () => {
    const h = harness();
    const good = [stripeInvoice(), stripeInvoice()];
    const bad = stripeInvoice();
    const fn = `refuse_${h.accountId}`;
    await h.sql.unsafe(`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.external_id = '${bad.id}' THEN RAISE EXCEPTION 'refused %', NEW.external_id; END IF;
        RETURN NEW;
      END $$`);
    await h.sql.unsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      for (const inv of [good[0], bad, good[1]]) await store(h, stripeEvent('invoice.finalized', inv));
      expect(await h.drain()).toEqual({ claimed: 3, failed: 1 });
    } finally {
      await h.sql.unsafe(`DROP TRIGGER ${fn} ON invoices`);
      await h.sql.unsafe(`DROP FUNCTION ${fn}()`);
    }
    expect((await ledger(h)).map((i) => i.external_id)).toEqual(good.map((g) => g.id).sort());
    const events = await h.sql<{ object_id: string; state: string; attempts: number; error: string | null }[]>`
      SELECT object_id, state, attempts, error FROM payment_events WHERE account_id = ${h.accountId} ORDER BY object_id`;
    expect(events.find((e) => e.object_id === bad.id)).toMatchObject({ state: 'pending', attempts: 1, error: `refused ${bad.id}` });
    expect(events.filter((e) => e.state === 'processed')).toHaveLength(2);
    // the applier's queue holds only what waits: the failed event, due after its backoff
    const queued = () => h.sql<{ object_id: string; next_attempt_at: Date | null }[]>`
      SELECT e.object_id, q.next_attempt_at FROM event_queue q JOIN payment_events e ON e.account_id = q.account_id AND e.id = q.event_id
      WHERE q.account_id = ${h.accountId}`;
    expect(await queued()).toEqual([{ object_id: bad.id, next_attempt_at: new Date(h.clock.now().getTime() + 1_000) }]);
    // its backoff over, it applies
    h.clock.advance(1_000);
    expect(await h.drain()).toEqual({ claimed: 1, failed: 0 });
    expect(await ledger(h)).toHaveLength(3);
    expect(await queued()).toEqual([]);
    // the applier vacuums the queue outside any transaction, on both engines
    await vacuumQueue(h.sql);
  });

  it('shares the work between concurrent appliers by account, applying each event exactly once, in order', async () => {
    const h = harness();
    const accounts = [newAccountId(), newAccountId(), newAccountId()];
    const reference = newAccountId();
    const events: InvoiceEvent[] = [];
    for (let n = 0; n < 30; n++) {
      const open = stripeInvoice();
      events.push(stripeEvent('invoice.finalized', open, { created: '2026-11-01T10:00:00Z' }));
      events.push(stripeEvent('invoice.paid', paid(open), { created: '2026-11-03T10:00:00Z' }) as never);
    }
    for (const e of events) {
      for (const a of accounts) await store(h, { ...e, id: `${e.id}_${a}` }, a);
      await store(h, { ...e, id: `${e.id}_ref` }, reference);
    }
    await h.drain(reference);
    const deps = { sql: h.sql, logger: createLogger('silent'), now: h.clock.now };
    // small batches, so that the appliers take turns on the accounts
    const runs = await Promise.all([1, 2, 3, 4].map(() => drainPending(deps, { accountIds: accounts, batchSize: 7 })));
    // a drain ends when every account left is another's: what remains, one more drain takes
    const rest = await drainPending(deps, { accountIds: accounts });
    expect(runs.reduce((n, r) => n + r.claimed, 0) + rest.claimed).toBe(events.length * accounts.length);
    if (engine() === 'postgres') expect(runs.filter((r) => r.claimed > 0).length).toBeGreaterThan(1);
    const strip = (rows: Awaited<ReturnType<typeof ledger>>) => rows.map(({ source_event_id: _, ...r }) => r);
    const expected = strip(await ledger(h, reference));
    for (const a of accounts) {
      const [{ n }] = await h.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM payment_events WHERE account_id = ${a} AND state = 'processed'`;
      expect(n).toBe(events.length);
      // once each, and in order: the same rows and histories as one applier gave
      expect(strip(await ledger(h, a))).toEqual(expected);
    }
  });

  it.skipIf(engine() !== 'postgres')('reports an account held by another applier as busy, and claims it once released', async () => {
    const h = harness();
    await store(h, stripeEvent('invoice.finalized', stripeInvoice()));
    const opts = { limit: 10, now: h.clock.now(), accountIds: [h.accountId] };
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    // another applier's batch: it holds the account until released
    const other = h.sql.begin(async (tx) => {
      const { events } = await claimPending(tx, opts);
      holding();
      await released;
      return events.length;
    });
    await held;
    // busy: the loop then waits a poll interval instead of searching again on every webhook's nudge
    expect(await applyPendingBatch(h.sql, opts)).toEqual({ claimed: 0, failed: 0, busy: true });
    release();
    expect(await other).toBe(1); // it claimed and changed nothing: the event is still pending
    expect(await applyPendingBatch(h.sql, opts)).toEqual({ claimed: 1, failed: 0, busy: false });
    expect(await applyPendingBatch(h.sql, opts)).toEqual({ claimed: 0, failed: 0, busy: false });
  });

  it('runs as a loop: a nudge wakes it at once; without one it polls', async () => {
    const h = harness();
    const applier = startApplier({ sql: h.sql, logger: createLogger('silent'), now: h.clock.now }, { accountIds: [h.accountId], pollMs: 60_000 });
    try {
      const invoice = stripeInvoice();
      await store(h, stripeEvent('invoice.finalized', invoice));
      applier.nudge();
      await vi.waitFor(async () => expect(await ledger(h)).toHaveLength(1), { timeout: 5_000, interval: 20 });
    } finally {
      await applier.stop();
    }
    const polling = startApplier({ sql: h.sql, logger: createLogger('silent'), now: h.clock.now }, { accountIds: [h.accountId], pollMs: 50 });
    try {
      await store(h, stripeEvent('invoice.finalized', stripeInvoice()));
      await vi.waitFor(async () => expect(await ledger(h)).toHaveLength(2), { timeout: 5_000, interval: 20 });
    } finally {
      await polling.stop();
    }
  });

  it.skipIf(engine() !== 'postgres')('wakes on NOTIFY from another instance (PostgreSQL)', async () => {
    const h = harness();
    const applier = startApplier(
      { sql: h.sql, logger: createLogger('silent'), now: h.clock.now },
      { accountIds: [h.accountId], pollMs: 60_000, listen: true },
    );
    // another instance, whose webhook route stored the event (it applies another account only)
    const other = startApplier(
      { sql: h.sql, logger: createLogger('silent'), now: h.clock.now },
      { accountIds: [newAccountId()], pollMs: 60_000, listen: true },
    );
    try {
      const invoice = stripeInvoice();
      await storeIncomingEvent(h.sql, { accountId: h.accountId, livemode: false }, describeStripeEvent(stripeEvent('invoice.finalized', invoice)));
      // nudged again until heard: this applier's LISTEN may be set up a moment after the other's
      await vi.waitFor(async () => {
        other.nudge();
        expect(await ledger(h)).toHaveLength(1);
      }, { timeout: 5_000, interval: 50 });
    } finally {
      await applier.stop();
      await other.stop();
    }
  });

  it('/readyz reports the backlog and the age of the oldest pending event', async () => {
    const h = harness();
    h.clock.set(new Date());
    for (let n = 0; n < 3; n++) await store(h, stripeEvent('invoice.finalized', stripeInvoice()));
    h.clock.advance(30_000);
    const ready = await (await h.app.request('/readyz')).json();
    expect(ready.status).toBe('ready');
    // other tests share the database: at least this account's three
    expect(ready.backlog.pending).toBeGreaterThanOrEqual(3);
    expect(ready.backlog.oldest_pending_age_seconds).toBeGreaterThanOrEqual(29);
    await h.drain();
    const [{ n }] = await h.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM payment_events WHERE account_id = ${h.accountId} AND state = 'pending'`;
    expect(n).toBe(0);
  });
});
