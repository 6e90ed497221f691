// The settings view's "Missed events" section: the last reconciliation with its repaired count,
// PayPal's "not reconciled" note, and the "Check for missed events" button.
import { render } from '@stripe/ui-extension-sdk/testing';
import AppSettings from '../../../stripe-app/src/views/AppSettings';
import type { ReconcileListResponse, ReconcileRunResponse, SettingsResponse } from '../../../stripe-app/src/api/contract';
import { apiError, context, fakeBackend, findAll, press, reply, seen, settle } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const NOTE = 'not reconciled (no PayPal API credentials)';
const PAYPAL = { reconciled: false, note: NOTE };

const settings = (): SettingsResponse => ({
  paypal_webhook_id: null,
  tenant_metadata_key: null,
  notify_url: null,
  past_due_grace_days: 0,
  reminder_steps: [1],
  daily_digest: false,
  notify_secret: 'nsec_abc',
});
const noImport = () => reply(404, { error: { code: 'not_found', message: 'no import yet', request_id: null } });

function run(over: Partial<ReconcileRunResponse> = {}): ReconcileRunResponse {
  return {
    id: 'r1',
    trigger: 'schedule',
    state: 'succeeded',
    since: '2026-03-01T09:55:00.000Z',
    watermark: '2026-03-01T10:59:00.000Z',
    events_seen: 120,
    events_repaired: 3,
    pages: 2,
    errors: 0,
    error: null,
    paypal: PAYPAL,
    started_at: '2026-03-01T11:00:00.000Z',
    heartbeat_at: '2026-03-01T11:00:05.000Z',
    finished_at: '2026-03-01T11:00:05.000Z',
    ...over,
  };
}
const runs = (...data: ReconcileRunResponse[]): ReconcileListResponse => ({ data, next_cursor: null, paypal: PAYPAL });

const checkButton = (wrapper: Parameters<typeof findAll>[0]) =>
  findAll(wrapper, 'Button').find((b) => b.text === 'Check for missed events')!.props;

describe('AppSettings: missed events', () => {
  test('shows the last check with its repaired count, and that PayPal is not reconciled', async () => {
    const backend = fakeBackend({
      'GET /api/settings': settings,
      'GET /api/sync': noImport,
      'GET /api/reconcile': () => runs(run()),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings', { mode: 'live' })} />);
    await settle(update);
    expect(seen(wrapper)).toContain('3 missed events repaired of 120 events checked.');
    expect(seen(wrapper)).toContain(`PayPal: ${NOTE}.`);
    expect(backend.last('GET', '/api/reconcile').headers['stripe-mode']).toBe('live');
    expect(checkButton(wrapper).disabled).toBe(false);
  });

  test('before any check: says so, and still notes PayPal', async () => {
    fakeBackend({ 'GET /api/settings': settings, 'GET /api/sync': noImport, 'GET /api/reconcile': () => runs() });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    expect(seen(wrapper)).toContain('No check has run yet.');
    expect(seen(wrapper)).toContain(`PayPal: ${NOTE}.`);
  });

  test('the button starts a check, shows it running, then its outcome once it has ended', async () => {
    let latest = runs();
    const backend = fakeBackend({
      'GET /api/settings': settings,
      'GET /api/sync': noImport,
      'GET /api/reconcile': () => latest,
      'POST /api/reconcile': () => {
        latest = runs(run({ id: 'r2', trigger: 'manual', state: 'running', events_seen: 0, events_repaired: 0, finished_at: null }));
        return latest.data[0];
      },
    });
    const { wrapper, update } = render(<AppSettings {...context('settings', { mode: 'test' })} />);
    await settle(update);
    press(wrapper, 'Check for missed events');
    await settle(update);
    expect(backend.to('POST', '/api/reconcile')).toHaveLength(1);
    expect(backend.last('POST', '/api/reconcile').headers['stripe-mode']).toBe('test');
    expect(seen(wrapper)).toContain('Checking for missed events…');
    expect(checkButton(wrapper).disabled).toBe(true);

    // the run ends in the background; the view reads it again by itself
    latest = runs(run({ id: 'r2', trigger: 'manual', events_seen: 40, events_repaired: 1 }));
    await vi.waitFor(
      async () => {
        await update();
        expect(seen(wrapper)).toContain('1 missed event repaired of 40 events checked.');
      },
      { timeout: 5000, interval: 50 },
    );
    expect(checkButton(wrapper).disabled).toBe(false);
  });

  test('a refused start (already running) shows why', async () => {
    fakeBackend({
      'GET /api/settings': settings,
      'GET /api/sync': noImport,
      'GET /api/reconcile': () => runs(run({ state: 'failed', error: 'Stripe API HTTP 403: no access', watermark: null })),
      'POST /api/reconcile': () =>
        apiError(409, 'reconcile_already_running', 'a reconciliation is already running for this account and mode'),
    });
    const { wrapper, update } = render(<AppSettings {...context('settings')} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Stripe API HTTP 403: no access');
    press(wrapper, 'Check for missed events');
    await settle(update);
    expect(seen(wrapper)).toContain('Could not start the check');
    expect(seen(wrapper)).toContain('a reconciliation is already running for this account and mode');
  });
});
