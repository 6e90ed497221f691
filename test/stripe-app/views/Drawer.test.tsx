import { render } from '@stripe/ui-extension-sdk/testing';
import { Spinner } from '@stripe/ui-extension-sdk/ui';
import Drawer from '../../../stripe-app/src/views/Drawer';
import { apiError, context, emptyStats, event, fakeBackend, list, pastDue, pending, seen, settle, stats } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

const props = () => context('stripe.dashboard.drawer.default');

describe('Drawer', () => {
  test('loading', async () => {
    fakeBackend({ 'GET /api/stats': pending, 'GET /api/past-due': pending, 'GET /api/events': pending });
    const { wrapper, update } = render(<Drawer {...props()} />);
    await settle(update);
    expect(wrapper).toContainComponentTimes(Spinner, 3);
  });

  test('empty', async () => {
    fakeBackend({
      'GET /api/stats': () => emptyStats(),
      'GET /api/past-due': () => pastDue({ currencies: [] }),
      'GET /api/events': () => list([]),
    });
    const { wrapper, update } = render(<Drawer {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('No invoices in this period.');
    expect(text).toContain('No past-due invoices.');
    expect(text).toContain('No failed events.');
  });

  test('error in one section leaves the others working', async () => {
    fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/past-due': () => apiError(503, 'database_unavailable', 'the database is unavailable; retry later'),
      'GET /api/events': () => list([]),
    });
    const { wrapper, update } = render(<Drawer {...props()} />);
    await settle(update);
    expect(seen(wrapper)).toContain('Could not load past-due invoices');
    expect(seen(wrapper)).toContain('$12,345.67');
  });

  test('filled: cards per currency, past-due totals, latest failed events', async () => {
    const backend = fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/past-due': () => pastDue(),
      'GET /api/events': () =>
        list([event({ type: 'invoice.payment_failed', processed: false, error: 'no tenant for cus_X' })]),
    });
    const { wrapper, update } = render(<Drawer {...props()} />);
    await settle(update);
    const text = seen(wrapper);
    expect(text).toContain('USD');
    expect(text).toContain('$12,345.67'); // total revenue, usd
    expect(text).toContain('$50.00'); // refunded
    expect(text).toContain('$2,500.00'); // pending
    expect(text).toContain('¥150,000'); // jpy has no minor unit
    expect(text).toContain('3 invoices · €399.00');
    expect(text).toContain('invoice.payment_failed (Stripe)');
    expect(text).toContain('no tenant for cus_X');
    expect(backend.last('GET', '/api/events').url.searchParams.get('processed')).toBe('false');
  });
});
