import { render } from '@stripe/ui-extension-sdk/testing';
import { createApiClient } from '../../../stripe-app/src/api/client';
import { TenantsTab } from '../../../stripe-app/src/components/TenantsTab';
import { fakeHost } from '../host';
import {
  apiError,
  context,
  fakeBackend,
  findAll,
  invoice,
  list,
  pastDue,
  press,
  reply,
  seen,
  settle,
  stats,
  tenant,
  trigger,
} from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

type Wrapper = ReturnType<typeof render>['wrapper'];
const params = (url: URL) => Object.fromEntries(url.searchParams);
const type = (wrapper: Wrapper, label: string, value: string) =>
  trigger(wrapper, 'TextField', (f) => f.props.label === label, 'onChange', { target: { value } });
const focusView = (wrapper: Wrapper) => findAll(wrapper, 'FocusView')[0];

function mount() {
  const api = createApiClient(context('stripe.dashboard.fullpage'));
  return render(<TenantsTab api={api} locale="en-US" />);
}

describe('TenantsTab', () => {
  test('search, create and rename (toasted, the list re-read)', async () => {
    const host = fakeHost();
    const created = tenant({ id: 'tnew', name: 'Globex', external_ref: null });
    let name = 'Globex';
    const backend = fakeBackend({
      'GET /api/tenants': () => list([tenant()]),
      'POST /api/tenants': () => created,
      'GET /api/tenants/tnew': () => ({ ...created, name }),
      'PATCH /api/tenants/tnew': (req) => {
        name = (req.body as { name: string }).name;
        return { ...created, name };
      },
      'GET /api/stats': () => stats({ currencies: [] }),
      'GET /api/past-due': () => pastDue({ currencies: [] }),
      'GET /api/invoices': () => list([]),
    });
    const { wrapper, update } = mount();
    await settle(update);
    expect(seen(wrapper)).toContain('Acme Studio · ws_acme · none');
    type(wrapper, 'Search tenants', 'glo');
    await settle(update);
    expect(params(backend.last('GET', '/api/tenants').url)).toEqual({ q: 'glo', limit: '25' });

    type(wrapper, 'New tenant', 'Globex');
    await settle(update);
    press(wrapper, 'Create tenant');
    await settle(update);
    expect(backend.last('POST', '/api/tenants').body).toEqual({ name: 'Globex' });
    expect(focusView(wrapper).props.shown).toBe(true);
    expect(seen(wrapper)).toContain('Nothing outstanding.');
    expect(seen(wrapper)).toContain('This tenant has no invoices yet.');

    type(wrapper, 'Name', 'Globex Corp');
    await settle(update);
    const listReads = backend.to('GET', '/api/tenants').length;
    press(wrapper, 'Rename');
    await settle(update);
    expect(backend.last('PATCH', '/api/tenants/tnew').body).toEqual({ name: 'Globex Corp' });
    expect(host.toasts).toEqual([{ message: 'Renamed to Globex Corp', type: 'success' }]);
    expect(backend.to('GET', '/api/tenants').length).toBeGreaterThan(listReads);
    expect(findAll(wrapper, 'TextField').find((f) => f.props.label === 'Name')!.props.value).toBe('Globex Corp');
  });

  test('the panel shows the tenant’s invoices and its outstanding balance per currency', async () => {
    const backend = fakeBackend({
      'GET /api/tenants': () => list([tenant()]),
      [`GET /api/tenants/${tenant().id}`]: () => tenant(),
      'GET /api/stats': () => stats(),
      'GET /api/past-due': () => pastDue(),
      'GET /api/invoices': () =>
        list([
          invoice({ id: 'i1', number: 'ACME-0007' }),
          invoice({ id: 'i2', number: null, gateway: 'paypal', external_id: 'I-DEMOZEPHYR0001:outstanding', currency: 'eur', total: 9900 }),
        ]),
    });
    const { wrapper, update } = mount();
    await settle(update);
    trigger(wrapper, 'DataTable', () => true, 'onRowClick', { id: tenant().id });
    await settle(update);
    expect(focusView(wrapper).props.title).toBe('Acme Studio');
    const text = seen(wrapper);
    expect(text).toContain('$2,500.00'); // usd pending
    expect(text).toContain('¥3,000'); // jpy pending, never added to usd
    expect(text).toContain('ACME-0007');
    expect(text).toContain('PayPal subscription balance · I-DEMOZEPHYR0001');
    expect(text).not.toContain('I-DEMOZEPHYR0001:outstanding');
    expect(params(backend.last('GET', '/api/invoices').url)).toMatchObject({ tenant_id: tenant().id });
    expect(params(backend.last('GET', '/api/past-due').url)).toMatchObject({ tenant_id: tenant().id });
  });

  test('linking: a customer Stripe does not know is refused with the reason; an unchecked link says so', async () => {
    const host = fakeHost();
    let links: ReturnType<typeof tenant>['links'] = [];
    const backend = fakeBackend({
      'GET /api/tenants': () => list([tenant()]),
      [`GET /api/tenants/${tenant().id}`]: () => tenant({ links }),
      'GET /api/stats': () => stats({ currencies: [] }),
      'GET /api/past-due': () => pastDue({ currencies: [] }),
      'GET /api/invoices': () => list([]),
      [`POST /api/tenants/${tenant().id}/links`]: (req) => {
        const body = req.body as { external_id: string };
        if (body.external_id === 'cus_NewSakuraBranch') {
          return apiError(400, 'customer_not_found', 'Stripe has no customer cus_NewSakuraBranch in test mode; nothing was linked');
        }
        const link = { id: 'lnk_9', gateway: 'stripe' as const, external_id: body.external_id, created_at: '2026-03-01T00:00:00.000Z' };
        links = [link];
        return { ...link, checked: false, unchecked_reason: 'the backend has no Stripe key for test mode, so the customer could not be checked' };
      },
      [`DELETE /api/tenants/${tenant().id}/links/lnk_9`]: () => {
        links = [];
        return reply(204, null);
      },
    });
    const { wrapper, update } = mount();
    await settle(update);
    trigger(wrapper, 'DataTable', () => true, 'onRowClick', { id: tenant().id });
    await settle(update);

    type(wrapper, 'Identity', 'cus_NewSakuraBranch');
    await settle(update);
    press(wrapper, 'Link');
    await settle(update);
    expect(seen(wrapper)).toContain('Stripe has no customer cus_NewSakuraBranch in test mode; nothing was linked');
    expect(host.toasts[0]).toMatchObject({ type: 'caution' });
    expect(seen(wrapper)).toContain('No Stripe customer or PayPal subscriber is linked yet.');

    type(wrapper, 'Identity', 'cus_Sakura');
    await settle(update);
    press(wrapper, 'Link');
    await settle(update);
    expect(seen(wrapper)).toContain('cus_Sakura was linked without a check: the backend has no Stripe key for test mode');
    expect(host.toasts[1]).toEqual({ message: 'Linked, not checked', type: 'caution' });
    expect(host.refreshes).toBe(1);
    // the panel re-read the tenant and its invoices
    expect(findAll(wrapper, 'ListItem').map((l) => l.props.title)).toContain('cus_Sakura');
    expect(backend.to('GET', '/api/invoices').length).toBeGreaterThanOrEqual(2);

    press(wrapper, 'Unlink');
    await settle(update);
    expect(host.toasts[2]).toEqual({ message: 'Unlinked cus_Sakura', type: 'success' });
    expect(seen(wrapper)).toContain('No Stripe customer or PayPal subscriber is linked yet.');
  });
});
