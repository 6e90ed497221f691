import { createHarness } from '../../../support/app-harness.js';
import { makeCustomer, startFakeStripe, type FakeStripe } from '../../../support/fake-stripe.js';

async function json(res: Response) {
  return res.json() as Promise<any>;
}

describe('tenants', () => {
  it('creates, reads, renames and deletes a tenant', async () => {
    const h = createHarness();
    const created = await h.api('POST', '/api/tenants', { name: ' Acme Corp ', external_ref: 'acme' });
    expect(created.status).toBe(201);
    const t = await json(created);
    expect(t).toMatchObject({ name: 'Acme Corp', external_ref: 'acme', customer_reminders: false, links: [] });

    const renamed = await h.api('PATCH', `/api/tenants/${t.id}`, { name: 'Acme Inc', customer_reminders: true });
    expect(await json(renamed)).toMatchObject({ id: t.id, name: 'Acme Inc', external_ref: 'acme', customer_reminders: true });

    expect((await h.api('DELETE', `/api/tenants/${t.id}`)).status).toBe(204);
    expect((await h.api('GET', `/api/tenants/${t.id}`)).status).toBe(404);
  });

  it.each([
    [{}, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: 'A', color: 'red' }, ''],
    [{ name: 42 }, 'name'],
  ])('refuses %j with 400 and stores nothing', async (body, field) => {
    const h = createHarness();
    const res = await h.api('POST', '/api/tenants', body);
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain(field);
    expect((await json(await h.api('GET', '/api/tenants'))).data).toEqual([]);
  });

  it('refuses a duplicate external_ref with 409', async () => {
    const h = createHarness();
    await h.api('POST', '/api/tenants', { name: 'A', external_ref: 'same' });
    const res = await h.api('POST', '/api/tenants', { name: 'B', external_ref: 'same' });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('conflict');
  });

  it('lists newest first with keyset pagination and search', async () => {
    const h = createHarness();
    for (let i = 0; i < 5; i++) await h.api('POST', '/api/tenants', { name: `Tenant ${i}` });
    const first = await json(await h.api('GET', '/api/tenants?limit=2'));
    expect(first.data.map((t: any) => t.name)).toEqual(['Tenant 4', 'Tenant 3']);
    const second = await json(await h.api('GET', `/api/tenants?limit=2&cursor=${first.next_cursor}`));
    expect(second.data.map((t: any) => t.name)).toEqual(['Tenant 2', 'Tenant 1']);
    const third = await json(await h.api('GET', `/api/tenants?limit=2&cursor=${second.next_cursor}`));
    expect(third.data.map((t: any) => t.name)).toEqual(['Tenant 0']);
    expect(third.next_cursor).toBeNull();
    const found = await json(await h.api('GET', '/api/tenants?q=ant%203'));
    expect(found.data.map((t: any) => t.name)).toEqual(['Tenant 3']);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=garbage'])('answers 400 for %s', async (qs) => {
    const h = createHarness();
    expect((await h.api('GET', `/api/tenants?${qs}`)).status).toBe(400);
  });

  it('links gateway identities, one tenant per identity (409), and unlinks', async () => {
    const h = createHarness();
    const a = await json(await h.api('POST', '/api/tenants', { name: 'A' }));
    const b = await json(await h.api('POST', '/api/tenants', { name: 'B' }));
    const link = await h.api('POST', `/api/tenants/${a.id}/links`, { gateway: 'stripe', external_id: 'cus_123' });
    expect(link.status).toBe(201);
    const l = await json(link);
    expect(l).toMatchObject({ gateway: 'stripe', external_id: 'cus_123' });
    expect((await h.api('POST', `/api/tenants/${a.id}/links`, { gateway: 'paypal', external_id: 'I-BW452GLLEP1G' })).status).toBe(201);

    const dup = await h.api('POST', `/api/tenants/${b.id}/links`, { gateway: 'stripe', external_id: 'cus_123' });
    expect(dup.status).toBe(409);
    const fetched = await json(await h.api('GET', `/api/tenants/${a.id}`));
    expect(fetched.links.map((x: any) => x.external_id)).toEqual(['cus_123', 'I-BW452GLLEP1G']);

    expect((await h.api('DELETE', `/api/tenants/${a.id}/links/${l.id}`)).status).toBe(204);
    expect((await h.api('DELETE', `/api/tenants/${a.id}/links/${l.id}`)).status).toBe(404);
    expect((await h.api('POST', `/api/tenants/${b.id}/links`, { gateway: 'stripe', external_id: 'cus_123' })).status).toBe(201);
    const byLink = await json(await h.api('GET', '/api/tenants?link=cus_123'));
    expect(byLink.data.map((t: any) => t.name)).toEqual(['B']);
    expect((await json(await h.api('GET', '/api/tenants?link=cus_none'))).data).toEqual([]);
  });

  it.each([
    [{ gateway: 'stripe', external_id: 'in_123' }],
    [{ gateway: 'paypal', external_id: 'cus_123' }],
    [{ gateway: 'square', external_id: 'x' }],
    [{ gateway: 'stripe' }],
  ])('refuses link %j with 400', async (body) => {
    const h = createHarness();
    const a = await json(await h.api('POST', '/api/tenants', { name: 'A' }));
    expect((await h.api('POST', `/api/tenants/${a.id}/links`, body)).status).toBe(400);
    expect((await json(await h.api('GET', `/api/tenants/${a.id}`))).links).toEqual([]);
  });

  it('hides another account’s tenants (404, never 403) and keeps modes apart', async () => {
    const owner = createHarness();
    const intruder = createHarness();
    const t = await json(await owner.api('POST', '/api/tenants', { name: 'Private', external_ref: 'p' }));
    for (const [method, path, body] of [
      ['GET', `/api/tenants/${t.id}`],
      ['PATCH', `/api/tenants/${t.id}`, { name: 'Hacked' }],
      ['DELETE', `/api/tenants/${t.id}`],
      ['POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: 'cus_999' }],
    ] as const) {
      expect((await intruder.api(method, path, body)).status).toBe(404);
      expect((await owner.api(method === 'GET' ? 'GET' : 'GET', path.replace(/\/links$/, ''), undefined, { mode: 'live' })).status).toBe(404);
    }
    expect((await json(await intruder.api('GET', '/api/tenants'))).data).toEqual([]);
    expect((await json(await owner.api('GET', '/api/tenants', undefined, { mode: 'live' }))).data).toEqual([]);
    // The same external_ref and the same customer may exist in the other mode and account.
    expect((await owner.api('POST', '/api/tenants', { name: 'Live twin', external_ref: 'p' }, { mode: 'live' })).status).toBe(201);
    const mine = await json(await owner.api('GET', `/api/tenants/${t.id}`));
    expect(mine.name).toBe('Private');
    expect(mine.links).toEqual([]);
  });

  it('answers 404 for an id that is not a uuid', async () => {
    const h = createHarness();
    expect((await h.api('GET', '/api/tenants/not-a-uuid')).status).toBe(404);
  });
});

describe('linking checks the Stripe customer', () => {
  let fake: FakeStripe;
  beforeEach(async () => {
    fake = await startFakeStripe();
  });
  afterEach(async () => {
    await fake.close();
  });
  const withKey = () => createHarness({ env: { STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url } });
  const newTenant = async (h: ReturnType<typeof createHarness>) => json(await h.api('POST', '/api/tenants', { name: 'Sakura' }));

  it('refuses a customer Stripe does not know (400 customer_not_found) and stores nothing', async () => {
    const h = withKey();
    fake.seedCustomers(h.accountId, [makeCustomer()]); // the account is connected and has other customers
    const t = await newTenant(h);
    const res = await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: 'cus_NewSakuraBranch' });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error).toMatchObject({ code: 'customer_not_found' });
    expect(body.error.message).toContain('cus_NewSakuraBranch');
    expect(body.error.message).toContain('test mode');
    expect(body.error.request_id).toBeTruthy();
    expect(JSON.stringify(body)).not.toContain(fake.secretKey);
    expect((await json(await h.api('GET', `/api/tenants/${t.id}`))).links).toEqual([]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/customers/cus_NewSakuraBranch']);
  });

  it('links a customer Stripe knows, saying it was checked', async () => {
    const h = withKey();
    const customer = makeCustomer();
    fake.seedCustomers(h.accountId, [customer]);
    const t = await newTenant(h);
    const res = await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: customer.id });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ gateway: 'stripe', external_id: customer.id, checked: true, unchecked_reason: null });
    expect((await json(await h.api('GET', `/api/tenants/${t.id}`))).links.map((l: any) => l.external_id)).toEqual([customer.id]);
  });

  it('refuses a deleted customer', async () => {
    const h = withKey();
    const customer = { ...makeCustomer(), deleted: true } as unknown as ReturnType<typeof makeCustomer>;
    fake.seedCustomers(h.accountId, [customer]);
    const t = await newTenant(h);
    const res = await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: customer.id });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('was deleted');
  });

  it('without a key for the mode: links unchecked and says why', async () => {
    const h = createHarness();
    const t = await newTenant(h);
    const res = await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: 'cus_Unchecked1' });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ checked: false, unchecked_reason: expect.stringContaining('no Stripe key for test mode') });

    // a test key cannot see live customers: a live-mode link is stored unchecked, Stripe is not asked
    const k = withKey();
    const live = json(await k.api('POST', '/api/tenants', { name: 'Live' }, { mode: 'live' }));
    const linked = await k.api('POST', `/api/tenants/${(await live).id}/links`, { gateway: 'stripe', external_id: 'cus_Live1' }, { mode: 'live' });
    expect(linked.status).toBe(201);
    expect((await json(linked)).unchecked_reason).toContain('live mode');
    expect(fake.requests).toHaveLength(0);
  });

  it('an unknown tenant answers 404 before Stripe is asked; PayPal ids are stored unchecked', async () => {
    const h = withKey();
    const res = await h.api('POST', '/api/tenants/00000000-0000-4000-8000-000000000000/links', { gateway: 'stripe', external_id: 'cus_1' });
    expect(res.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
    const t = await newTenant(h);
    const pp = await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'paypal', external_id: 'I-BW452GLLEP1G' });
    expect(await json(pp)).toMatchObject({ checked: false, unchecked_reason: 'PayPal identities are not checked' });
  });

  it('a Stripe failure other than a missing customer is reported, not taken as missing', async () => {
    const h = withKey();
    const t = await newTenant(h);
    fake.addFault((req) =>
      req.path.startsWith('/v1/customers/') ? { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } } : undefined,
    );
    const res = await h.api('POST', `/api/tenants/${t.id}/links`, { gateway: 'stripe', external_id: 'cus_1' });
    expect(res.status).toBe(502);
    expect((await json(res)).error.code).toBe('stripe_not_authorized');
    expect((await json(await h.api('GET', `/api/tenants/${t.id}`))).links).toEqual([]);
  });
});
