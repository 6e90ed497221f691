import {
  InvoiceDetailSchema,
  InvoiceSchema,
  type InvoiceDetailResponse,
  type InvoiceResponse,
} from '../../../../backend/http/ledger-schemas.js';
import { listOf, type List } from '../../../../backend/http/schemas.js';
import { createHarness, fakeClock, type Harness } from '../../../support/app-harness.js';
import { harnessScope, seedEvent, seedInvoice, seedTenant } from '../../../support/ledger-seed.js';

const d = (iso: string) => new Date(iso);

async function list(h: Harness, qs = '', opts?: { mode?: string }): Promise<List<InvoiceResponse>> {
  const res = await h.api('GET', `/api/invoices${qs ? `?${qs}` : ''}`, undefined, opts);
  expect(res.status).toBe(200);
  return res.json();
}
const numbers = async (h: Harness, qs = '') => (await list(h, qs)).data.map((i) => i.number);

/** One account with a spread of invoices: every status, both gateways, two tenants, three currencies. */
async function ledger() {
  const h = createHarness({ clock: fakeClock('2026-03-01T00:00:00Z') });
  const scope = harnessScope(h);
  const acme = await seedTenant(h.sql, scope, 'Acme');
  const globex = await seedTenant(h.sql, scope, 'Globex');
  const seed = (over: Parameters<typeof seedInvoice>[2]) => seedInvoice(h.sql, scope, over);
  const ids = {
    paid: await seed({ number: 'ACME-0001', customer_id: 'cus_Acme1', tenant_id: acme.id, status: 'paid', amount_paid: 1000, amount_remaining: 0, created_at: d('2026-01-10T00:00:00Z'), hosted_url: 'https://invoice.stripe.com/i/1', pdf_url: 'https://pay.stripe.com/invoice/1/pdf' }),
    open: await seed({ number: 'ACME-0002', customer_id: 'cus_Acme1', tenant_id: acme.id, status: 'open', due_date: d('2026-03-15T00:00:00Z'), created_at: d('2026-01-20T00:00:00Z') }),
    pastDue: await seed({ number: 'GLX-0001', customer_id: 'cus_Globex', tenant_id: globex.id, status: 'open', due_date: d('2026-02-01T00:00:00Z'), created_at: d('2026-02-05T00:00:00Z') }),
    draft: await seed({ gateway: 'paypal', external_id: 'INV2-ABCD-EFGH', number: null, customer_id: 'PAYER7XYZ', currency: 'eur', status: 'draft', created_at: d('2026-02-10T00:00:00Z') }),
    void: await seed({ number: 'GLX-0002', customer_id: 'cus_Globex', tenant_id: globex.id, status: 'void', created_at: d('2026-02-15T00:00:00Z') }),
    uncollectible: await seed({ number: 'GLX-0003', customer_id: 'cus_Globex', tenant_id: globex.id, currency: 'jpy', total: 5000, amount_due: 5000, amount_remaining: 5000, status: 'uncollectible', created_at: d('2026-02-20T12:30:00Z') }),
    deleted: await seed({ number: 'DEL-0001', status: 'draft', deleted: true, created_at: d('2026-02-25T00:00:00Z') }),
    wild: await seed({ number: 'X_100%', created_at: d('2026-01-05T00:00:00Z') }),
    tame: await seed({ number: 'X1100a', created_at: d('2026-01-04T00:00:00Z') }),
  };
  return { h, scope, acme, globex, ids };
}

describe('GET /api/invoices', () => {
  it('lists the invoices newest first with the contract fields, leaving out deleted drafts', async () => {
    const { h, acme, ids } = await ledger();
    const body = await list(h);
    // the response is exactly what the published schema (and the app's types) say
    listOf(InvoiceSchema.strict()).parse(body);
    const { data, next_cursor } = body;
    expect(next_cursor).toBeNull();
    expect(data.map((i) => i.number)).toEqual(['GLX-0003', 'GLX-0002', null, 'GLX-0001', 'ACME-0002', 'ACME-0001', 'X_100%', 'X1100a']);
    const paid = data.find((i) => i.id === ids.paid)!;
    expect(Object.keys(paid).sort()).toEqual(
      ['id', 'gateway', 'external_id', 'number', 'tenant', 'customer_id', 'currency', 'total', 'tax', 'amount_due', 'amount_paid',
        'amount_remaining', 'amount_refunded', 'status', 'state', 'past_due', 'days_past_due', 'due_date', 'created_at', 'hosted_url',
        'pdf_url', 'dashboard_url'].sort(),
    );
    expect(paid).toMatchObject({
      gateway: 'stripe',
      tenant: { id: acme.id, name: 'Acme' },
      customer_id: 'cus_Acme1',
      currency: 'usd',
      total: 1000,
      amount_paid: 1000,
      amount_remaining: 0,
      amount_refunded: 0,
      status: 'paid',
      state: 'paid',
      past_due: false,
      days_past_due: 0,
      due_date: null,
      created_at: '2026-01-10T00:00:00.000Z',
      hosted_url: 'https://invoice.stripe.com/i/1',
      pdf_url: 'https://pay.stripe.com/invoice/1/pdf',
      dashboard_url: `https://dashboard.stripe.com/test/invoices/${paid.external_id}`,
    });
    expect(data.find((i) => i.id === ids.draft)).toMatchObject({ gateway: 'paypal', tenant: null, currency: 'eur', dashboard_url: null });
  });

  it('reports days past due against the injected clock', async () => {
    const { h, ids } = await ledger();
    const pastDue = (await list(h)).data.find((i) => i.id === ids.pastDue)!;
    expect(pastDue).toMatchObject({ status: 'open', state: 'past_due', past_due: true, days_past_due: 28, due_date: '2026-02-01T00:00:00.000Z' });
    h.clock.set('2026-05-02T00:00:00Z');
    expect((await list(h)).data.find((i) => i.id === ids.pastDue)!.days_past_due).toBe(90);
  });

  it.each([
    ['status=draft', [null]],
    ['status=open', ['GLX-0001', 'ACME-0002', 'X_100%', 'X1100a']],
    ['status=past_due', ['GLX-0001']],
    ['status=failed', []],
    ['status=paid', ['ACME-0001']],
    ['status=void', ['GLX-0002']],
    ['status=uncollectible', ['GLX-0003']],
    ['gateway=paypal', [null]],
    ['gateway=stripe&status=open', ['GLX-0001', 'ACME-0002', 'X_100%', 'X1100a']],
    ['from=2026-02-10', ['GLX-0003', 'GLX-0002', null]],
    ['to=2026-02-10', ['GLX-0001', 'ACME-0002', 'ACME-0001', 'X_100%', 'X1100a']],
    ['from=2026-01-10&to=2026-02-05', ['ACME-0002', 'ACME-0001']],
    ['from=2026-02-20T12:30:00Z', ['GLX-0003']],
    ['to=2026-02-20T12:30:00Z', ['GLX-0002', null, 'GLX-0001', 'ACME-0002', 'ACME-0001', 'X_100%', 'X1100a']],
    ['from=2026-02-20T14:00:00%2B02:00', ['GLX-0003']],
    ['from=2026-02-20T15:00:00%2B02:00', []],
    ['from=2026-01-10&to=2026-01-10', []],
    ['q=acme', ['ACME-0002', 'ACME-0001']],
    ['q=glx-000', ['GLX-0003', 'GLX-0002', 'GLX-0001']],
    ['q=inv2-abcd', [null]],
    ['q=payer7', [null]],
    ['q=CUS_GLOBEX&status=void', ['GLX-0002']],
    ['q=x_1', ['X_100%']],
    ['q=100%25', ['X_100%']],
    ['q=%25', ['X_100%']],
    ['q=', ['GLX-0003', 'GLX-0002', null, 'GLX-0001', 'ACME-0002', 'ACME-0001', 'X_100%', 'X1100a']],
    ['q=nothing-like-this', []],
  ])('filters by %s', async (qs, expected) => {
    const { h } = await ledger();
    expect(await numbers(h, qs)).toEqual(expected);
  });

  it('filters by tenant', async () => {
    const { h, acme, globex } = await ledger();
    expect(await numbers(h, `tenant_id=${acme.id}`)).toEqual(['ACME-0002', 'ACME-0001']);
    expect(await numbers(h, `tenant_id=${globex.id}&status=open`)).toEqual(['GLX-0001']);
    expect(await numbers(h, `tenant_id=${crypto.randomUUID()}`)).toEqual([]);
  });

  it('pages with opaque cursors that keep the filters’ order, without duplicates or gaps', async () => {
    const h = createHarness();
    const scope = harnessScope(h);
    const same = d('2026-02-01T00:00:00Z');
    for (let i = 0; i < 9; i++) {
      await seedInvoice(h.sql, scope, { number: `N-${i}`, created_at: i < 5 ? same : d(`2026-01-0${i}T00:00:00Z`) });
    }
    const all = (await list(h, 'limit=100')).data.map((i) => i.id);
    expect(all).toHaveLength(9);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: List<InvoiceResponse> = await list(h, `limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.data.map((i) => i.id));
      cursor = page.next_cursor;
      if (cursor) expect(cursor).not.toMatch(/[:+/=]/);
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it.each([
    'status=late',
    'status=OPEN',
    'gateway=square',
    'tenant_id=abc',
    'from=yesterday',
    'from=2026-02-30',
    'to=2026-13-01',
    'to=2026-02-01T10:00:00',
    'from=2026-03-01&to=2026-02-01',
    'limit=0',
    'limit=101',
    'cursor=garbage',
    `q=${'x'.repeat(201)}`,
  ])('answers 400 for %s', async (qs) => {
    const h = createHarness();
    const res = await h.api('GET', `/api/invoices?${qs}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: 'invalid_request', request_id: expect.any(String) });
    // the message names the offending parameter (the range check names `to`)
    expect(body.error.message).toContain(qs.startsWith('from=2026-03') ? 'to' : qs.split('=')[0]);
  });

  it('shows nothing of another account or the other mode (404 on detail)', async () => {
    const { h, ids } = await ledger();
    const intruder = createHarness();
    expect((await list(intruder)).data).toEqual([]);
    expect((await list(h, '', { mode: 'live' })).data).toEqual([]);
    expect((await intruder.api('GET', `/api/invoices/${ids.paid}`)).status).toBe(404);
    expect((await h.api('GET', `/api/invoices/${ids.paid}`, undefined, { mode: 'live' })).status).toBe(404);
    expect((await h.api('GET', `/api/invoices/${ids.paid}`)).status).toBe(200);
  });
});

describe('GET /api/invoices/:id', () => {
  it('answers the invoice with its history, events and payment details', async () => {
    const { h, scope, globex, ids } = await ledger();
    await seedInvoice(h.sql, scope, {
      number: 'GLX-0001',
      external_id: 'in_glx_1',
      status: 'open',
      payment_failed: true,
      tenant_id: globex.id,
      subscription_id: 'sub_1',
      collection_method: 'charge_automatically',
      attempt_count: 1,
      created_at: d('2026-02-06T00:00:00Z'),
    }, { time: d('2026-02-06T00:00:00Z'), eventId: 'evt_created' });
    const [fresh] = (await list(h, 'q=in_glx_1')).data;
    const evt = await seedEvent(h.sql, scope, { type: 'invoice.payment_failed', occurred_at: d('2026-02-07T00:00:00Z'), invoice_id: fresh.id });

    const res = await h.api('GET', `/api/invoices/${fresh.id}`);
    expect(res.status).toBe(200);
    const body: InvoiceDetailResponse = await res.json();
    InvoiceDetailSchema.strict().parse(body);
    expect(body).toMatchObject({
      id: fresh.id,
      tenant: { id: globex.id, name: 'Globex' },
      status: 'open',
      state: 'failed',
      past_due: true,
      days_past_due: 23,
      dashboard_url: 'https://dashboard.stripe.com/test/invoices/in_glx_1',
      subscription_id: 'sub_1',
      collection_method: 'charge_automatically',
      attempt_count: 1,
      history: [
        { from_status: null, to_status: 'open', at: '2026-02-06T00:00:00.000Z', source: 'event:evt_created', note: null },
        { from_status: 'open', to_status: 'past_due', at: '2026-02-06T00:00:00.000Z', source: 'event:evt_created', note: 'payment failed' },
      ],
      events: [{ id: evt, type: 'invoice.payment_failed', gateway: 'stripe', occurred_at: '2026-02-07T00:00:00.000Z', processed: true }],
    });
    expect(body.history).toHaveLength(2);
    expect((await h.api('GET', `/api/invoices/${ids.deleted}`)).status).toBe(404);
  });

  it('answers 404 for an id that is not a uuid or does not exist', async () => {
    const h = createHarness();
    for (const id of ['in_123', 'not-a-uuid', crypto.randomUUID()]) {
      const res = await h.api('GET', `/api/invoices/${id}`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });

  it('is documented in /openapi.json with its filters', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    const params = doc.paths['/api/invoices'].get.parameters;
    expect(params.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['tenant_id', 'status', 'gateway', 'from', 'to', 'q', 'limit', 'cursor']),
    );
    const status = params.find((p: { name: string }) => p.name === 'status');
    expect(status.schema.enum).toEqual(['draft', 'open', 'paid', 'uncollectible', 'void', 'past_due', 'failed']);
    expect(status.description).toMatch(/past_due/);
    expect(doc.paths['/api/invoices/{id}'].get.responses['200']).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Invoice', 'InvoiceDetail', 'HistoryEntry']));
  });
});
