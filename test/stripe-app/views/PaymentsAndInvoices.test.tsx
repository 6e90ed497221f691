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
  syncRun,
} from '../support';

const host = vi.hoisted(() => ({
  toasts: [] as { message: string; type?: string }[],
  refreshes: 0,
}));
vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
  // what the Dashboard would show and do: recorded here
  showToast: vi.fn(async (message: string, options: { type?: string } = {}) => {
    host.toasts.push({ message, type: options.type });
    return {
      update: (m: string, o: { type?: string } = {}) => host.toasts.push({ message: m, type: o.type }),
      dismiss: () => {},
    };
  }),
  useRefreshDashboardData: () => async () => {
    host.refreshes++;
  },
}));
afterEach(() => {
  vi.unstubAllGlobals();
  host.toasts.length = 0;
  host.refreshes = 0;
});

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

  test('empty: no invoices at all and no filters shows the first run; with a filter, an empty table', async () => {
    backendWith({ 'GET /api/stats': () => emptyStats(), 'GET /api/invoices': () => list([]), 'GET /api/sync': () => ({ state: 'never_run' }) });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('No invoices in this period.');
    expect(seen(wrapper)).toContain('No paid invoices to chart yet.');
    // first run: where to point the webhooks, and the import, in place of an empty table
    expect(seen(wrapper)).toContain('No invoices yet');
    expect(findAll(wrapper, 'TextField').map((f) => f.props.label)).toContain('1. Stripe webhook URL');
    expect(wrapper.find(DataTable)).toBeNull();

    select(wrapper, 'Status', 'paid');
    await settle(update);
    expect(seen(wrapper)).not.toContain('No invoices yet');
    expect(table(wrapper).prop('items')).toEqual([]);
    expect(table(wrapper).prop('emptyMessage')).toBe('No invoices match these filters.');
  });

  test('first run: an import that has finished re-reads the list and the cards', async () => {
    let imported = false;
    const backend = backendWith({
      'GET /api/stats': () => (imported ? stats() : emptyStats()),
      'GET /api/invoices': () => list(imported ? [invoice()] : []),
      'GET /api/sync': () => (imported ? syncRun({ id: 's9' }) : { state: 'never_run' }),
      'POST /api/sync': () => {
        imported = true;
        return syncRun({ id: 's9', state: 'running', phase: 'customers', finished_at: null });
      },
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const statsBefore = backend.to('GET', '/api/stats').length;
    press(wrapper, 'Import from Stripe');
    await settle(update, 8);
    expect(backend.to('POST', '/api/sync')).toHaveLength(1);
    expect(backend.to('GET', '/api/stats').length).toBeGreaterThan(statsBefore);
    expect(seen(wrapper)).not.toContain('No invoices yet');
    expect(seen(wrapper)).toContain('INV-0042 · Acme Studio · $1,234.56 · $23.45 · Open');
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

  test('one filter bar: its tenant and date range scope the cards, the chart and every tab', async () => {
    const backend = backendWith();
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    // one Tenant and one Date control on the page, whichever tab is open
    for (const tab of ['invoices', 'events', 'past-due']) {
      wrapper.find(Tabs)!.trigger('onSelectionChange', tab);
      await settle(update);
      // (the one-time invoice form's "Tenants" picker is a different control)
      expect(wrapper.findAll(SearchField).filter((f) => f.prop('label') === 'Tenant')).toHaveLength(1);
      expect(wrapper.findAll(DateRangePicker)).toHaveLength(1);
    }
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'invoices');
    await settle(update);
    // default: all time, for the cards and the list alike
    expect(wrapper.find(DateRangePicker)!.prop('value')).toMatchObject({ range: 'allTime' });
    expect(params(backend.last('GET', '/api/stats').url)).toEqual({});
    expect(params(backend.last('GET', '/api/invoices').url)).toEqual({ limit: '25' });

    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID);
    await settle(update);
    wrapper.find(DateRangePicker)!.trigger('onChange', { range: { start: new Date(2026, 0, 1), end: new Date(2026, 0, 31) } });
    await settle(update);
    const scope = { tenant_id: TENANT_ID, from: new Date(2026, 0, 1).toISOString(), to: new Date(2026, 1, 1).toISOString() };
    expect(params(backend.last('GET', '/api/stats').url)).toEqual(scope);
    expect(params(backend.last('GET', '/api/invoices').url)).toEqual({ ...scope, limit: '25' });

    wrapper.find(Tabs)!.trigger('onSelectionChange', 'events');
    await settle(update);
    expect(params(backend.last('GET', '/api/events').url)).toEqual({ ...scope, limit: '25' });
    // past due is as of today: the tenant applies, the date range does not, and the tab says so
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'past-due');
    await settle(update);
    expect(params(backend.last('GET', '/api/past-due').url)).toEqual({ tenant_id: TENANT_ID, limit: '25' });
    expect(seen(wrapper)).toContain('the date range does not apply here');
  });

  test('invoice filters add status (Failed included), gateway and search to the page scope', async () => {
    const backend = backendWith();
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const status = findAll(wrapper, 'Select').find((s) => s.props.label === 'Status')!;
    expect(status.text).toContain('Failed');
    select(wrapper, 'Status', 'failed');
    select(wrapper, 'Gateway', 'paypal');
    trigger(wrapper, 'TextField', (f) => f.props.label === 'Search', 'onChange', { target: { value: 'INV-00' } });
    await settle(update);
    expect(params(backend.last('GET', '/api/invoices').url)).toEqual({
      status: 'failed',
      gateway: 'paypal',
      q: 'INV-00',
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
          event({ invoice: { id: 'inv_linked', number: 'INV-9', total: 100, currency: 'usd', status: 'open', state: 'open', past_due: false } }),
          event({ id: 'e2', event_id: 'WH-77', gateway: 'paypal', type: 'PAYMENT.SALE.DENIED', processed: false, error: 'no invoice', tenant: null }),
        ]),
      'GET /api/events/33333333-3333-4333-8333-333333333333': () => ({
        ...event({ invoice: { id: 'inv_linked', number: 'INV-9', total: 100, currency: 'usd', status: 'open', state: 'open', past_due: false } }),
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
    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID); // the page's tenant
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
      state: 'past_due' as const,
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

  test('badges come from the invoice state: Failed is its own badge with a legend entry', async () => {
    backendWith({
      'GET /api/invoices': () =>
        list([
          { ...invoice({ id: 'f1', number: 'INV-F', past_due: true, days_past_due: 3 }), state: 'failed' },
          { ...invoice({ id: 'p1', number: 'INV-P', past_due: true, days_past_due: 9 }), state: 'past_due' },
          { ...invoice({ id: 'd1', number: null, external_id: 'in_DraftXyz', status: 'draft', created_at: '2026-03-04T10:00:00.000Z' }), state: 'draft' },
          {
            ...invoice({ id: 'o1', number: null, gateway: 'paypal', external_id: 'I-SUB0001:outstanding', past_due: true }),
            state: 'past_due',
          },
        ]),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('INV-F · Acme Studio · $1,234.56 · $23.45 · Failed · Stripe');
    expect(text).toContain('INV-P · Acme Studio · $1,234.56 · $23.45 · Past due · Stripe');
    // people read numbers, not internal ids
    expect(text).toContain('Draft · Acme Studio · Mar 4, 2026 · Acme Studio');
    expect(text).toContain('PayPal subscription balance · I-SUB0001 · Acme Studio');
    expect(text).not.toContain('in_DraftXyz');
    expect(text).not.toContain(':outstanding');
    const statusColumn = table(wrapper).prop('columns').find((c) => c.key === 'status')!;
    expect(statusColumn.cell).toMatchObject({ type: 'status', statusMap: { Failed: 'negative' } });
    expect(text).toContain('payment was attempted but did not go through');
  });

  test('retry from the list: a failed invoice is retried, confirmed with a toast, and the list, cards and Dashboard re-read', async () => {
    let paid = false;
    const failed = { ...invoice({ id: 'f1', number: 'INV-F', past_due: true }), state: 'failed' as const };
    const backend = backendWith({
      'GET /api/invoices': () => list([paid ? { ...failed, status: 'paid' as const, past_due: false, state: 'paid' as const } : failed]),
      'POST /api/invoices/f1/retry': () => {
        paid = true;
        return actionResult('retry', { id: 'f1', number: 'INV-F', status: 'paid', past_due: false, amount_remaining: 0 });
      },
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const statsBefore = backend.to('GET', '/api/stats').length;
    const actions = table(wrapper).prop('rowActions')!;
    expect(actions.map((a) => a.label)).toEqual(['Retry payment']);
    wrapper.act(() => (actions[0] as { onPress: (item: unknown) => void }).onPress({ id: 'f1' }));
    await settle(update, 8);
    expect(backend.to('POST', '/api/invoices/f1/retry')).toHaveLength(1);
    expect(backend.last('POST', '/api/invoices/f1/retry').headers['idempotency-key']).toBeTruthy();
    expect(host.toasts).toEqual([{ message: 'INV-F paid', type: 'success' }]);
    expect(host.toasts.every((t) => t.message.length <= 30)).toBe(true);
    expect(host.refreshes).toBe(1);
    expect(backend.to('GET', '/api/stats').length).toBe(statsBefore + 1);
    expect(seen(wrapper)).toContain('INV-F · Acme Studio · $1,234.56 · $23.45 · Paid');
    // nothing failed is listed any more: no Retry on the rows
    expect(table(wrapper).prop('rowActions')).toBeUndefined();
  });

  test('retry from the list on an invoice without a failed payment asks nothing of the backend', async () => {
    const backend = backendWith({
      'GET /api/invoices': () =>
        list([{ ...invoice({ id: 'f1', number: 'INV-F' }), state: 'failed' as const }, { ...invoice({ id: 'o1', number: 'INV-O' }), state: 'open' as const }]),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const [retry] = table(wrapper).prop('rowActions')! as { onPress: (item: unknown) => void }[];
    wrapper.act(() => retry.onPress({ id: 'o1' }));
    await settle(update);
    expect(backend.calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(host.toasts).toEqual([{ message: 'INV-O: nothing to retry', type: 'caution' }]);
  });

  test('fresh after an action: voiding in the panel and closing it re-reads the row and the pending card', async () => {
    let voided = false;
    const id = invoice().id;
    const backend = backendWith({
      'GET /api/stats': () =>
        stats({ currencies: [{ currency: 'usd', total_revenue: 0, total_refunded: 0, pending_amount: voided ? 0 : 110000, invoice_count: 1 }] }),
      'GET /api/invoices': () => list([{ ...invoice({ status: voided ? 'void' : 'open' }), state: voided ? ('void' as const) : ('open' as const) }]),
      [`GET /api/invoices/${id}`]: () => invoiceDetail({ status: voided ? 'void' : 'open' }),
      [`POST /api/invoices/${id}/void`]: () => {
        voided = true;
        return actionResult('void', { status: 'void', amount_remaining: 0 });
      },
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('$1,100.00');
    expect(seen(wrapper)).toContain('INV-0042 · Acme Studio · $1,234.56 · $23.45 · Open');
    table(wrapper).trigger('onRowClick', { id });
    await settle(update);
    press(wrapper, 'Void invoice');
    await settle(update);
    press(wrapper, 'Confirm');
    await settle(update);
    expect(backend.to('POST', `/api/invoices/${id}/void`)).toHaveLength(1);
    wrapper.find(FocusView, { title: 'Invoice' })!.trigger('setShown', false);
    await settle(update);
    expect(wrapper.find(FocusView, { title: 'Invoice' })!.prop('shown')).toBe(false);
    const text = seen(wrapper);
    expect(text).toContain('INV-0042 · Acme Studio · $1,234.56 · $23.45 · Void');
    expect(text).not.toContain('$1,100.00');
  });

  test('chart: major units, the currency on the axis and in the tooltip, whole-unit ticks on a nice scale', async () => {
    backendWith();
    const { wrapper, update } = render(<PaymentsAndInvoices {...props()} />);
    await settle(update);
    const [usd, jpy] = wrapper.findAll(BarChart);
    expect(usd.prop('y')).toEqual({
      value: 'revenue',
      label: 'Revenue (USD)',
      format: { currency: 'USD' },
      tickFormat: { currency: 'USD', fractionalDigits: 0 },
      nice: true,
      zero: true,
      ticks: 4,
    });
    expect(usd.prop('x')).toEqual({ value: 'month', label: 'Month' });
    expect(usd.prop('tooltip')).toBe(true);
    expect(jpy.prop('data')).toEqual([{ month: 'Feb 2026', revenue: 150000 }]);
    expect((jpy.prop('y') as { label: string }).label).toBe('Revenue (JPY)');
  });
  // the tenants tab's own tests: test/stripe-app/components/TenantsTab.test.tsx
  // the one-time invoice form's own tests: test/stripe-app/components/OneTimeInvoice.test.tsx
});
