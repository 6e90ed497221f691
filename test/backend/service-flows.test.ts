// End to end through a running service process (`npm start`'s entry point): signed webhooks in,
// the app API out, and actions through the fake Stripe API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { APP_SECRET, newAccountId, signAppHeaders } from '../support/app-harness.js';
import { makeCustomer, makeInvoice, startFakeStripe, type FakeStripe } from '../support/fake-stripe.js';
import { invoicingRoutes } from '../support/fake-stripe-invoicing.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { signDelivery, stripeEvent, WEBHOOK_SECRET } from '../support/stripe-events.js';

let fake: FakeStripe;
let svc: ServiceProcess;
let dataDir: string;

beforeAll(async () => {
  fake = await startFakeStripe({ routes: invoicingRoutes() });
  dataDir = mkdtempSync(path.join(tmpdir(), 'tb-flows-'));
  svc = await startService({
    STRIPE_APP_SECRET: APP_SECRET,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_API_URL: fake.url,
    ...(inject('databaseEngine') === 'postgres' ? { DATABASE_URL: inject('databaseUrl') } : { DATA_DIR: dataDir }),
  });
}, 60_000);

afterAll(async () => {
  await svc?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function client(accountId: string) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${svc.url}${p}`, {
      method,
      headers: { ...signAppHeaders(accountId, 'usr_admin', { mode: 'test' }), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

async function postWebhook(event: unknown) {
  const { body, headers } = signDelivery(event);
  return fetch(`${svc.url}/webhooks/stripe`, { method: 'POST', headers, body });
}

describe('a running service', () => {
  it('shows a signed invoice.paid in the invoice list with its tenant and history, and in the stats', async () => {
    const account = newAccountId();
    const api = client(account);
    const tenant = (await api('POST', '/api/tenants', { name: 'Northwind' })).body;
    // the service has a Stripe key, so linking asks Stripe whether the customer exists
    fake.seedCustomers(account, [makeCustomer({ id: 'cus_northwind' })]);
    expect((await api('POST', `/api/tenants/${tenant.id}/links`, { gateway: 'stripe', external_id: 'cus_northwind' })).status).toBe(201);

    const invoice = makeInvoice({ customer: 'cus_northwind', status: 'paid', total: 12_345, currency: 'eur' });
    const delivery = await postWebhook(stripeEvent('invoice.paid', invoice, { account }));
    expect(delivery.status).toBe(200);

    const list = (await api('GET', '/api/invoices')).body;
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      external_id: invoice.id,
      status: 'paid',
      total: 12_345,
      amount_paid: 12_345,
      currency: 'eur',
      tenant: { id: tenant.id, name: 'Northwind' },
    });
    const detail = (await api('GET', `/api/invoices/${list.data[0].id}`)).body;
    expect(detail.history.map((h: any) => h.to_status)).toEqual(['paid']);
    expect(detail.history[0].source).toMatch(/^event:evt_/);

    const stats = (await api('GET', `/api/stats?tenant_id=${tenant.id}`)).body;
    expect(stats.currencies).toEqual([
      { currency: 'eur', total_revenue: 12_345, total_refunded: 0, pending_amount: 0, invoice_count: 1 },
    ]);
  });

  it('voids an invoice through the fake Stripe API: status, history and stats change', async () => {
    const account = newAccountId();
    const api = client(account);
    const customer = makeCustomer();
    const invoice = makeInvoice({ customer: customer.id, status: 'open', total: 40_000, currency: 'usd' });
    fake.seedCustomers(account, [customer]);
    fake.seedInvoices(account, [invoice]);
    expect((await postWebhook(stripeEvent('invoice.finalized', invoice, { account, created: invoice.created }))).status).toBe(200);

    const before = (await api('GET', '/api/stats')).body;
    expect(before.currencies[0]).toMatchObject({ currency: 'usd', pending_amount: 40_000 });
    const [ledger] = (await api('GET', '/api/invoices')).body.data;

    const voided = await api('POST', `/api/invoices/${ledger.id}/void`);
    expect(voided.status).toBe(200);
    expect(voided.body.invoice.status).toBe('void');
    expect(fake.account(account).invoices.get(invoice.id!)!.status).toBe('void');

    const detail = (await api('GET', `/api/invoices/${ledger.id}`)).body;
    expect(detail.history.map((h: any) => [h.from_status, h.to_status, h.source])).toEqual([
      [null, 'open', expect.stringMatching(/^event:/)],
      ['open', 'void', 'user:usr_admin'],
    ]);
    const after = (await api('GET', '/api/stats')).body;
    expect(after.currencies[0]).toMatchObject({ currency: 'usd', pending_amount: 0, invoice_count: 1 });
  });
});
