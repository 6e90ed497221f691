// Per-tenant reminder escalation: the tenant's own steps and tones (PATCH /api/tenants/:id), used by
// the scan's admin notifications and customer reminders; the account's steps with tones by position
// otherwise.
import { toneFor } from '../../../backend/domain/reminder-tones.js';
import { createStripeClients } from '../../../backend/gateways/stripe/api-client.js';
import { runPastDueScan, type ScanDeps } from '../../../backend/jobs/past-due-scan.js';
import { createLogger } from '../../../backend/logger.js';
import { createHarness, fakeClock } from '../../support/app-harness.js';
import { makeInvoice, startFakeStripe, type FakeStripe } from '../../support/fake-stripe.js';
import { invoicingRoutes } from '../../support/fake-stripe-invoicing.js';
import { harnessScope, seedInvoice, seedTenant } from '../../support/ledger-seed.js';
import { startNotifyReceiver, type NotifyReceiver } from '../../support/notify-receiver.js';

const DAY = 86_400_000;
const T0 = new Date('2026-07-01T06:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const json = (res: Response) => res.json() as Promise<any>;

describe('toneFor', () => {
  it('takes the tenant’s tone of the step, else friendly, firm, final by position in the account’s steps', () => {
    expect([0, 7, 30].map((s) => toneFor(s, null, [0, 7, 30]))).toEqual(['friendly', 'firm', 'final']);
    expect([1, 2, 5, 9].map((s) => toneFor(s, null, [9, 1, 2, 5]))).toEqual(['friendly', 'firm', 'final', 'final']);
    const own = [
      { days: 3, tone: 'firm' as const },
      { days: 14, tone: 'final' as const },
    ];
    expect(toneFor(3, own, [0, 7, 30])).toBe('firm');
    expect(toneFor(14, own, [0, 7, 30])).toBe('final');
    // steps changed after the reminder was claimed: the last step at or before it
    expect(toneFor(10, own, [0, 7, 30])).toBe('firm');
    expect(toneFor(0, own, [0, 7, 30])).toBe('firm');
  });
});

describe('tenant reminder_steps through the API', () => {
  it('sets, sorts, shows and resets a tenant’s own steps; refuses bad ones with 400 and another account’s tenant with 404', async () => {
    const h = createHarness();
    const created = await json(await h.api('POST', '/api/tenants', { name: 'Acme' }));
    expect(created.reminder_steps).toBeNull();
    const steps = [
      { days: 14, tone: 'firm' },
      { days: 3, tone: 'friendly' },
      { days: 30, tone: 'final' },
    ];
    const res = await h.api('PATCH', `/api/tenants/${created.id}`, { reminder_steps: steps });
    expect(res.status).toBe(200);
    const sorted = [steps[1], steps[0], steps[2]];
    expect((await json(res)).reminder_steps).toEqual(sorted);
    expect((await json(await h.api('GET', `/api/tenants/${created.id}`))).reminder_steps).toEqual(sorted);
    // other fields keep it
    expect((await json(await h.api('PATCH', `/api/tenants/${created.id}`, { name: 'Acme Ltd' }))).reminder_steps).toEqual(sorted);

    for (const bad of [
      [],
      [{ days: 3, tone: 'rude' }],
      [{ days: 3, tone: 'firm' }, { days: 3, tone: 'final' }],
      [{ days: 366, tone: 'final' }],
      [{ days: 1.5, tone: 'final' }],
      [{ days: 3 }],
      [{ days: 3, tone: 'firm', extra: true }],
    ]) {
      const r = await h.api('PATCH', `/api/tenants/${created.id}`, { reminder_steps: bad });
      expect(r.status).toBe(400);
      expect((await json(r)).error).toMatchObject({ code: 'invalid_request', request_id: expect.any(String) });
    }
    expect((await json(await h.api('GET', `/api/tenants/${created.id}`))).reminder_steps).toEqual(sorted);

    const other = createHarness();
    expect((await other.api('PATCH', `/api/tenants/${created.id}`, { reminder_steps: steps })).status).toBe(404);

    expect((await json(await h.api('PATCH', `/api/tenants/${created.id}`, { reminder_steps: null }))).reminder_steps).toBeNull();
    const withSteps = await json(await h.api('POST', '/api/tenants', { name: 'Globex', reminder_steps: [{ days: 5, tone: 'final' }] }));
    expect(withSteps.reminder_steps).toEqual([{ days: 5, tone: 'final' }]);
  });
});

describe('escalation in the scan', () => {
  let fake: FakeStripe;
  let receiver: NotifyReceiver;
  let secret = '';
  beforeAll(async () => {
    fake = await startFakeStripe({ routes: invoicingRoutes() });
    receiver = await startNotifyReceiver({ secret: () => secret });
  });
  afterAll(async () => {
    await receiver.close();
    await fake.close();
  });

  it('reminds at the tenant’s own days in its tones, admin and customer; other tenants keep the account’s steps', async () => {
    const h = createHarness({
      env: { NOTIFY_ALLOW_PRIVATE: 'true', STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url },
      clock: fakeClock(T0),
    });
    const scope = harnessScope(h);
    secret = (await json(await h.api('PUT', '/api/settings', { notify_url: receiver.url }))).notify_secret;
    const own = await seedTenant(h.sql, scope, 'Escalating');
    const plain = await seedTenant(h.sql, scope, 'Plain');
    const patched = await h.api('PATCH', `/api/tenants/${own.id}`, {
      customer_reminders: true,
      reminder_steps: [
        { days: 3, tone: 'friendly' },
        { days: 14, tone: 'firm' },
        { days: 30, tone: 'final' },
      ],
    });
    expect(patched.status).toBe(200);
    const ownInvoice = makeInvoice({ status: 'open', collection_method: 'send_invoice' });
    fake.seedInvoices(h.accountId, [ownInvoice]);
    const ownId = await seedInvoice(h.sql, scope, {
      tenant_id: own.id,
      external_id: ownInvoice.id,
      number: 'INV-OWN',
      collection_method: 'send_invoice',
      due_date: at(-1),
      created_at: at(-31),
    });
    await seedInvoice(h.sql, scope, { tenant_id: plain.id, number: 'INV-PLAIN', due_date: at(-1), created_at: at(-31) });

    const deps: ScanDeps = {
      sql: h.sql,
      logger: createLogger('silent'),
      now: h.clock.now,
      stripe: createStripeClients(h.config),
      allowPrivateReceivers: true,
    };
    // days past due 1, 3, 7, 14, 30
    for (const day of [0, 2, 6, 13, 29]) expect((await runPastDueScan(deps, { now: at(day), scope })).ran).toBe(true);

    const admin = receiver.accepted().map((r) => r.json).filter((j) => j?.type === 'invoice.past_due');
    const ofNumber = (n: string) => admin.filter((j) => j.text.includes(n)).map((j) => [j.step, j.tone, j.text.split(':')[0]]);
    expect(ofNumber('INV-OWN')).toEqual([
      [3, 'friendly', 'Friendly reminder'],
      [14, 'firm', 'Second notice'],
      [30, 'final', 'Final notice'],
    ]);
    expect(ofNumber('INV-PLAIN')).toEqual([
      [0, 'friendly', 'Friendly reminder'],
      [7, 'firm', 'Second notice'],
      [30, 'final', 'Final notice'],
    ]);
    const finalText = admin.find((j) => j.text.includes('INV-OWN') && j.step === 30).text;
    expect(finalText).toMatch(/^Final notice: Invoice INV-OWN for Escalating is still unpaid: 30 days past due, \$10\.00 outstanding\. This is the last reminder before escalation\.$/);

    // the customer's reminders went out through Stripe at the tenant's days, recorded with their tone
    const sends = fake.requests.filter((r) => r.accountId === h.accountId && r.path === `/v1/invoices/${ownInvoice.id}/send`);
    expect(sends).toHaveLength(3);
    const notes = await h.sql<{ note: string }[]>`
      SELECT note FROM invoice_history WHERE account_id = ${h.accountId} AND invoice_id = ${ownId} AND note LIKE 'customer reminder%'
      ORDER BY at, id`;
    expect(notes.map((n) => n.note)).toEqual([
      'customer reminder sent through Stripe (step 3, friendly)',
      'customer reminder sent through Stripe (step 14, firm)',
      'customer reminder sent through Stripe (step 30, final)',
    ]);
  });
});
