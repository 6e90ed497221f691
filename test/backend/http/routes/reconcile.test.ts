// POST/GET /api/reconcile through the real app, against the fake Stripe API's events list.
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { seedEvents } from '../../../support/fake-stripe-events.js';
import { startFakeStripe, type FakeRequest, type FakeStripe } from '../../../support/fake-stripe.js';
import { deliver, paid, stripeEvent, stripeInvoice, unix, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

async function json(res: Response) {
  return res.json() as Promise<any>;
}

const NOTE = 'not reconciled (no PayPal API credentials)';
const eventRequests = (r: FakeRequest) => r.method === 'GET' && r.path === '/v1/events';

/** Waits (with a deadline) until the latest run of the scope has ended, and answers it. */
async function settled(h: Harness, opts: { mode?: string } = {}) {
  return vi.waitFor(
    async () => {
      const body = await json(await h.api('GET', '/api/reconcile', undefined, opts));
      const [latest] = body.data;
      if (!latest || latest.state === 'running') throw new Error('reconciliation still running');
      return latest;
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe('/api/reconcile', () => {
  let fake: FakeStripe;
  beforeEach(async () => {
    fake = await startFakeStripe();
  });
  afterEach(async () => {
    await fake.close();
  });
  const harness = () =>
    createHarness({ env: { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });

  /** An open invoice whose invoice.created was delivered and whose invoice.paid never was. */
  async function missedPayment(h: Harness) {
    const at = new Date(h.clock.now().getTime() - 2 * 86_400_000);
    const invoice = stripeInvoice({ created: unix(at) });
    const created = stripeEvent('invoice.created', invoice, { account: h.accountId, created: at });
    const paidAt = new Date(at.getTime() + 3_600_000);
    const paidEvent = stripeEvent('invoice.paid', paid(invoice, { status_transitions: { ...invoice.status_transitions, paid_at: unix(paidAt) } }), {
      account: h.accountId,
      created: paidAt,
    });
    seedEvents(fake, h.accountId, [created, paidEvent]);
    expect((await deliver(h.app, created)).status).toBe(200);
    await h.drain();
    return { invoice, created, paid: paidEvent };
  }

  it('answers 503 stripe_not_configured without a key for the mode, and stores no run', async () => {
    const h = harness();
    const res = await h.api('POST', '/api/reconcile', undefined, { mode: 'live' });
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.error).toMatchObject({ code: 'stripe_not_configured' });
    expect(body.error.message).toMatch(/^no Stripe key for live mode/);
    expect(body.error.request_id).toBeTruthy();
    const list = await json(await h.api('GET', '/api/reconcile', undefined, { mode: 'live' }));
    expect(list).toEqual({ data: [], next_cursor: null, paypal: { reconciled: false, note: NOTE } });
  });

  it('repairs a missed invoice.paid in the background: the invoice reads paid, the run counts the repair', async () => {
    const h = harness();
    const { invoice, paid: paidEvent } = await missedPayment(h);
    const before = await json(await h.api('GET', `/api/invoices?q=${invoice.id}`));
    expect(before.data[0]).toMatchObject({ external_id: invoice.id, status: 'open' });

    const res = await h.api('POST', '/api/reconcile');
    expect(res.status).toBe(202);
    const started = await json(res);
    expect(started).toMatchObject({ state: 'running', trigger: 'manual', paypal: { reconciled: false, note: NOTE } });

    const run = await settled(h);
    await h.drain(); // the applier's part: reconciliation stored the missed event
    expect(run).toMatchObject({
      id: started.id,
      state: 'succeeded',
      events_seen: 2,
      events_repaired: 1,
      error: null,
      paypal: { reconciled: false, note: NOTE },
    });
    expect(run.watermark).toBe(new Date(paidEvent.created * 1000).toISOString());
    const after = await json(await h.api('GET', `/api/invoices?q=${invoice.id}`));
    expect(after.data[0]).toMatchObject({ external_id: invoice.id, status: 'paid', state: 'paid' });
    const events = await json(await h.api('GET', '/api/events?type=invoice.paid'));
    expect(events.data).toEqual([expect.objectContaining({ event_id: paidEvent.id, processed: true, error: null })]);

    // again: nothing left to repair; the list is newest first
    h.clock.advance(1000);
    const again = await h.api('POST', '/api/reconcile');
    expect(again.status).toBe(202);
    const second = await settled(h);
    expect(second).toMatchObject({ state: 'succeeded', events_repaired: 0 });
    const list = await json(await h.api('GET', '/api/reconcile?limit=1'));
    expect(list.data).toHaveLength(1);
    expect(list.next_cursor).toEqual(expect.any(String));
    const rest = await json(await h.api('GET', `/api/reconcile?limit=1&cursor=${list.next_cursor}`));
    expect(rest.data.map((r: { id: string }) => r.id)).toEqual([started.id]);
    expect(rest.next_cursor).toBeNull();
  });

  it('refuses a second run while one is running (409), and another account sees neither', async () => {
    const h = harness();
    await missedPayment(h);
    const held = fake.hold(eventRequests);
    expect((await h.api('POST', '/api/reconcile')).status).toBe(202);
    await held.reached;
    const second = await h.api('POST', '/api/reconcile');
    expect(second.status).toBe(409);
    expect((await json(second)).error).toMatchObject({ code: 'reconcile_already_running' });
    const other = harness();
    expect((await json(await other.api('GET', '/api/reconcile'))).data).toEqual([]);
    expect((await json(await h.api('GET', '/api/reconcile', undefined, { mode: 'live' }))).data).toEqual([]);
    held.release();
    expect(await settled(h)).toMatchObject({ state: 'succeeded', events_repaired: 1 });
  });

  it('a failing Stripe request ends the run failed with the error, never a key', async () => {
    const h = harness();
    fake.addFault((req) =>
      eventRequests(req) ? { status: 403, body: { error: { type: 'invalid_request_error', message: 'no access to this account' } } } : undefined,
    );
    expect((await h.api('POST', '/api/reconcile')).status).toBe(202);
    const run = await settled(h);
    expect(run).toMatchObject({ state: 'failed', watermark: null, events_repaired: 0 });
    expect(run.error).toContain('no access to this account');
    expect(run.error).not.toContain(fake.secretKey);
  });

  it('rejects a bad limit or cursor with 400', async () => {
    const h = harness();
    const bad = await h.api('GET', '/api/reconcile?limit=0');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({ code: 'invalid_request' });
    expect((await h.api('GET', '/api/reconcile?cursor=nope')).status).toBe(400);
  });
});
