// Bulk actions from the invoice list: choose, dry run, confirm with one Idempotency-Key, per-invoice
// results, list and cards re-read, toast.
import { render } from '@stripe/ui-extension-sdk/testing';
import type { BulkActionRequest, BulkActionResponse, InvoiceResponse } from '../../../stripe-app/src/api/contract';
import PaymentsAndInvoices from '../../../stripe-app/src/views/PaymentsAndInvoices';
import { apiError, context, fakeBackend, findAll, invoice, list, press, seen, settle, stats, tenant, trigger, type Recorded } from '../support';

const host = vi.hoisted(() => ({ toasts: [] as { message: string; type?: string }[] }));
vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
  showToast: vi.fn(async (message: string, options: { type?: string } = {}) => {
    host.toasts.push({ message, type: options.type });
    return { update: () => {}, dismiss: () => {} };
  }),
  useRefreshDashboardData: () => async () => {},
}));
afterEach(() => {
  vi.unstubAllGlobals();
  host.toasts.length = 0;
});

type Wrapper = ReturnType<typeof render>['wrapper'];
const ids = ['a1111111-1111-4111-8111-111111111111', 'b2222222-2222-4222-8222-222222222222', 'c3333333-3333-4333-8333-333333333333'];
const invoices = [
  invoice({ id: ids[0], number: 'INV-0001' }),
  invoice({ id: ids[1], number: 'INV-0002' }),
  invoice({ id: ids[2], number: 'INV-0003', status: 'paid', amount_paid: 123456, amount_remaining: 0 }),
];
const check = (wrapper: Wrapper, number: string) =>
  trigger(wrapper, 'Checkbox', (c) => String(c.props.label).startsWith(number), 'onChange', { target: { checked: true } });

/** A backend whose bulk route answers like the real one: paid invoices refused, the rest would apply / applied. */
function backend(over: Record<string, (req: Recorded) => unknown> = {}) {
  const voided = new Set<string>();
  const current = (inv: InvoiceResponse): InvoiceResponse => (voided.has(inv.id) ? { ...inv, status: 'void', state: 'void' } : inv);
  return fakeBackend({
    'GET /api/stats': () => stats(),
    'GET /api/tenants': () => list([tenant()]),
    'GET /api/invoices': () => list(invoices.map(current)),
    'POST /api/invoices/bulk': (req): BulkActionResponse => {
      const body = req.body as BulkActionRequest;
      return {
        data: body.invoice_ids.map((id) => {
          const inv = invoices.find((i) => i.id === id)!;
          if (inv.status === 'paid') return { invoice_id: id, number: inv.number, outcome: 'refused', reason: 'a paid invoice cannot be voided', invoice: inv };
          if (!body.dry_run) voided.add(id);
          return { invoice_id: id, number: inv.number, outcome: body.dry_run ? 'would_apply' : 'applied', reason: null, invoice: current(inv) };
        }),
      };
    },
    ...over,
  });
}

async function openBulk() {
  const fake = backend();
  const r = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
  await settle(r.update);
  press(r.wrapper, 'Bulk actions');
  await settle(r.update);
  return { ...r, fake };
}

describe('Bulk actions', () => {
  test('checked invoices: the dry run shows each one, confirm applies with one key, results shown, list and cards re-read', async () => {
    const { wrapper, update, fake } = await openBulk();
    expect(findAll(wrapper, 'Button').find((b) => b.text === 'Preview')!.props.disabled).toBe(true); // nothing chosen
    check(wrapper, 'INV-0001');
    check(wrapper, 'INV-0003');
    await settle(update);
    press(wrapper, 'Preview');
    await settle(update);
    const dry = fake.last('POST', '/api/invoices/bulk');
    expect(dry.body).toEqual({ action: 'void', invoice_ids: [ids[0], ids[2]], dry_run: true });
    let text = seen(wrapper);
    expect(text).toContain('Dry run: void would apply to 1 invoice, 1 refused');
    expect(text).toMatch(/INV-0001\s+Acme Studio\s+Would apply/);
    expect(text).toMatch(/INV-0003\s+Acme Studio\s+Refused\s+a paid invoice cannot be voided/);
    expect(fake.to('POST', '/api/invoices/bulk')).toHaveLength(1); // nothing applied yet

    const listReads = fake.to('GET', '/api/invoices').length;
    const statsReads = fake.to('GET', '/api/stats').length;
    press(wrapper, 'Confirm: void 1 invoice');
    await settle(update);
    const applied = fake.last('POST', '/api/invoices/bulk');
    // only what the dry run allowed, with an idempotency key for this confirmed request
    expect(applied.body).toEqual({ action: 'void', invoice_ids: [ids[0]], dry_run: false });
    expect(applied.headers['idempotency-key']).toMatch(/.{8,}/);
    text = seen(wrapper);
    expect(text).toContain('Result: 1 of 1 invoice applied');
    expect(text).toMatch(/INV-0001\s+Acme Studio\s+Applied/);
    expect(fake.to('GET', '/api/invoices').length).toBeGreaterThan(listReads);
    expect(fake.to('GET', '/api/stats').length).toBeGreaterThan(statsReads);
    expect(host.toasts.at(-1)).toEqual({ message: '1 of 1 applied', type: 'success' });
  });

  test('a failed confirm shows the error and a second confirm resends the same key', async () => {
    let fail = true;
    const bulk = (req: Recorded) => {
      const body = req.body as BulkActionRequest;
      if (!body.dry_run && fail) return apiError(503, 'database_unavailable', 'the database is unavailable; retry later');
      return { data: body.invoice_ids.map((id) => ({ invoice_id: id, number: null, outcome: body.dry_run ? 'would_apply' : 'applied', reason: null, invoice: invoices.find((i) => i.id === id)! })) };
    };
    const wrapped = fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/tenants': () => list([tenant()]),
      'GET /api/invoices': () => list(invoices),
      'POST /api/invoices/bulk': bulk,
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    press(wrapper, 'Bulk actions');
    await settle(update);
    trigger(wrapper, 'Select', (s) => s.props.label === 'Action', 'onChange', { target: { value: 'send-reminder' } });
    check(wrapper, 'INV-0001');
    check(wrapper, 'INV-0002');
    await settle(update);
    press(wrapper, 'Preview');
    await settle(update);
    press(wrapper, 'Confirm: send a reminder for 2 invoices');
    await settle(update);
    expect(seen(wrapper)).toContain('The bulk action did not run');
    expect(seen(wrapper)).toContain('the database is unavailable; retry later');
    fail = false;
    press(wrapper, 'Confirm: send a reminder for 2 invoices');
    await settle(update);
    const applies = wrapped.to('POST', '/api/invoices/bulk').filter((c) => !(c.body as BulkActionRequest).dry_run);
    expect(applies).toHaveLength(2);
    expect(applies[1].headers['idempotency-key']).toBe(applies[0].headers['idempotency-key']);
    expect(seen(wrapper)).toContain('Result: 2 of 2 invoices applied');
  });

  test('"all that match these filters" sends the list filters, capped at 100, and warns when there are more', async () => {
    const fake = fakeBackend({
      'GET /api/stats': () => stats(),
      'GET /api/tenants': () => list([tenant()]),
      'GET /api/invoices': (req) => list(invoices.slice(0, 2), req.url.searchParams.get('limit') === '100' ? 'cur_more' : null),
      'POST /api/invoices/bulk': (req) => ({
        data: (req.body as BulkActionRequest).invoice_ids.map((id) => ({ invoice_id: id, number: null, outcome: 'would_apply', reason: null, invoice: invoices.find((i) => i.id === id)! })),
      }),
    });
    const { wrapper, update } = render(<PaymentsAndInvoices {...context('stripe.dashboard.fullpage')} />);
    await settle(update);
    trigger(wrapper, 'Select', (s) => s.props.label === 'Status', 'onChange', { target: { value: 'past_due' } });
    await settle(update);
    press(wrapper, 'Bulk actions');
    await settle(update);
    trigger(wrapper, 'Radio', (r) => String(r.props.label).startsWith('All invoices that match'), 'onChange', { target: { checked: true } });
    await settle(update);
    press(wrapper, 'Preview');
    await settle(update);
    const read = fake.last('GET', '/api/invoices');
    expect(Object.fromEntries(read.url.searchParams)).toEqual({ status: 'past_due', limit: '100' });
    expect(fake.last('POST', '/api/invoices/bulk').body).toEqual({ action: 'void', invoice_ids: [ids[0], ids[1]], dry_run: true });
    expect(seen(wrapper)).toContain('Only the first 100 matching invoices');
  });
});
