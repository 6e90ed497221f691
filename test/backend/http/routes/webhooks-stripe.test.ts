// POST /webhooks/stripe: signature, account, storage and the answers Stripe relies on.
import { createApp } from '../../../../backend/app.js';
import { connectUrl } from '../../../../backend/db/client.js';
import { createLogger } from '../../../../backend/logger.js';
import { createHarness, newAccountId, testConfig, type Harness } from '../../../support/app-harness.js';
import {
  deliver,
  OLD_WEBHOOK_SECRET,
  signDelivery,
  stripeEvent,
  stripeInvoice,
  WEBHOOK_SECRET,
} from '../../../support/stripe-events.js';

const SECRETS = `${WEBHOOK_SECRET},${OLD_WEBHOOK_SECRET}`;

async function storedEvents(h: Harness, accountId = h.accountId) {
  return h.sql<{ event_id: string; type: string; processed: boolean; ignored: boolean; error: string | null; livemode: boolean }[]>`
    SELECT event_id, type, processed, ignored, error, livemode FROM payment_events WHERE account_id = ${accountId}
    ORDER BY received_at`;
}

const invoiceCount = async (h: Harness, accountId = h.accountId) =>
  Number((await h.sql`SELECT count(*)::int AS n FROM invoices WHERE account_id = ${accountId}`)[0].n);

describe('POST /webhooks/stripe', () => {
  it('stores a signed event (pending) and answers 200 after commit; the applier applies it', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const invoice = stripeInvoice();
    const event = stripeEvent('invoice.finalized', invoice, { account: h.accountId });
    const res = await deliver(h.app, event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, duplicate: false, processed: false, state: 'pending' });
    // the request only stored the event: nothing of it is in the ledger yet
    expect(await storedEvents(h)).toEqual([
      { event_id: event.id, type: 'invoice.finalized', processed: false, ignored: false, error: null, livemode: false },
    ]);
    expect(await invoiceCount(h)).toBe(0);
    const pending = await (await h.api('GET', '/api/events')).json();
    expect(pending.data).toMatchObject([{ event_id: event.id, state: 'pending', processed: false, invoice: null }]);

    expect(await h.drain()).toEqual({ claimed: 1, failed: 0 });
    expect(await storedEvents(h)).toEqual([
      { event_id: event.id, type: 'invoice.finalized', processed: true, ignored: false, error: null, livemode: false },
    ]);
    expect(await invoiceCount(h)).toBe(1);
    const applied = await (await h.api('GET', '/api/events')).json();
    expect(applied.data).toMatchObject([{ state: 'processed', processed: true, invoice: { number: invoice.number } }]);
    // The account seen for the first time is registered.
    expect(await h.sql`SELECT id FROM accounts WHERE id = ${h.accountId}`).toHaveLength(1);
  });

  it('accepts a delivery signed with a rotated (older) secret', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const event = stripeEvent('invoice.created', stripeInvoice({ status: 'draft' }), { account: h.accountId });
    const res = await deliver(h.app, event, { secret: OLD_WEBHOOK_SECRET });
    expect(res.status).toBe(200);
    expect(await storedEvents(h)).toHaveLength(1);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const event = stripeEvent('invoice.created', stripeInvoice(), { account: h.accountId });

    const wrongSecret = await deliver(h.app, event, { secret: 'whsec_someone_else' });
    expect(wrongSecret.status).toBe(401);
    expect((await wrongSecret.json()).error).toMatchObject({ code: 'invalid_signature' });

    const { body, headers } = signDelivery(event);
    const tampered = await h.app.request('/webhooks/stripe', {
      method: 'POST',
      headers,
      body: body.replace('"amount_due":10000', '"amount_due":1'),
    });
    expect(tampered.status).toBe(401);

    const stale = await deliver(h.app, event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);

    const unsigned = await h.app.request('/webhooks/stripe', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    const err = (await unsigned.json()).error;
    expect(err.code).toBe('invalid_signature');
    expect(typeof err.request_id).toBe('string');
    // The error never echoes a secret.
    expect(JSON.stringify(err)).not.toContain('whsec_');

    expect(await storedEvents(h)).toEqual([]);
    expect(await invoiceCount(h)).toBe(0);
  });

  it('answers 503 webhook_not_configured when no webhook secret is set', async () => {
    const h = createHarness();
    const event = stripeEvent('invoice.created', stripeInvoice(), { account: h.accountId });
    const res = await deliver(h.app, event);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('webhook_not_configured');
    expect(await storedEvents(h)).toEqual([]);
  });

  it('answers 400 for a signed body that is not JSON, or not an event', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const notJson = await deliver(h.app, '{"id": "evt_1", ');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('invalid_json');
    const notEvent = await deliver(h.app, { hello: 'world' });
    expect(notEvent.status).toBe(400);
    expect((await notEvent.json()).error.code).toBe('invalid_event');
  });

  it('refuses an event with no account when STRIPE_ACCOUNT_ID is unset: 400, nothing stored', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const event = stripeEvent('invoice.paid', stripeInvoice({ status: 'paid' }));
    const res = await deliver(h.app, event);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('account_unresolved');
    const rows = await h.sql`SELECT id FROM payment_events WHERE event_id = ${event.id}`;
    expect(rows).toEqual([]);
  });

  it('files an event without account under STRIPE_ACCOUNT_ID (direct endpoint)', async () => {
    const accountId = newAccountId();
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS, STRIPE_ACCOUNT_ID: accountId } });
    const event = stripeEvent('invoice.finalized', stripeInvoice());
    expect((await deliver(h.app, event)).status).toBe(200);
    expect(await storedEvents(h, accountId)).toHaveLength(1);
    await h.drain(accountId);
    expect(await invoiceCount(h, accountId)).toBe(1);
    // event.account, when present, wins over the configured account.
    const other = stripeEvent('invoice.finalized', stripeInvoice(), { account: h.accountId });
    expect((await deliver(h.app, other)).status).toBe(200);
    expect(await storedEvents(h, h.accountId)).toHaveLength(1);
  });

  it('keeps the mode of the event (livemode)', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const invoice = stripeInvoice({ livemode: true });
    await deliver(h.app, stripeEvent('invoice.finalized', invoice, { account: h.accountId, livemode: true }));
    await h.drain();
    const [row] = await h.sql<{ livemode: boolean }[]>`SELECT livemode FROM invoices WHERE account_id = ${h.accountId}`;
    expect(row.livemode).toBe(true);
    // The Dashboard in test mode does not see it; in live mode it does.
    expect((await (await h.api('GET', '/api/invoices')).json()).data).toEqual([]);
    const live = await (await h.api('GET', '/api/invoices', undefined, { mode: 'live' })).json();
    expect(live.data.map((i: { external_id: string }) => i.external_id)).toEqual([invoice.id]);
  });

  it('stores an unknown event type as ignored and answers 200', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const event = stripeEvent('payout.paid', { id: 'po_123', object: 'payout' } as never, { account: h.accountId });
    const res = await deliver(h.app, event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, duplicate: false, processed: false, state: 'pending' });
    await h.drain();
    expect(await storedEvents(h)).toEqual([
      { event_id: event.id, type: 'payout.paid', processed: true, ignored: true, error: null, livemode: false },
    ]);
  });

  it('stores an object without an id (upcoming invoice) without processing it', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const { id: _, ...upcoming } = stripeInvoice({ status: 'draft' });
    const event = stripeEvent('invoice.upcoming', upcoming as never, { account: h.accountId });
    expect((await deliver(h.app, event)).status).toBe(200);
    await h.drain();
    expect(await storedEvents(h)).toMatchObject([{ type: 'invoice.upcoming', ignored: true, error: null }]);
    // Even a handled type with an id-less object is stored but not applied.
    const noId = stripeEvent('invoice.updated', upcoming as never, { account: h.accountId });
    expect((await deliver(h.app, noId)).status).toBe(200);
    await h.drain();
    expect(await storedEvents(h)).toHaveLength(2);
    expect(await invoiceCount(h)).toBe(0);
  });

  it('answers a duplicate with 200 and changes nothing, also when both arrive at once', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const invoice = stripeInvoice();
    const event = stripeEvent('invoice.finalized', invoice, { account: h.accountId });
    const [a, b] = await Promise.all([deliver(h.app, event), deliver(h.app, event)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const bodies = [await a.json(), await b.json()];
    expect(bodies.map((x) => x.duplicate).sort()).toEqual([false, true]);
    expect(await storedEvents(h)).toHaveLength(1);
    await h.drain();

    const again = await deliver(h.app, event);
    expect(await again.json()).toEqual({ received: true, duplicate: true, processed: true, state: 'processed' });
    expect(await h.drain()).toEqual({ claimed: 0, failed: 0 });
    expect(await storedEvents(h)).toHaveLength(1);
    const history = await h.sql`SELECT to_status FROM invoice_history WHERE account_id = ${h.accountId}`;
    expect(history).toHaveLength(1);
  });

  it('stores a burst of deliveries arriving together once each, and answers each for itself', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const events = Array.from({ length: 40 }, () => stripeEvent('invoice.finalized', stripeInvoice(), { account: h.accountId }));
    const resent = events.slice(0, 10);
    const unstorable = stripeEvent('invoice.finalized', stripeInvoice({ number: 'INV\u0000' }), { account: h.accountId });
    // all in flight at once: the webhooks' store writes them in shared statements (db/coalesce.ts)
    const responses = await Promise.all([...events, ...resent, unstorable].map((e) => deliver(h.app, e)));
    const bodies = await Promise.all(responses.map((r) => r.json()));

    expect(responses.slice(0, 50).map((r) => r.status)).toEqual(Array(50).fill(200));
    for (const [i, e] of resent.entries()) {
      expect([bodies[i].duplicate, bodies[40 + i].duplicate].sort(), e.id).toEqual([false, true]);
      expect(bodies[40 + i].state).toBe('pending');
    }
    expect(bodies.slice(10, 40).every((b) => b.duplicate === false)).toBe(true);
    // the one the database refuses is the only one refused
    expect(responses[50].status).toBe(400);
    expect(bodies[50].error.code).toBe('invalid_request');
    const stored = await storedEvents(h);
    expect(stored.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.id).sort());

    expect(await h.drain()).toEqual({ claimed: 40, failed: 0 });
    expect(await invoiceCount(h)).toBe(40);
  });

  it('refuses a body over 1 MB with 413 before looking at it', async () => {
    const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: SECRETS } });
    const invoice = stripeInvoice({ description: 'x'.repeat(1024 * 1024) });
    const event = stripeEvent('invoice.finalized', invoice, { account: h.accountId });
    const res = await deliver(h.app, event);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    expect(await storedEvents(h)).toEqual([]);
  });

  it('answers 503 when the database is unreachable, so Stripe retries', async () => {
    const down = connectUrl('postgres://postgres@127.0.0.1:1/none', 1);
    const config = testConfig({ STRIPE_WEBHOOK_SECRET: SECRETS });
    const app = createApp({ config, sql: down.sql, logger: createLogger('silent'), now: () => new Date(), stripe: { live: null, test: null } });
    const event = stripeEvent('invoice.paid', stripeInvoice({ status: 'paid' }), { account: newAccountId() });
    const res = await deliver(app, event);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('database_unavailable');
    await down.close();
  });

  it('is documented in /openapi.json', async () => {
    const h = createHarness();
    const doc = await (await h.app.request('/openapi.json')).json();
    expect(Object.keys(doc.paths['/webhooks/stripe'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '413', '503']),
    );
  });
});
