import { render } from '@stripe/ui-extension-sdk/testing';
import { DataTable, SearchField, Spinner } from '@stripe/ui-extension-sdk/ui';
import CustomerDetail from '../../../stripe-app/src/views/CustomerDetail';
import {
  TENANT_ID,
  apiError,
  context,
  fakeBackend,
  invoice,
  list,
  pending,
  press,
  reply,
  seen,
  settle,
  stats,
  pastDue,
  tenant,
  trigger,
} from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const props = () => context('stripe.dashboard.customer.detail', { objectId: 'cus_Acme', object: 'customer' });
const linkedTenant = () =>
  tenant({
    links: [
      { id: 'lnk_1', gateway: 'stripe', external_id: 'cus_Acme', created_at: '2026-01-05T10:00:00.000Z' },
      { id: 'lnk_2', gateway: 'paypal', external_id: 'I-SUB42', created_at: '2026-01-06T10:00:00.000Z' },
    ],
  });

describe('CustomerDetail', () => {
  test('loading', async () => {
    fakeBackend({ 'GET /api/tenants': pending });
    const { wrapper, update } = render(<CustomerDetail {...props()} />);
    await settle(update);
    expect(wrapper).toContainComponent(Spinner);
  });

  test('error', async () => {
    fakeBackend({ 'GET /api/tenants': () => apiError(401, 'unauthorized', 'invalid app signature') });
    const { wrapper, update } = render(<CustomerDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Could not load the tenant');
    expect(seen(wrapper)).toContain('invalid app signature');
  });

  test('empty: no tenant yet; create one and link the customer', async () => {
    let created = false;
    const backend = fakeBackend({
      'GET /api/tenants': () => (created ? list([linkedTenant()]) : list([tenant({ id: 'other', name: 'Other' })])),
      'POST /api/tenants': (req) => tenant({ name: (req.body as { name: string }).name }),
      [`POST /api/tenants/${TENANT_ID}/links`]: (req) => {
        created = true;
        return { id: 'lnk_1', ...(req.body as object), created_at: '2026-03-01T00:00:00.000Z' };
      },
      'GET /api/stats': () => stats(),
      'GET /api/invoices': () => list([]),
    });
    const { wrapper, update } = render(<CustomerDetail {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('This customer is not linked to a tenant.');
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Or create a tenant', 'onChange', { target: { value: ' Acme Studio ' } });
    await settle(update);
    press(wrapper, 'Create and link');
    await settle(update);
    expect(backend.last('POST', '/api/tenants').body).toEqual({ name: 'Acme Studio' });
    expect(backend.last('POST', `/api/tenants/${TENANT_ID}/links`).body).toEqual({ gateway: 'stripe', external_id: 'cus_Acme' });
    expect(seen(wrapper)).toContain('Acme Studio');
    expect(seen(wrapper)).toContain('Unlink this customer');
  });

  test('assigning an existing tenant that already has this identity shows the conflict', async () => {
    fakeBackend({
      'GET /api/tenants': () => list([tenant()]),
      [`POST /api/tenants/${TENANT_ID}/links`]: () =>
        apiError(409, 'conflict', 'stripe identity cus_Acme is already linked to a tenant'),
    });
    const { wrapper, update } = render(<CustomerDetail {...props()} />);
    await settle(update);
    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID);
    await settle(update);
    press(wrapper, 'Assign tenant');
    await settle(update);
    expect(seen(wrapper)).toContain('Could not assign the tenant');
    expect(seen(wrapper)).toContain('stripe identity cus_Acme is already linked to a tenant');
  });

  test("filled: the tenant, its invoices across gateways, outstanding balance per currency; unlink", async () => {
    let unlinked = false;
    const backend = fakeBackend({
      'GET /api/tenants': () => list(unlinked ? [] : [linkedTenant()]),
      'GET /api/stats': () => stats(),
      'GET /api/past-due': () =>
        pastDue({
          currencies: [
            {
              currency: 'usd',
              buckets: { '1-30': { count: 1, amount: 40000 }, '31-60': { count: 0, amount: 0 }, '61-90': { count: 0, amount: 0 }, '90+': { count: 0, amount: 0 } },
              total: { count: 1, amount: 40000 },
            },
          ],
        }),
      'GET /api/invoices': (req) =>
        req.url.searchParams.get('cursor') === 'c2'
          ? list([invoice({ id: 'i3', number: 'INV-3' })])
          : list(
              [
                invoice({ id: 'i1', number: 'INV-1', gateway: 'stripe' }),
                invoice({ id: 'i2', number: 'PP-7', gateway: 'paypal', currency: 'eur', total: 9900 }),
              ],
              'c2',
            ),
      [`DELETE /api/tenants/${TENANT_ID}/links/lnk_1`]: () => {
        unlinked = true;
        return reply(204, null);
      },
    });
    const { wrapper, update } = render(<CustomerDetail {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('Acme Studio');
    expect(text).toContain('Stripe cus_Acme, PayPal I-SUB42');
    expect(text).toContain('$2,500.00 ($400.00 past due)'); // usd outstanding, of which past due
    expect(text).toContain('¥3,000'); // jpy outstanding
    expect(text).toContain('INV-1 · Acme Studio · $1,234.56');
    expect(text).toContain('PP-7 · Acme Studio · €99.00');
    expect(text).toContain('PayPal');
    expect(backend.last('GET', '/api/invoices').url.searchParams.get('tenant_id')).toBe(TENANT_ID);
    expect(backend.last('GET', '/api/stats').url.searchParams.get('tenant_id')).toBe(TENANT_ID);
    expect(backend.last('GET', '/api/past-due').url.searchParams.get('tenant_id')).toBe(TENANT_ID);

    // next page
    wrapper.find(DataTable)!.triggerKeypath('pagination.onPageChange', 2);
    await settle(update);
    expect(backend.last('GET', '/api/invoices').url.searchParams.get('cursor')).toBe('c2');
    expect(seen(wrapper)).toContain('INV-3');

    press(wrapper, 'Unlink this customer');
    await settle(update);
    expect(backend.to('DELETE', `/api/tenants/${TENANT_ID}/links/lnk_1`)).toHaveLength(1);
    expect(seen(wrapper)).toContain('This customer is not linked to a tenant.');
  });
});
