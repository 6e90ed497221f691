import { render } from '@stripe/ui-extension-sdk/testing';
import { createApiClient } from '../../../stripe-app/src/api/client';
import { FirstRun } from '../../../stripe-app/src/components/FirstRun';
import { fakeHost } from '../host';
import { BACKEND_URL, apiError, context, fakeBackend, findAll, press, seen, settle, syncRun } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

function mount(onImported = vi.fn()) {
  const ctx = context('stripe.dashboard.fullpage');
  const api = createApiClient(ctx);
  return render(
    <FirstRun api={api} environment={ctx.environment} accountId={ctx.userContext.account.id} locale="en-US" onImported={onImported} />,
  );
}

describe('FirstRun', () => {
  test('shows the webhook URLs to configure and an import button', async () => {
    fakeBackend({ 'GET /api/sync': () => ({ state: 'never_run' }) });
    const { wrapper, update } = mount();
    await settle(update);
    const values = findAll(wrapper, 'TextField').map((f) => f.props.value);
    expect(values).toEqual([`${BACKEND_URL}/webhooks/stripe`, `${BACKEND_URL}/webhooks/paypal/acct_platform`]);
    expect(seen(wrapper)).toContain('No invoices yet');
    expect(findAll(wrapper, 'Button').map((b) => b.text)).toEqual(['Import from Stripe']);
  });

  test('Import from Stripe starts a backfill and re-reads the list when it has finished', async () => {
    fakeHost();
    const onImported = vi.fn();
    const backend = fakeBackend({
      'GET /api/sync': () =>
        backend.to('POST', '/api/sync').length === 0 ? { state: 'never_run' } : syncRun({ id: 's9' }),
      'POST /api/sync': () => syncRun({ id: 's9', state: 'running', phase: 'customers', finished_at: null }),
    });
    const { wrapper, update } = mount(onImported);
    await settle(update);
    press(wrapper, 'Import from Stripe');
    await settle(update);
    expect(backend.to('POST', '/api/sync')).toHaveLength(1);
    expect(onImported).toHaveBeenCalledTimes(1);
    expect(seen(wrapper)).toContain('Last import finished');
  });

  test('without a Stripe key for the mode: the backend’s reason is shown', async () => {
    const host = fakeHost();
    fakeBackend({
      'GET /api/sync': () => ({ state: 'never_run' }),
      'POST /api/sync': () => apiError(503, 'stripe_not_configured', 'no Stripe key for test mode'),
    });
    const { wrapper, update } = mount();
    await settle(update);
    press(wrapper, 'Import from Stripe');
    await settle(update);
    expect(seen(wrapper)).toContain('no Stripe key for test mode (request req_test)');
    expect(host.toasts[0]).toMatchObject({ type: 'caution' });
  });
});
