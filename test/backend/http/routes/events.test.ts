import {
  EventDetailSchema,
  EventSchema,
  type EventDetailResponse,
  type EventResponse,
} from '../../../../backend/http/ledger-schemas.js';
import { listOf, type List } from '../../../../backend/http/schemas.js';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { harnessScope, seedEvent, seedInvoice, seedTenant } from '../../../support/ledger-seed.js';

const d = (iso: string) => new Date(iso);

async function list(h: Harness, qs = '', opts?: { mode?: string }): Promise<List<EventResponse>> {
  const res = await h.api('GET', `/api/events${qs ? `?${qs}` : ''}`, undefined, opts);
  expect(res.status).toBe(200);
  return res.json();
}
const eventIds = async (h: Harness, qs = '') => (await list(h, qs)).data.map((e) => e.event_id);

/** One account with events of both gateways, two tenants, a failed and an ignored one. */
async function log() {
  const h = createHarness();
  const scope = harnessScope(h);
  const acme = await seedTenant(h.sql, scope, 'Acme');
  const globex = await seedTenant(h.sql, scope, 'Globex');
  const invoice = await seedInvoice(h.sql, scope, { number: 'ACME-7', total: 2500, currency: 'gbp', tenant_id: acme.id, status: 'paid', amount_paid: 2500, amount_remaining: 0 });
  const seed = (o: Parameters<typeof seedEvent>[2]) => seedEvent(h.sql, scope, o);
  const ids = {
    paid: await seed({ event_id: 'evt_paid', type: 'invoice.paid', occurred_at: d('2026-01-10T00:00:00Z'), invoice_id: invoice, tenant_id: acme.id }),
    failed: await seed({ event_id: 'evt_failed', type: 'invoice.payment_failed', occurred_at: d('2026-01-20T00:00:00Z'), fail: 'no such customer' }),
    ignored: await seed({ event_id: 'evt_ignored', type: 'balance.available', occurred_at: d('2026-02-01T00:00:00Z'), ignored: true }),
    paypal: await seed({ gateway: 'paypal', event_id: 'WH-1AB', type: 'PAYMENT.SALE.COMPLETED', occurred_at: d('2026-02-10T08:00:00Z'), tenant_id: globex.id, payload: { id: 'WH-1AB', event_type: 'PAYMENT.SALE.COMPLETED', resource: { amount: { total: '9.99', currency: 'USD' } } } }),
  };
  return { h, scope, acme, globex, invoice, ids };
}

describe('GET /api/events', () => {
  it('lists events newest first with tenant, processing state and linked invoice', async () => {
    const { h, acme, globex, invoice } = await log();
    const body = await list(h);
    listOf(EventSchema.strict()).parse(body);
    const { data, next_cursor } = body;
    expect(next_cursor).toBeNull();
    expect(data.map((e) => e.event_id)).toEqual(['WH-1AB', 'evt_ignored', 'evt_failed', 'evt_paid']);
    expect(Object.keys(data[0]).sort()).toEqual(
      ['id', 'gateway', 'type', 'event_id', 'tenant', 'processed', 'state', 'ignored', 'error', 'received_at', 'occurred_at', 'invoice'].sort(),
    );
    expect(data[0]).toMatchObject({ gateway: 'paypal', type: 'PAYMENT.SALE.COMPLETED', tenant: { id: globex.id, name: 'Globex' }, processed: true, ignored: false, error: null, occurred_at: '2026-02-10T08:00:00.000Z', invoice: null });
    expect(data[0].received_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(data[0].state).toBe('processed');
    expect(data[1]).toMatchObject({ processed: true, state: 'ignored', ignored: true, tenant: null });
    expect(data[2]).toMatchObject({ processed: false, state: 'failed', error: 'no such customer', tenant: null, invoice: null });
    expect(data[3]).toMatchObject({
      tenant: { id: acme.id, name: 'Acme' },
      invoice: { id: invoice, number: 'ACME-7', total: 2500, currency: 'gbp', status: 'paid' },
    });
  });

  it.each([
    ['gateway=paypal', ['WH-1AB']],
    ['gateway=stripe', ['evt_ignored', 'evt_failed', 'evt_paid']],
    ['type=invoice.paid', ['evt_paid']],
    ['type=PAYMENT.SALE.COMPLETED', ['WH-1AB']],
    ['type=invoice', []],
    ['processed=false', ['evt_failed']],
    ['processed=true', ['WH-1AB', 'evt_ignored', 'evt_paid']],
    ['from=2026-01-20', ['WH-1AB', 'evt_ignored', 'evt_failed']],
    ['to=2026-01-20', ['evt_paid']],
    ['from=2026-01-15&to=2026-02-10T08:00:00Z', ['evt_ignored', 'evt_failed']],
    ['from=2026-02-10T08:00:00.001Z', []],
  ])('filters by %s', async (qs, expected) => {
    const { h } = await log();
    expect(await eventIds(h, qs)).toEqual(expected);
  });

  it('filters by tenant', async () => {
    const { h, acme, globex } = await log();
    expect(await eventIds(h, `tenant_id=${acme.id}`)).toEqual(['evt_paid']);
    expect(await eventIds(h, `tenant_id=${globex.id}`)).toEqual(['WH-1AB']);
    expect(await eventIds(h, `tenant_id=${globex.id}&gateway=stripe`)).toEqual([]);
  });

  it('pages through same-instant events without duplicates or gaps', async () => {
    const h = createHarness();
    const scope = harnessScope(h);
    for (let i = 0; i < 7; i++) await seedEvent(h.sql, scope, { occurred_at: d(i < 4 ? '2026-01-05T00:00:00Z' : `2026-01-0${i - 3}T00:00:00Z`) });
    const all = (await list(h, 'limit=100')).data.map((e) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: List<EventResponse> = await list(h, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(paged).size).toBe(7);
    expect(paged).toEqual(all);
  });

  it.each([
    'gateway=square',
    'processed=yes',
    'processed=1',
    'tenant_id=acme',
    'type=invoice%20paid',
    'from=01/02/2026',
    'to=2026-02-01T10:00',
    'from=2026-02-02&to=2026-02-01',
    'limit=1000',
    'cursor=WzEsMl0',
  ])('answers 400 for %s', async (qs) => {
    const h = createHarness();
    const res = await h.api('GET', `/api/events?${qs}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('shows nothing of another account or the other mode', async () => {
    const { h, ids } = await log();
    const intruder = createHarness();
    expect((await list(intruder)).data).toEqual([]);
    expect((await list(h, '', { mode: 'live' })).data).toEqual([]);
    expect((await intruder.api('GET', `/api/events/${ids.paid}`)).status).toBe(404);
    expect((await h.api('GET', `/api/events/${ids.paid}`, undefined, { mode: 'live' })).status).toBe(404);
  });
});

describe('GET /api/events/:id', () => {
  it('answers the event with its payload and linked invoice', async () => {
    const { h, ids, invoice } = await log();
    const res = await h.api('GET', `/api/events/${ids.paid}`);
    expect(res.status).toBe(200);
    const body: EventDetailResponse = await res.json();
    EventDetailSchema.strict().parse(body);
    expect(body).toMatchObject({
      id: ids.paid,
      event_id: 'evt_paid',
      payload: { id: 'evt_paid', object: 'event', type: 'invoice.paid' },
      invoice: { id: invoice, number: 'ACME-7' },
      processed: true,
    });
    const paypal: EventDetailResponse = await (await h.api('GET', `/api/events/${ids.paypal}`)).json();
    expect(paypal.payload).toEqual({ id: 'WH-1AB', event_type: 'PAYMENT.SALE.COMPLETED', resource: { amount: { total: '9.99', currency: 'USD' } } });
  });

  it('answers 404 for ids that are not uuids or not there', async () => {
    const h = createHarness();
    for (const id of ['evt_123', crypto.randomUUID()]) expect((await h.api('GET', `/api/events/${id}`)).status).toBe(404);
  });
});

describe('POST /api/events/:id/replay', () => {
  it('answers 200 with processed=false and the error when the replay fails again, changing nothing else', async () => {
    const h = createHarness();
    const scope = harnessScope(h);
    // An invoice event whose invoice lacks every field: no gateway processor can apply it.
    const id = await seedEvent(h.sql, scope, {
      event_id: 'evt_broken',
      type: 'invoice.paid',
      object_id: 'in_broken',
      fail: 'first failure',
      payload: { id: 'evt_broken', object: 'event', type: 'invoice.paid', created: 1767225600, data: { object: { id: 'in_broken', object: 'invoice' } } },
    });
    const res = await h.api('POST', `/api/events/${id}/replay`);
    expect(res.status).toBe(200);
    const body: EventDetailResponse = await res.json();
    expect(body).toMatchObject({ id, event_id: 'evt_broken', processed: false, invoice: null });
    expect(body.error).toEqual(expect.any(String));
    expect(body.error).not.toBe('first failure');
    const stored: EventDetailResponse = await (await h.api('GET', `/api/events/${id}`)).json();
    expect(stored).toMatchObject({ processed: false, error: body.error });
    expect((await (await h.api('GET', '/api/invoices')).json()).data).toEqual([]);
  });

  it('answers 404 for another account’s, the other mode’s, or a non-uuid id', async () => {
    const h = createHarness();
    const id = await seedEvent(h.sql, harnessScope(h), { fail: 'kept' });
    const intruder = createHarness();
    expect((await intruder.api('POST', `/api/events/${id}/replay`)).status).toBe(404);
    expect((await h.api('POST', `/api/events/${id}/replay`, undefined, { mode: 'live' })).status).toBe(404);
    expect((await h.api('POST', '/api/events/evt_1/replay')).status).toBe(404);
    expect((await (await h.api('GET', `/api/events/${id}`)).json()).error).toBe('kept');
  });

  it('is documented in /openapi.json', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    const names = doc.paths['/api/events'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['gateway', 'type', 'tenant_id', 'from', 'to', 'processed']));
    expect(doc.paths['/api/events/{id}'].get).toBeDefined();
    expect(doc.paths['/api/events/{id}/replay'].post).toBeDefined();
  });
});
