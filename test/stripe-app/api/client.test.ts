import { fetchStripeSignature } from '@stripe/ui-extension-sdk/utils';
import { ApiError, createApiClient } from '../../../stripe-app/src/api/client';
import { BACKEND_URL, actionResult, apiError, context, fakeBackend, invoice, list, reply, tenant } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 't=1,v1=signed'),
}));

afterEach(() => vi.unstubAllGlobals());

describe('API client', () => {
  test('signs every request with the signature, user, account and mode headers', async () => {
    const backend = fakeBackend({
      'GET /api/settings': () => ({ paypal_webhook_id: null }),
      'PUT /api/settings': () => ({ paypal_webhook_id: 'WH1' }),
      'POST /api/invoices/inv_1/void': () => actionResult('void', { status: 'void' }),
      'DELETE /api/tenants/t1/links/l1': () => reply(204, null),
    });
    const live = createApiClient(context('settings', { mode: 'live' }));
    const test = createApiClient(context('settings', { mode: 'test' }));
    await live.getSettings();
    await test.updateSettings({ paypal_webhook_id: 'WH1' });
    await live.invoiceAction('inv_1', 'void');
    await test.removeLink('t1', 'l1');

    expect(backend.calls).toHaveLength(4);
    expect(fetchStripeSignature).toHaveBeenCalledTimes(4);
    // The mode it sends as stripe-mode is the mode it signs.
    expect(vi.mocked(fetchStripeSignature).mock.calls.map((args) => args[0])).toEqual([
      { livemode: true },
      { livemode: false },
      { livemode: true },
      { livemode: false },
    ]);
    for (const call of backend.calls) {
      expect(call.headers).toMatchObject({
        'stripe-signature': 't=1,v1=signed',
        'stripe-user-id': 'usr_admin',
        'stripe-account-id': 'acct_platform',
      });
    }
    expect(backend.calls.map((c) => c.headers['stripe-mode'])).toEqual(['live', 'test', 'live', 'test']);
    expect(backend.calls[1].headers['content-type']).toBe('application/json');
    expect(backend.calls[1].body).toEqual({ paypal_webhook_id: 'WH1' });
  });

  test('sends an idempotency key with each action, the same one when the caller resends', async () => {
    const backend = fakeBackend({ 'POST /api/invoices/inv_1/void': () => actionResult('void', { status: 'void' }) });
    const api = createApiClient(context('x'));
    await api.invoiceAction('inv_1', 'void');
    await api.invoiceAction('inv_1', 'void');
    await api.invoiceAction('inv_1', 'void', 'confirm-7');
    await api.invoiceAction('inv_1', 'void', 'confirm-7');
    const keys = backend.calls.map((c) => c.headers['idempotency-key']);
    expect(keys[0]).toMatch(/\w{8,}/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys.slice(2)).toEqual(['confirm-7', 'confirm-7']);
  });

  test('uses the manifest constant BACKEND_URL (trailing slash trimmed) and drops empty query values', async () => {
    const backend = fakeBackend({ 'GET /api/invoices': () => list([]) });
    const api = createApiClient(context('x'));
    await api.listInvoices({ status: 'past_due', gateway: undefined, q: '', limit: 25, cursor: null });
    const call = backend.calls[0];
    expect(call.url.origin).toBe(BACKEND_URL);
    expect(call.url.pathname).toBe('/api/invoices');
    expect([...call.url.searchParams]).toEqual([
      ['status', 'past_due'],
      ['limit', '25'],
    ]);
  });

  test('refuses to call anything without a BACKEND_URL constant', async () => {
    const backend = fakeBackend({});
    const ctx = context('x');
    ctx.environment.constants = {};
    await expect(createApiClient(ctx).getSettings()).rejects.toMatchObject({ code: 'not_configured' });
    expect(backend.calls).toHaveLength(0);
  });

  test('turns the error shape into an ApiError with the field issues and request id', async () => {
    fakeBackend({
      'PUT /api/settings': () =>
        apiError(400, 'invalid_request', 'notify_url: notify_url must be a URL', [
          { path: 'notify_url', message: 'notify_url must be a URL' },
        ]),
    });
    const err = await createApiClient(context('x'))
      .updateSettings({ notify_url: 'nope' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 400,
      code: 'invalid_request',
      requestId: 'req_test',
      issues: [{ path: 'notify_url', message: 'notify_url must be a URL' }],
    });
  });

  test('a network failure is an ApiError too', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    await expect(createApiClient(context('x')).stats()).rejects.toMatchObject({ code: 'network_error' });
  });

  test('finds the ledger invoice of a Stripe invoice id by exact external id', async () => {
    const backend = fakeBackend({
      'GET /api/invoices': () =>
        list([invoice({ id: 'a', external_id: 'in_1Abc2' }), invoice({ id: 'b', external_id: 'in_1Abc' })]),
    });
    const api = createApiClient(context('x'));
    expect((await api.findInvoiceByExternalId('in_1Abc'))?.id).toBe('b');
    expect(backend.calls[0].url.searchParams.get('q')).toBe('in_1Abc');
    expect(await api.findInvoiceByExternalId('in_other')).toBeNull();
  });

  test('finds the tenant linked to a customer with the link filter', async () => {
    const linked = tenant({
      id: 't2',
      links: [{ id: 'l1', gateway: 'stripe', external_id: 'cus_9', created_at: '2026-01-01T00:00:00.000Z' }],
    });
    const backend = fakeBackend({
      'GET /api/tenants': (req) => (req.url.searchParams.get('link') === 'cus_9' ? list([linked]) : list([])),
    });
    const api = createApiClient(context('x'));
    expect((await api.findTenantByLink('stripe', 'cus_9'))?.id).toBe('t2');
    expect(backend.calls[0].url.searchParams.get('link')).toBe('cus_9');
    expect(await api.findTenantByLink('stripe', 'cus_none')).toBeNull();
  });
});
