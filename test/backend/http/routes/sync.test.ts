import { setTimeout as sleep } from 'node:timers/promises';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { makeCustomer, makeInvoice, startFakeStripe, type FakeStripe } from '../../../support/fake-stripe.js';

async function json(res: Response) {
  return res.json() as Promise<any>;
}

/** Polls GET /api/sync until the background run has ended. */
async function settled(h: Harness, opts: { mode?: string } = {}) {
  for (let i = 0; i < 600; i++) {
    const res = await h.api('GET', '/api/sync', undefined, opts);
    const body = await json(res);
    if (res.status === 200 && body.state !== 'running') return body;
    await sleep(25);
  }
  throw new Error('sync did not finish');
}

const BASE = Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000);
const seedInvoices = (fake: FakeStripe, accountId: string, n: number) =>
  fake.seedInvoices(
    accountId,
    Array.from({ length: n }, (_, i) => makeInvoice({ created: BASE - i * 60, total: 100 * (i + 1), status: 'open' })),
  );

describe('/api/sync', () => {
  it('before the first run: 200 with state never_run (not a 404 on every settings load)', async () => {
    const h = createHarness();
    const res = await h.api('GET', '/api/sync');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ state: 'never_run' });
  });

  let fake: FakeStripe;
  beforeEach(async () => {
    fake = await startFakeStripe();
  });
  afterEach(async () => {
    await fake.close();
  });
  const harness = () => createHarness({ env: { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url } });

  it('answers 503 stripe_not_configured without a Stripe key, and stores nothing', async () => {
    const h = createHarness();
    const res = await h.api('POST', '/api/sync');
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.error).toMatchObject({ code: 'stripe_not_configured' });
    expect(body.error.request_id).toBeTruthy();
    const status = await h.api('GET', '/api/sync');
    expect(status.status).toBe(200);
    expect(await json(status)).toEqual({ state: 'never_run' });
  });

  it('answers 503 naming the mode when only the other mode has a key', async () => {
    const h = harness();
    const res = await h.api('POST', '/api/sync', undefined, { mode: 'live' });
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.error.code).toBe('stripe_not_configured');
    expect(body.error.message).toMatch(/^no Stripe key for live mode/);
    expect(body.error.message).not.toContain(fake.secretKey);
    expect(fake.requests).toHaveLength(0);
  });

  it('starts a run in the background (202), refuses a second one (409), and reports progress', async () => {
    const h = harness();
    fake.seedCustomers(h.accountId, Array.from({ length: 5 }, (_, i) => makeCustomer({ created: BASE - i })));
    seedInvoices(fake, h.accountId, 150);
    const gate = fake.hold(() => true); // keep the run busy on its first request

    const started = await h.api('POST', '/api/sync');
    expect(started.status).toBe(202);
    const run = await json(started);
    expect(run).toMatchObject({
      state: 'running',
      phase: 'customers',
      cursor: null,
      counts: { customers: 0, invoices: 0, pages: 0, errors: 0 },
      error: null,
      finished_at: null,
    });

    await gate.reached;
    const again = await h.api('POST', '/api/sync');
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('sync_already_running');
    expect(await json(await h.api('GET', '/api/sync'))).toMatchObject({ id: run.id, state: 'running' });

    gate.release();
    const done = await settled(h);
    expect(done).toMatchObject({
      id: run.id,
      state: 'succeeded',
      phase: 'done',
      counts: { customers: 5, invoices: 150, pages: 3, errors: 0 },
      error: null,
    });
    expect(Date.parse(done.finished_at)).not.toBeNaN();
    // The Stripe library reached the installed account with Stripe-Account.
    expect(fake.requests.every((r) => r.stripeAccount === h.accountId)).toBe(true);

    const page = await json(await h.api('GET', '/api/invoices?limit=100'));
    expect(page.data).toHaveLength(100);
    expect(page.next_cursor).not.toBeNull();
  });

  it('records a failed run as failed with its error, and the next POST resumes it', async () => {
    const h = harness();
    seedInvoices(fake, h.accountId, 250);
    fake.failPage('invoices', 2, { status: 400, message: 'page two is broken' });

    expect((await h.api('POST', '/api/sync')).status).toBe(202);
    const failed = await settled(h);
    expect(failed).toMatchObject({ state: 'failed', phase: 'invoices', counts: { invoices: 100, errors: 1 } });
    expect(failed.error).toContain('page two is broken');

    const resumed = await json(await h.api('POST', '/api/sync'));
    expect(resumed).toMatchObject({ state: 'running', resumed_from: failed.id, cursor: failed.cursor });
    const done = await settled(h);
    expect(done).toMatchObject({ id: resumed.id, state: 'succeeded', counts: { invoices: 250 } });
  });

  it("keeps runs to the caller's account and mode", async () => {
    const h = harness();
    seedInvoices(fake, h.accountId, 3);
    expect((await h.api('POST', '/api/sync')).status).toBe(202);
    expect((await settled(h)).state).toBe('succeeded');

    const other = harness();
    expect(await json(await other.api('GET', '/api/sync'))).toEqual({ state: 'never_run' });
    expect(await json(await h.api('GET', '/api/sync', undefined, { mode: 'live' }))).toEqual({ state: 'never_run' });
    expect((await json(await other.api('GET', '/api/invoices'))).data).toEqual([]);
  });

  it('is documented in /openapi.json', async () => {
    const h = createHarness();
    const doc = await json(await h.app.request('/openapi.json'));
    expect(Object.keys(doc.paths['/api/sync'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/api/sync'].post.responses).toHaveProperty('409');
  });
});
