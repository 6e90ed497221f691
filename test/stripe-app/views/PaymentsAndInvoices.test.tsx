import { render } from '@stripe/ui-extension-sdk/testing';
import { BarChart, DataTable, DateRangePicker, FocusView, FullPageView, SearchField, Spinner, Tabs } from '@stripe/ui-extension-sdk/ui';
import PaymentsAndInvoices from '../../../stripe-app/src/views/PaymentsAndInvoices';
import {
  TENANT_ID,
  apiError,
  context,
  emptyStats,
  event,
  fakeBackend,
  findAll,
  invoice,
  invoiceDetail,
  list,
  pastDue,
  pending,
  press,
  seen,
  settle,
  stats,
  tenant,
  trigger,
  actionResult,
} from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const props = () => context('stripe.dashboard.fullpage');
type Wrapper = ReturnType<typeof render>['wrapper'];
const select = (wrapper: Wrapper, label: string, value: string) =>
  trigger(wrapper, 'Select', (s) => s.props.label === label, 'onChange', { target: { value } });
/** the DataTable of the open tab (the page has one at a time) */
const table = (wrapper: Wrapper) => wrapper.find(DataTable)!;
const params = (url: URL) => Object.fromEntries(url.searchParams);

function backendWith(overrides: Record<string, Parameters<typeof fakeBackend>[0][string]> = {}) {
  return fakeBackend({
    'GET /api/stats': () => stats(),
    'GET /api/tenants': () => list([tenant()]),
    'GET /api/invoices': () => list([invoice()]),
    'GET /api/events': () => list([event()]),
    'GET /api/past-due': () => pastDue(),
    ...overrides,
  });
}

describe('PaymentsAndInvoices', () => {
  test('loading: revenue and the invoice table show they are loading', async () => {
    backendWith({ 'GET /api/stats': pending, 'GET /api/invoices': pending });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    expect(wrapper).toContainComponent(Spinner);
    expect(table(wrapper).prop('loading')).toBe(true);
  });

  test('error: revenue and invoices show the API error, and retry', async () => {
    let fail = true;
    const backend = backendWith({
      'GET /api/stats': () => (fail ? apiError(503, 'database_unavailable', 'the database is unavailable; retry later') : stats()),
      'GET /api/invoices': () => (fail ? apiError(400, 'invalid_request', 'cursor: invalid cursor') : list([invoice()])),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('Could not load revenue');
    expect(text).toContain('Could not load invoices');
    expect(text).toContain('cursor: invalid cursor (request req_test)');
    fail = false;
    for (const b of findAll(wrapper, 'Button').filter((b) => b.text === 'Try again')) wrapper.act(() => b.props.onPress());
    await settle(update);
    expect(backend.to('GET', '/api/stats')).toHaveLength(2);
    expect(seen(wrapper)).toContain('INV-0042');
    expect(seen(wrapper)).toContain('$12,345.67');
  });

  test('empty: no invoices yet', async () => {
    backendWith({ 'GET /api/stats': () => emptyStats(), 'GET /api/invoices': () => list([]) });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('No invoices in this period.');
    expect(seen(wrapper)).toContain('No paid invoices to chart yet.');
    expect(table(wrapper).prop('items')).toEqual([]);
    expect(table(wrapper).prop('emptyMessage')).toBe('No invoices match these filters.');
  });

  test('filled: four cards per currency, a monthly chart per currency, invoice rows with status and legend', async () => {
    backendWith({
      'GET /api/invoices': () =>
        list([
          invoice({ past_due: true, days_past_due: 4 }),
          invoice({ id: 'i2', number: 'INV-0043', status: 'paid', currency: 'jpy', total: 5000, tax: 0, tenant: null }),
        ]),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    for (const label of ['Total revenue', 'Total refunded', 'Pending amount', 'Invoices']) expect(text).toContain(label);
    expect(text).toContain('$12,345.67');
    expect(text).toContain('¥150,000');
    expect(text).toContain('Monthly revenue · USD');
    expect(text).toContain('Monthly revenue · JPY');
    const usdChart = wrapper.findAll(BarChart)[0];
    expect(usdChart.prop('data')).toEqual([
      { month: 'Jan 2026', revenue: 6000 },
      { month: 'Feb 2026', revenue: 6345.67 },
    ]);
    expect(text).toContain('INV-0042 · Acme Studio · $1,234.56 · $23.45 · Past due · Stripe');
    expect(text).toContain('INV-0043 · Unassigned · ¥5,000 · ¥0 · Paid · Stripe');
    expect(text).toContain('open after its due date'); // legend
    expect(text).toContain('Uncollectible');
    expect(wrapper.find(FullPageView)!.prop('pageAction')!.label).toBe('Create one-time invoice');
  });

  test('the card filters send tenant and date range to /api/stats', async () => {
    const backend = backendWith();
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const first = params(backend.calls.find((c) => c.url.pathname === '/api/stats')!.url);
    expect(Object.keys(first).sort()).toEqual(['from', 'to']); // default: last 12 months
    wrapper.findAll(SearchField)[0].trigger('onSelectionChange', TENANT_ID);
    await settle(update);
    expect(params(backend.last('GET', '/api/stats').url).tenant_id).toBe(TENANT_ID);
    wrapper.findAll(DateRangePicker)[0].trigger('onChange', {
      range: { start: new Date(2026, 0, 1), end: new Date(2026, 0, 31) },
    });
    await settle(update);
    const last = params(backend.last('GET', '/api/stats').url);
    expect(last).toEqual({
      tenant_id: TENANT_ID,
      from: new Date(2026, 0, 1).toISOString(),
      to: new Date(2026, 1, 1).toISOString(),
    });
  });

  test('invoice filters send status, gateway, tenant, search and date range', async () => {
    const backend = backendWith();
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    expect(params(backend.last('GET', '/api/invoices').url)).toEqual({ limit: '25' });

    select(wrapper, 'Status', 'past_due');
    select(wrapper, 'Gateway', 'paypal');
    await settle(update);
    // the tenant picker of the tab (the second SearchField on the page)
    const picker = wrapper.findAll(SearchField)[1];
    picker.trigger('onInputChange', 'acm');
    await settle(update);
    expect(params(backend.last('GET', '/api/tenants').url)).toEqual({ q: 'acm', limit: '20' });
    wrapper.findAll(SearchField)[1].trigger('onSelectionChange', TENANT_ID);
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Search', 'onChange', { target: { value: 'INV-00' } });
    wrapper.findAll(DateRangePicker)[1].trigger('onChange', { range: { start: new Date(2026, 1, 1), end: new Date(2026, 1, 28) } });
    await settle(update);
    expect(params(backend.last('GET', '/api/invoices').url)).toEqual({
      status: 'past_due',
      gateway: 'paypal',
      tenant_id: TENANT_ID,
      q: 'INV-00',
      from: new Date(2026, 1, 1).toISOString(),
      to: new Date(2026, 2, 1).toISOString(),
      limit: '25',
    });
  });

  test('cursor pagination: next sends the cursor, back re-fetches page 1, a filter change restarts', async () => {
    const backend = backendWith({
      'GET /api/invoices': (req) =>
        req.url.searchParams.get('cursor') === 'cur_p2'
          ? list([invoice({ id: 'p2', number: 'INV-P2' })], null)
          : list([invoice({ id: 'p1', number: 'INV-P1' })], 'cur_p2'),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    expect(table(wrapper).prop('pagination')).toMatchObject({ currentPage: 1, hasMore: true, pageSize: 25 });
    table(wrapper).triggerKeypath('pagination.onPageChange', 2);
    await settle(update);
    expect(params(backend.last('GET', '/api/invoices').url).cursor).toBe('cur_p2');
    expect(seen(wrapper)).toContain('INV-P2');
    expect(table(wrapper).prop('pagination')).toMatchObject({ currentPage: 2, hasMore: false });
    table(wrapper).triggerKeypath('pagination.onPageChange', 1);
    await settle(update);
    expect(params(backend.last('GET', '/api/invoices').url).cursor).toBeUndefined();
    expect(seen(wrapper)).toContain('INV-P1');
    table(wrapper).triggerKeypath('pagination.onPageChange', 2);
    await settle(update);
    select(wrapper, 'Status', 'paid');
    await settle(update);
    const last = params(backend.last('GET', '/api/invoices').url);
    expect(last.status).toBe('paid');
    expect(last.cursor).toBeUndefined();
    expect(table(wrapper).prop('pagination')).toMatchObject({ currentPage: 1 });
  });

  test('a row click opens the invoice with its actions', async () => {
    const backend = backendWith({
      [`GET /api/invoices/${invoice().id}`]: () => invoiceDetail({ past_due: true, days_past_due: 40 }),
      [`POST /api/invoices/${invoice().id}/send-reminder`]: () => actionResult('send_reminder', { past_due: true, days_past_due: 40 }),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    table(wrapper).trigger('onRowClick', { id: invoice().id });
    await settle(update);
    expect(wrapper.find(FocusView, { title: 'Invoice' })!.prop('shown')).toBe(true);
    expect(seen(wrapper)).toContain('Past due for 40 days');
    press(wrapper, 'Send reminder');
    await settle(update);
    press(wrapper, 'Confirm');
    await settle(update);
    expect(backend.to('POST', `/api/invoices/${invoice().id}/send-reminder`)).toHaveLength(1);
    expect(seen(wrapper)).toContain('Reminder sent. Status: Past due; remaining $1,234.56.');
  });

  test('payment events: columns, filters and a row that expands to its invoice', async () => {
    const linked = invoice({ id: 'inv_linked', number: 'INV-9' });
    const backend = backendWith({
      'GET /api/events': () =>
        list([
          event({ invoice: { id: 'inv_linked', number: 'INV-9', total: 100, currency: 'usd', status: 'open', past_due: false } }),
          event({ id: 'e2', event_id: 'WH-77', gateway: 'paypal', type: 'PAYMENT.SALE.DENIED', processed: false, error: 'no invoice', tenant: null }),
        ]),
      'GET /api/events/33333333-3333-4333-8333-333333333333': () => ({
        ...event({ invoice: { id: 'inv_linked', number: 'INV-9', total: 100, currency: 'usd', status: 'open', past_due: false } }),
        object_id: 'in_1',
        customer_id: 'cus_Acme',
        processed_at: '2026-02-02T10:00:01.000Z',
        payload: { id: 'evt_1', type: 'invoice.paid' },
      }),
      'GET /api/invoices/inv_linked': () => invoiceDetail({ ...linked }),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'events');
    await settle(update);
    let text = seen(wrapper);
    expect(text).toContain('Stripe · invoice.paid · Acme Studio · evt_1 · Processed');
    expect(text).toContain('PayPal · PAYMENT.SALE.DENIED · — · WH-77 · Failed');

    select(wrapper, 'Processing', 'false');
    select(wrapper, 'Gateway', 'stripe');
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Event type', 'onChange', { target: { value: 'invoice.paid' } });
    await settle(update);
    wrapper.findAll(SearchField)[1].trigger('onSelectionChange', TENANT_ID);
    wrapper.findAll(DateRangePicker)[1].trigger('onChange', { range: 'allTime' });
    await settle(update);
    expect(params(backend.last('GET', '/api/events').url)).toEqual({
      processed: 'false',
      gateway: 'stripe',
      type: 'invoice.paid',
      tenant_id: TENANT_ID,
      limit: '25',
    });

    table(wrapper).trigger('onRowClick', { id: event().id });
    await settle(update);
    text = seen(wrapper);
    expect(text).toContain('"type": "invoice.paid"'); // payload
    expect(text).toContain('INV-9'); // the invoice it belongs to
    expect(backend.to('GET', '/api/invoices/inv_linked')).toHaveLength(1);
  });

  test('past due: aging buckets per currency and the list', async () => {
    const row = {
      ...invoice({ id: 'pd1', number: 'INV-PD', currency: 'eur', amount_remaining: 30000, days_past_due: 12 }),
      status: 'past_due' as const,
      past_due: true as const,
      past_due_since: '2026-02-15T00:00:00.000Z',
      payment_failed: false,
    };
    backendWith({ 'GET /api/past-due': () => pastDue({ data: [row] }) });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'past-due');
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('EUR · €399.00 in 3 invoices');
    expect(text).toContain('1–30 days');
    expect(text).toContain('€300.00');
    expect(text).toContain('Over 90 days');
    expect(text).toContain('INV-PD · Acme Studio · €300.00 · 12');
  });

  test('past due: empty and error', async () => {
    let fail = false;
    backendWith({
      'GET /api/past-due': () => (fail ? apiError(500, 'internal_error', 'internal error') : pastDue({ currencies: [] })),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'past-due');
    await settle(update);
    expect(seen(wrapper)).toContain('Nothing is past due.');
    fail = true;
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'invoices');
    await settle(update);
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'past-due');
    await settle(update);
    expect(seen(wrapper)).toContain('Could not load past-due invoices');
  });

  // the tenants tab's own tests: test/stripe-app/components/TenantsTab.test.tsx
  // the one-time invoice form's own tests: test/stripe-app/components/OneTimeInvoice.test.tsx
});
