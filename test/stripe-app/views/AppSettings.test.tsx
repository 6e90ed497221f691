import { render } from '@stripe/ui-extension-sdk/testing';
import { SettingsView, Spinner } from '@stripe/ui-extension-sdk/ui';
import AppSettings from '../../../stripe-app/src/views/AppSettings';
import type { SettingsResponse } from '../../../stripe-app/src/api/contract';
import { fakeHost } from '../host';
import { BACKEND_URL, apiError, context, fakeBackend, findAll, pending, press, seen, settle, syncRun, trigger } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const saved = (over: Partial<SettingsResponse> = {}): SettingsResponse => ({
  paypal_webhook_id: 'WH7X',
  tenant_metadata_key: 'tenant_id',
  notify_url: null,
  past_due_grace_days: 3,
  reminder_steps: [1, 7],
  daily_digest: false,
  notify_secret: 'nsec_abc',
  ...over,
});

const type = (wrapper: Parameters<typeof trigger>[0], label: string, value: string) =>
  trigger(wrapper, 'TextField', (f) => String(f.props.label).startsWith(label), 'onChange', { target: { value } });
const field = (wrapper: Parameters<typeof trigger>[0], label: string) =>
  findAll(wrapper, 'TextField').find((f) => String(f.props.label).startsWith(label))!.props;
const save = (wrapper: ReturnType<typeof render>['wrapper']) => wrapper.find(SettingsView)!.trigger('onSave', {});

describe('AppSettings', () => {
  test('loading', async () => {
    fakeBackend({ 'GET /api/settings': pending, 'GET /api/sync': pending });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    expect(wrapper).toContainComponent(Spinner);
  });

  test('error, then retry', async () => {
    let fail = true;
    fakeBackend({
      'GET /api/settings': () => (fail ? apiError(500, 'internal_error', 'internal error') : saved()),
      'GET /api/sync': () => ({ state: 'never_run' }),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Could not load the settings');
    fail = false;
    press(wrapper, 'Try again');
    await settle(update);
    expect(field(wrapper, 'PayPal webhook id').value).toBe('WH7X');
  });

  test('filled: the mode, current values, and the PayPal webhook URL of this account', async () => {
    fakeBackend({
      'GET /api/settings': () => saved(),
      'GET /api/sync': () => syncRun(),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings', { mode: 'live' })} />);
    await settle(update);
    expect(seen(wrapper)).toContain('These settings apply to live mode');
    expect(field(wrapper, 'PayPal webhook URL').value).toBe(`${BACKEND_URL}/webhooks/paypal/acct_platform`);
    expect(field(wrapper, 'Stripe webhook URL').value).toBe(`${BACKEND_URL}/webhooks/stripe`);
    expect(field(wrapper, 'PayPal webhook id (live)').value).toBe('WH7X');
    expect(field(wrapper, 'Grace days').value).toBe('3');
    expect(field(wrapper, 'Reminder steps').value).toBe('1, 7');
    expect(field(wrapper, 'Notification URL').value).toBe('');
    expect(seen(wrapper)).toContain('Last import finished: 3 customers, 12 invoices');
  });

  test('saving sends the edited settings and shows the saved state', async () => {
    const backend = fakeBackend({
      'GET /api/settings': () => saved(),
      'GET /api/sync': () => ({ state: 'never_run' }),
      'PUT /api/settings': (req) => ({ ...saved(), ...(req.body as object) }),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings', { mode: 'test' })} />);
    await settle(update);
    type(wrapper, 'Notification URL', 'https://ops.example.com/past-due');
    type(wrapper, 'Reminder steps', '14, 1 7');
    type(wrapper, 'PayPal webhook id', '');
    await settle(update);
    await save(wrapper);
    await settle(update);
    const put = backend.last('PUT', '/api/settings');
    expect(put.headers['stripe-mode']).toBe('test');
    expect(put.body).toEqual({
      paypal_webhook_id: null,
      tenant_metadata_key: 'tenant_id',
      notify_url: 'https://ops.example.com/past-due',
      past_due_grace_days: 3,
      reminder_steps: [14, 1, 7],
      daily_digest: false,
    });
    expect(wrapper.find(SettingsView)!.prop('statusMessage')).toBe('Saved test-mode settings.');
  });

  test('the daily digest switch beside the notification URL shows the saved choice and saves the new one', async () => {
    const backend = fakeBackend({
      'GET /api/settings': () => saved({ notify_url: 'https://ops.example.com/hook' }),
      'GET /api/sync': () => ({ state: 'never_run' }),
      'PUT /api/settings': (req) => ({ ...saved(), ...(req.body as object) }),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    const digest = () => findAll(wrapper, 'Switch').find((s) => s.props.label === 'Daily digest')!;
    expect(digest().props.checked).toBe(false);
    // it sits in the same section as the per-invoice notifications' URL
    const text = seen(wrapper);
    expect(text.indexOf('Daily digest')).toBeGreaterThan(text.indexOf('Notification URL'));
    expect(text.indexOf('Daily digest')).toBeLessThan(text.indexOf('Import from Stripe'));
    trigger(wrapper, 'Switch', (s) => s.props.label === 'Daily digest', 'onChange', { target: { checked: true } });
    await settle(update);
    expect(digest().props.checked).toBe(true);
    await save(wrapper);
    await settle(update);
    expect(backend.last('PUT', '/api/settings').body).toMatchObject({ daily_digest: true, notify_url: 'https://ops.example.com/hook' });
    expect(digest().props.checked).toBe(true);
    expect(wrapper.find(SettingsView)!.prop('statusMessage')).toBe('Saved test-mode settings.');
  });

  test("the API's 400 messages appear beside the fields they name", async () => {
    fakeBackend({
      'GET /api/settings': () => saved(),
      'GET /api/sync': () => ({ state: 'never_run' }),
      'PUT /api/settings': () =>
        apiError(400, 'invalid_request', 'notify_url: notify_url must use https (http only for localhost)', [
          { path: 'notify_url', message: 'notify_url must use https (http only for localhost)' },
          { path: 'reminder_steps.1', message: 'Too big: expected number to be <=365' },
        ]),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    type(wrapper, 'Notification URL', 'http://ops.example.com');
    type(wrapper, 'Reminder steps', '1, 400');
    await settle(update);
    await save(wrapper);
    await settle(update);
    expect(field(wrapper, 'Notification URL').error).toBe('notify_url must use https (http only for localhost)');
    expect(field(wrapper, 'Reminder steps').error).toBe('Too big: expected number to be <=365');
    expect(field(wrapper, 'Grace days').error).toBeUndefined();
    expect(wrapper.find(SettingsView)!.prop('statusMessage')).toBe('Not saved.');
  });

  test('numbers that do not parse are caught before calling the API', async () => {
    const backend = fakeBackend({ 'GET /api/settings': () => saved(), 'GET /api/sync': () => ({ state: 'never_run' }) });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    type(wrapper, 'Grace days', 'three');
    await settle(update);
    await save(wrapper);
    await settle(update);
    expect(field(wrapper, 'Grace days').error).toBe('Enter a whole number of days.');
    expect(backend.to('PUT', '/api/settings')).toHaveLength(0);
  });

  test('before any import: no error, "No import has run yet"', async () => {
    fakeBackend({
      'GET /api/settings': () => saved(),
      'GET /api/sync': () => ({ state: 'never_run' }),
      // no reconciliation yet either (the missed-events section)
      'GET /api/reconcile': () => ({ data: [], next_cursor: null, paypal: { reconciled: false, note: 'not reconciled (no PayPal API credentials)' } }),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    expect(seen(wrapper)).toContain('No import has run yet.');
    expect(seen(wrapper)).not.toContain('Could not load the import status');
    expect(findAll(wrapper, 'Banner')).toHaveLength(0);
  });

  test('starts a Stripe import, toasts, and follows it until it has finished', async () => {
    const host = fakeHost();
    let polls = 0;
    const backend = fakeBackend({
      'GET /api/settings': () => saved(),
      'GET /api/sync': () =>
        backend.to('POST', '/api/sync').length === 0
          ? { state: 'never_run' }
          : ++polls < 2
            ? syncRun({ id: 's2', state: 'running', phase: 'customers', finished_at: null })
            : syncRun({ id: 's2', counts: { customers: 4, invoices: 9, pages: 2, errors: 0 } }),
      'POST /api/sync': () => syncRun({ id: 's2', state: 'running', phase: 'customers', finished_at: null }),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    press(wrapper, 'Import from Stripe');
    await settle(update);
    expect(backend.to('POST', '/api/sync')).toHaveLength(1);
    expect(host.toasts).toEqual([{ message: 'Import from Stripe started', type: 'success' }]);
    expect(seen(wrapper)).toContain('Importing');
    // the running import is polled until it ends
    const deadline = Date.now() + 10_000;
    while (!seen(wrapper).includes('Last import finished') && Date.now() < deadline) await update();
    expect(seen(wrapper)).toContain('Last import finished: 4 customers, 9 invoices');
  });
});
