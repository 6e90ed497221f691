import { createHarness, OLD_APP_SECRET, signAppHeaders } from '../../../support/app-harness.js';

describe('app signature auth on /api', () => {
  const h = createHarness();
  const get = (headers: Record<string, string>) => h.app.request('/api/settings', { headers });

  it('accepts a valid signature and scopes the call to the signed account', async () => {
    const res = await get(signAppHeaders(h.accountId));
    expect(res.status).toBe(200);
  });

  it('refuses a call with no headers', async () => {
    const res = await get({});
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.request_id).toMatch(/^req_/);
  });

  it('refuses a bad signature', async () => {
    const headers = signAppHeaders(h.accountId, 'usr_test', { secret: 'absec_not_ours' });
    expect((await get(headers)).status).toBe(401);
  });

  it('refuses a signature made for another account', async () => {
    const headers = { ...signAppHeaders('acct_someoneelse'), 'stripe-account-id': h.accountId };
    expect((await get(headers)).status).toBe(401);
  });

  it('refuses a signature made for another user', async () => {
    const headers = { ...signAppHeaders(h.accountId, 'usr_a'), 'stripe-user-id': 'usr_b' };
    expect((await get(headers)).status).toBe(401);
  });

  it('refuses a stale timestamp (older than 300 s)', async () => {
    const stale = Math.floor(h.clock.now().getTime() / 1000) - 301;
    expect((await get(signAppHeaders(h.accountId, 'usr_test', { timestamp: stale }))).status).toBe(401);
    const fresh = Math.floor(h.clock.now().getTime() / 1000) - 290;
    expect((await get(signAppHeaders(h.accountId, 'usr_test', { timestamp: fresh }))).status).toBe(200);
  });

  it('accepts a signature from the rotated (second) secret', async () => {
    expect((await get(signAppHeaders(h.accountId, 'usr_test', { secret: OLD_APP_SECRET }))).status).toBe(200);
  });

  it('refuses a stripe-mode other than live or test with 401', async () => {
    const res = await get({ ...signAppHeaders(h.accountId, 'usr_test', { mode: 'test' }), 'stripe-mode': 'sandbox' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  // Issue 12, "What was seen" 3: the mode was not covered by the signature.
  it('refuses a test-mode signature sent with stripe-mode: live', async () => {
    const testMode = signAppHeaders(h.accountId, 'usr_test', { mode: 'test' });
    expect((await get(testMode)).status).toBe(200);
    const res = await get({ ...testMode, 'stripe-mode': 'live' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
    // and the other way round
    const liveMode = signAppHeaders(h.accountId, 'usr_test', { mode: 'live' });
    expect((await get(liveMode)).status).toBe(200);
    expect((await get({ ...liveMode, 'stripe-mode': 'test' })).status).toBe(401);
  });

  it('refuses a call without stripe-mode', async () => {
    const { 'stripe-mode': _mode, ...headers } = signAppHeaders(h.accountId, 'usr_test', { mode: 'live' });
    const res = await get(headers);
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/stripe-mode/);
  });

  it('refuses a timestamp more than 60 s in the future; 30 s ahead is clock skew and passes', async () => {
    const now = Math.floor(h.clock.now().getTime() / 1000);
    expect((await get(signAppHeaders(h.accountId, 'usr_test', { mode: 'test', timestamp: now + 120 }))).status).toBe(401);
    expect((await get(signAppHeaders(h.accountId, 'usr_test', { mode: 'test', timestamp: now + 30 }))).status).toBe(200);
  });

  it('answers CORS preflight without a signature', async () => {
    const res = await h.app.request('/api/tenants', {
      method: 'OPTIONS',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'stripe-signature,stripe-account-id,stripe-user-id,stripe-mode,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('stripe-signature');
  });

  it('answers 503 when no app secret is configured', async () => {
    const bare = createHarness({ env: { STRIPE_APP_SECRET: '' } });
    const res = await bare.app.request('/api/settings', { headers: signAppHeaders(bare.accountId) });
    expect(res.status).toBe(503);
  });
});
