// The Collections tab on the full page (scoped by the page's filter bar) and the drawer's summary.
import { render } from '@stripe/ui-extension-sdk/testing';
import { DateRangePicker, SearchField, Tabs } from '@stripe/ui-extension-sdk/ui';
import type { CollectionsResponse } from '../../../stripe-app/src/api/contract';
import Drawer from '../../../stripe-app/src/views/Drawer';
import PaymentsAndInvoices from '../../../stripe-app/src/views/PaymentsAndInvoices';
import { TENANT_ID, apiError, context, event, fakeBackend, invoice, list, pastDue, press, seen, settle, stats, tenant } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const zero = { count: 0, amount: 0 };
const recovered = (over: Partial<Record<string, { count: number; amount: number }>> = {}) =>
  (['automatic_retry', 'admin_retry', 'reminder', 'paypal', 'outside'] as const).map((cause) => ({ cause, ...(over[cause] ?? zero) }));

export function collections(over: Partial<CollectionsResponse> = {}): CollectionsResponse {
  return {
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-31T00:00:00.000Z',
    window_days: 30,
    as_of: '2026-03-31T00:00:00.000Z',
    currencies: [
      {
        currency: 'usd',
        dso_days: 42.5,
        receivables: 500000,
        credit_sales: 352941,
        overdue_amount: 150000,
        open_amount: 400000,
        overdue_ratio: 0.375,
        average_days_to_pay: 12.3,
        paid_count: 7,
        recovered: recovered({ automatic_retry: { count: 2, amount: 20000 }, reminder: { count: 1, amount: 5000 } }),
        tenants: [
          {
            tenant: { id: TENANT_ID, name: 'Acme Studio' },
            overdue_amount: 150000,
            buckets: { '1-30': { count: 1, amount: 100000 }, '31-60': zero, '61-90': zero, '90+': { count: 1, amount: 50000 } },
          },
        ],
      },
      {
        currency: 'jpy',
        dso_days: null,
        receivables: 0,
        credit_sales: 0,
        overdue_amount: 0,
        open_amount: 0,
        overdue_ratio: null,
        average_days_to_pay: 3,
        paid_count: 1,
        recovered: recovered(),
        tenants: [],
      },
    ],
    ...over,
  };
}

describe('Collections tab', () => {
  test('per currency figures, recovered by cause and the tenant × bucket table, scoped by the filter bar', async () => {
    const backend = fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/tenants': () => list([tenant()]),
      'GET /api/invoices': () => list([invoice()]),
      'GET /api/collections': () => collections(),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    expect(backend.to('GET', '/api/collections')).toHaveLength(0); // only read when the tab opens
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'collections');
    await settle(update);
    const text = seen(wrapper);
    // usd and jpy apart, money in major units with the currency
    expect(text).toContain('USD');
    expect(text).toContain('JPY');
    expect(text).toContain('42.5 days'); // DSO
    expect(text).toContain('$1,500.00'); // overdue
    expect(text).toContain('of $4,000.00 open');
    expect(text).toContain('37.5%'); // overdue ratio
    expect(text).toContain('12.3 days'); // average days to pay
    expect(text).toContain('7 invoices paid');
    expect(text).toMatch(/Automatic retry\s+2\s+\$200\.00/);
    expect(text).toMatch(/Reminder\s+1\s+\$50\.00/);
    expect(text).toMatch(/Acme Studio\s+\$1,000\.00\s+—\s+—\s+\$500\.00\s+\$1,500\.00/);
    // jpy: no credit sales, nothing recovered or overdue, said so rather than 0
    expect(text).toContain('No failed payment was recovered in this window.');
    expect(text).toContain('Nothing is overdue in JPY.');
    expect(text).toContain('the last 30 days when no date range is chosen');

    wrapper.find(SearchField)!.trigger('onSelectionChange', TENANT_ID);
    wrapper.find(DateRangePicker)!.trigger('onChange', { range: { start: new Date(2026, 0, 1), end: new Date(2026, 0, 31) } });
    await settle(update);
    const q = Object.fromEntries(backend.last('GET', '/api/collections').url.searchParams);
    expect(q.tenant_id).toBe(TENANT_ID);
    expect(q.from).toBeDefined();
    expect(q.to).toBeDefined();
    expect(seen(wrapper)).not.toContain('when no date range is chosen');
  });

  test('an error shows the API message and retries; no invoices in the window says so', async () => {
    let fail = true;
    fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/tenants': () => list([]),
      'GET /api/invoices': () => list([invoice()]),
      'GET /api/collections': () =>
        fail ? apiError(503, 'database_unavailable', 'the database is unavailable; retry later') : collections({ currencies: [] }),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    wrapper.find(Tabs)!.trigger('onSelectionChange', 'collections');
    await settle(update);
    expect(seen(wrapper)).toContain('Could not load collections');
    expect(seen(wrapper)).toContain('the database is unavailable; retry later');
    fail = false;
    press(wrapper, 'Try again');
    await settle(update);
    expect(seen(wrapper)).toContain('No invoices in this window.');
  });
});

describe('Drawer collections summary', () => {
  test('DSO and overdue per currency, never summed', async () => {
    fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/past-due': () => pastDue(),
      'GET /api/events': () => list([event()]),
      'GET /api/collections': () => collections(),
    });
    const { wrapper, update } = render(<Drawer {...context('stripe.dashboard.drawer.default')} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('Collections');
    expect(text).toContain('DSO 42.5 days · $1,500.00 overdue (37.5%)');
    expect(text).toContain('DSO — · ¥0 overdue (—)');
  });
});
