// The tenant panel's reminder escalation: the account's steps (toned by position) until the tenant
// has its own; edit days and tones, save, go back to the account's.
import { render } from '@stripe/ui-extension-sdk/testing';
import type { SettingsResponse, TenantUpdate } from '../../../stripe-app/src/api/contract';
import { createApiClient } from '../../../stripe-app/src/api/client';
import { TenantPanel } from '../../../stripe-app/src/components/TenantsTab';
import { TENANT_ID, apiError, context, fakeBackend, findAll, list, pastDue, press, seen, settle, stats, tenant, trigger } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const settings = { reminder_steps: [1, 7, 14, 30], daily_digest: false } as unknown as SettingsResponse;

function mount(patch: (body: TenantUpdate) => unknown) {
  let current = tenant();
  const fake = fakeBackend({
    'GET /api/tenants/11111111-1111-4111-8111-111111111111': () => current,
    'PATCH /api/tenants/11111111-1111-4111-8111-111111111111': (req) => {
      const answer = patch(req.body as TenantUpdate);
      if (answer) return answer;
      current = { ...current, ...(req.body as object) } as typeof current;
      return current;
    },
    'GET /api/settings': () => settings,
    'GET /api/invoices': () => list([]),
    'GET /api/stats': () => stats(),
    'GET /api/past-due': () => pastDue({ currencies: [] }),
  });
  const api = createApiClient(context('stripe.dashboard.fullpage'));
  return { fake, ...render(<TenantPanel api={api} tenantId={TENANT_ID} locale="en-US" />) };
}

describe('Tenant reminder escalation', () => {
  test('shows the account steps, customizes days and tones, and goes back to the account steps', async () => {
    const { fake, wrapper, update } = mount(() => undefined);
    await settle(update);
    expect(seen(wrapper)).toContain("The account's steps: day 1: friendly · day 7: firm · day 14: final · day 30: final");
    press(wrapper, 'Customize');
    await settle(update);
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Step 2: days past due', 'onChange', { target: { value: '10' } });
    trigger(wrapper, 'Select', (s) => s.props.label === 'Step 3: tone', 'onChange', { target: { value: 'firm' } });
    const removes = findAll(wrapper, 'Button').filter((b) => b.text === 'Remove');
    expect(removes).toHaveLength(4);
    wrapper.act(() => removes[3].props.onPress()); // the day-30 step
    await settle(update);
    press(wrapper, 'Save steps');
    await settle(update);
    expect(fake.last('PATCH', `/api/tenants/${TENANT_ID}`).body).toEqual({
      reminder_steps: [
        { days: 1, tone: 'friendly' },
        { days: 10, tone: 'firm' },
        { days: 14, tone: 'firm' },
      ],
    });
    expect(seen(wrapper)).toContain('day 1: friendly · day 10: firm · day 14: firm');
    press(wrapper, "Use the account's steps");
    await settle(update);
    expect(fake.last('PATCH', `/api/tenants/${TENANT_ID}`).body).toEqual({ reminder_steps: null });
    expect(seen(wrapper)).toContain("The account's steps: day 1: friendly");
  });

  test('days that are not whole numbers are refused here; the API refusal is shown', async () => {
    const { fake, wrapper, update } = mount(() => apiError(400, 'invalid_request', 'reminder_steps: reminder_steps must not repeat a day'));
    await settle(update);
    press(wrapper, 'Customize');
    await settle(update);
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Step 1: days past due', 'onChange', { target: { value: 'soon' } });
    await settle(update);
    press(wrapper, 'Save steps');
    await settle(update);
    expect(seen(wrapper)).toContain('Enter whole numbers of days past due.');
    expect(fake.to('PATCH', `/api/tenants/${TENANT_ID}`)).toHaveLength(0);
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Step 1: days past due', 'onChange', { target: { value: '7' } });
    await settle(update);
    press(wrapper, 'Save steps');
    await settle(update);
    expect(seen(wrapper)).toContain('The steps were not saved');
    expect(seen(wrapper)).toContain('reminder_steps must not repeat a day');
  });
});
