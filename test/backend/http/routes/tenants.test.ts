import { createHarness } from '../../../support/app-harness.js';

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
