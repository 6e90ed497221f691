// Export CSV on the invoices, events and past-due tabs: the tab's current filters go to
// POST /api/exports, and the returned url is offered as a link that opens in a new tab.
import { render } from '@stripe/ui-extension-sdk/testing';
import { Tabs } from '@stripe/ui-extension-sdk/ui';
import PaymentsAndInvoices from '../../../stripe-app/src/views/PaymentsAndInvoices';
import { TENANT_ID, apiError, context, event, fakeBackend, findAll, invoice, list, pastDue, press, seen, settle, stats, tenant, trigger } from '../support';
import { SearchField } from '@stripe/ui-extension-sdk/ui';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const URL_A = 'https://billing.test.example/exports/tok_a';

function backend(exportAnswer: () => unknown = () => ({ url: URL_A, expires_at: '2026-03-31T10:10:00.000Z' })) {
  return fakeBackend({
    'GET /api/stats': () => stats(),
    'GET /api/tenants': () => list([tenant()]),
    'GET /api/invoices': () => list([invoice()]),
    'GET /api/events': () => list([event()]),
    'GET /api/past-due': () => pastDue(),
    'POST /api/exports': exportAnswer,
  });
}
const csvLink = (wrapper: Parameters<typeof findAll>[0]) => findAll(wrapper, 'Link').find((l) => l.text === 'Open CSV');

describe('Export CSV', () => {
  test('invoices: the tab filters are sent; the link opens the url in a new tab; other filters drop the link', async () => {
    const fake = backend();
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID);
    trigger(wrapper, 'Select', (s) => s.props.label === 'Status', 'onChange', { target: { value: 'past_due' } });
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Search', 'onChange', { target: { value: 'INV-00' } });
    await settle(update);
    expect(csvLink(wrapper)).toBeUndefined();
    press(wrapper, 'Export CSV');
    await settle(update);
    expect(fake.last('POST', '/api/exports').body).toEqual({
      kind: 'invoices',
      filters: { tenant_id: TENANT_ID, status: 'past_due', q: 'INV-00' },
    });
    const link = csvLink(wrapper)!;
    expect(link.props).toMatchObject({ href: URL_A, target: '_blank', external: true });
    expect(seen(wrapper)).toContain('valid until');
    // a link for other filters would export other rows: gone once the filters change
    trigger(wrapper, 'Select', (s) => s.props.label === 'Status', 'onChange', { target: { value: 'paid' } });
    await settle(update);
    expect(csvLink(wrapper)).toBeUndefined();
  });

  test('events and past due send their own kind and filters', async () => {
    const fake = backend();
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'events');
    await settle(update);
    trigger(wrapper, 'Select', (s) => s.props.label === 'Processing', 'onChange', { target: { value: 'false' } });
    await settle(update);
    press(wrapper, 'Export CSV');
    await settle(update);
    expect(fake.last('POST', '/api/exports').body).toEqual({ kind: 'events', filters: { processed: 'false' } });
    expect(csvLink(wrapper)!.props.href).toBe(URL_A);

    wrapper.find(Tabs)!.trigger('onSelectionChange', 'past-due');
    await settle(update);
    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID);
    await settle(update);
    press(wrapper, 'Export CSV');
    await settle(update);
    expect(fake.last('POST', '/api/exports').body).toEqual({ kind: 'past_due', filters: { tenant_id: TENANT_ID } });
  });

  test('a refused export shows why and offers no link', async () => {
    backend(() => apiError(400, 'invalid_request', 'filters.q: Too big'));
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    press(wrapper, 'Export CSV');
    await settle(update);
    expect(seen(wrapper)).toContain('Could not export');
    expect(seen(wrapper)).toContain('filters.q: Too big');
    expect(csvLink(wrapper)).toBeUndefined();
  });
});
