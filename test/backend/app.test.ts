import { createApp } from '../../backend/app.js';
import { connectUrl } from '../../backend/db/client.js';
import { createLogger } from '../../backend/logger.js';
import { createHarness, signAppHeaders, testConfig } from '../support/app-harness.js';

describe('app shell', () => {
  const h = createHarness();

  it('answers /healthz and /readyz', async () => {
    expect(await (await h.app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.app.request('/readyz');
    expect(ready.status).toBe(200);
  });

  it('says in /readyz which modes have a Stripe key, never the keys', async () => {
    const none = await (await h.app.request('/readyz')).json();
    expect(none).toMatchObject({ status: 'ready', stripe_modes: [] });
    const keyed = createHarness({ env: { STRIPE_SECRET_KEY: 'rk_test_readyzsecret,sk_live_readyzsecret' } });
    const res = await keyed.app.request('/readyz');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'ready', stripe_modes: ['live', 'test'] });
    expect(text).not.toContain('readyzsecret');
  });

  it('says not ready (503) when the database cannot be reached', async () => {
    const down = connectUrl('postgres://postgres@127.0.0.1:1/none', 1);
    const app = createApp({ config: testConfig(), sql: down.sql, logger: createLogger('silent'), now: () => new Date(), stripe: { live: null, test: null } });
    expect((await app.request('/readyz')).status).toBe(503);
    const res = await app.request('/api/tenants', { headers: signAppHeaders('acct_down') });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('database_unavailable');
    await down.close();
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const doc = await (await h.app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.0.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/settings', '/api/tenants', '/api/tenants/{id}', '/api/tenants/{id}/links']),
    );
    expect(doc.components.schemas.Tenant.properties).toHaveProperty('links');
  });

  it('refuses bodies over 1 MB with 413 in the error shape', async () => {
    const res = await h.api('POST', '/api/tenants', { name: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('sets secure headers and echoes a request id', async () => {
    const res = await h.app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await h.app.request('/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'not_found' });
  });
});
