import { render } from '@stripe/ui-extension-sdk/testing';
import { createApiClient } from '../../../stripe-app/src/api/client';
import { OneTimeInvoice } from '../../../stripe-app/src/components/OneTimeInvoice';
import { fakeHost } from '../host';
import { TENANT_ID, context, fakeBackend, findAll, invoiceDetail, list, press, seen, settle, tenant, trigger } from '../support';

vi.mock('@stripe/ui-extension-sdk/utils', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@stripe/ui-extension-sdk/utils')>()),
  fetchStripeSignature: vi.fn(async () => 'sig'),
}));
afterEach(() => vi.unstubAllGlobals());

type Wrapper = ReturnType<typeof render>['wrapper'];
const second = tenant({ id: '44444444-4444-4444-8444-444444444444', name: 'Globex' });
const NEW_ID = '55555555-5555-4555-8555-555555555555';

function mount(opts: { setShown?: (s: boolean) => void; onCreated?: () => void } = {}) {
  const api = createApiClient(context('stripe.dashboard.fullpage'));
  return render(
    <OneTimeInvoice api={api} locale="en-US" shown setShown={opts.setShown ?? (() => {})} onCreated={opts.onCreated} />,
  );
}
const type = (wrapper: Wrapper, label: string, value: string) =>
  trigger(wrapper, 'TextField', (f) => f.props.label === label, 'onChange', { target: { value } });
const pick = (wrapper: Wrapper, id: string) =>
  trigger(wrapper, 'SearchField', (s) => s.props.label === 'Tenants', 'onSelectionChange', id);
const chips = (wrapper: Wrapper) => findAll(wrapper, 'Chip').map((c) => c.props.value);
const fieldError = (wrapper: Wrapper, label: string) => findAll(wrapper, 'TextField').find((f) => f.props.label === label)?.props.error;

describe('OneTimeInvoice', () => {
  test('picked tenants are shown as chips, removable, and not offered twice', async () => {
    fakeBackend({ 'GET /api/tenants': () => list([tenant(), second]) });
    const { wrapper, update } = mount();
    await settle(update);
    pick(wrapper, TENANT_ID);
    await settle(update);
    pick(wrapper, second.id);
    await settle(update);
    expect(chips(wrapper)).toEqual(['Acme Studio', 'Globex']);
    expect(findAll(wrapper, 'SearchField')[0].props.data).toEqual([]);
    expect(seen(wrapper)).toContain('2 picked');
    trigger(wrapper, 'Chip', (c) => c.props.value === 'Acme Studio', 'onClose');
    await settle(update);
    expect(chips(wrapper)).toEqual(['Globex']);
    expect(findAll(wrapper, 'SearchField')[0].props.data).toEqual([{ id: TENANT_ID, value: 'Acme Studio' }]);
  });

  test('validation errors appear on Create and clear as each field is fixed', async () => {
    const backend = fakeBackend({ 'GET /api/tenants': () => list([tenant()]) });
    const { wrapper, update } = mount();
    await settle(update);
    press(wrapper, 'Create invoices');
    await settle(update);
    expect(seen(wrapper)).toContain('Pick at least one tenant.');
    expect(fieldError(wrapper, 'Line 1 description')).toBe('Describe the line.');
    expect(fieldError(wrapper, 'Line 1 amount')).toBe('Enter a positive amount with at most 2 decimals.');
    expect(backend.to('POST', '/api/one-time-invoices')).toHaveLength(0);

    type(wrapper, 'Line 1 description', 'Setup fee');
    await settle(update);
    expect(fieldError(wrapper, 'Line 1 description')).toBeUndefined();
    expect(fieldError(wrapper, 'Line 1 amount')).toBeDefined();
    type(wrapper, 'Line 1 amount', '12.5');
    pick(wrapper, TENANT_ID);
    await settle(update);
    expect(fieldError(wrapper, 'Line 1 amount')).toBeUndefined();
    expect(seen(wrapper)).not.toContain('Pick at least one tenant.');
  });

  test('creates, names each invoice by its number with links, toasts, re-reads the page; Done has no spinner', async () => {
    const host = fakeHost();
    const onCreated = vi.fn();
    const setShown = vi.fn();
    const backend = fakeBackend({
      'GET /api/tenants': () => list([tenant(), second]),
      'POST /api/one-time-invoices': () => ({
        results: [
          { tenant_id: TENANT_ID, invoice_id: NEW_ID, stripe_invoice_id: 'in_FAWjD5ULWYSc7Uk3', error: null },
          { tenant_id: second.id, invoice_id: null, stripe_invoice_id: null, error: { code: 'no_stripe_customer', message: 'tenant "Globex" has no linked Stripe customer' } },
        ],
      }),
      [`GET /api/invoices/${NEW_ID}`]: () => ({
        ...invoiceDetail({ id: NEW_ID, number: 'ACME-0012', external_id: 'in_FAWjD5ULWYSc7Uk3', currency: 'kwd', total: 13734 }),
        dashboard_url: 'https://dashboard.stripe.com/test/invoices/in_FAWjD5ULWYSc7Uk3',
      }),
    });
    const { wrapper, update } = mount({ onCreated, setShown });
    await settle(update);
    pick(wrapper, TENANT_ID);
    await settle(update);
    pick(wrapper, second.id);
    trigger(wrapper, 'Select', (s) => s.props.label === 'Currency', 'onChange', { target: { value: 'kwd' } });
    type(wrapper, 'Line 1 description', 'Setup fee');
    type(wrapper, 'Line 1 amount', '12.5');
    await settle(update);
    press(wrapper, 'Add line');
    await settle(update);
    type(wrapper, 'Line 2 description', 'Creative work');
    type(wrapper, 'Line 2 amount', '1.2345');
    await settle(update);
    press(wrapper, 'Create invoices');
    await settle(update);
    expect(fieldError(wrapper, 'Line 2 amount')).toBe('Enter a positive amount with at most 3 decimals.');
    type(wrapper, 'Line 2 amount', '1.234');
    type(wrapper, 'Days until due', '14');
    await settle(update);
    expect(seen(wrapper)).toContain('13.734');
    press(wrapper, 'Create invoices');
    await settle(update, 6);
    expect(backend.last('POST', '/api/one-time-invoices').body).toEqual({
      tenant_ids: [TENANT_ID, second.id],
      currency: 'kwd',
      lines: [
        { description: 'Setup fee', amount: 12500 },
        { description: 'Creative work', amount: 1234 },
      ],
      days_until_due: 14,
    });
    const text = seen(wrapper);
    expect(text).toContain('1 of 2 invoices created');
    expect(text).toContain('Created ACME-0012');
    expect(text).not.toContain('in_FAWjD5ULWYSc7Uk3');
    expect(text).toContain('Failed: tenant "Globex" has no linked Stripe customer');
    expect(findAll(wrapper, 'Link').map((l) => l.props.href)).toContain('https://dashboard.stripe.com/test/invoices/in_FAWjD5ULWYSc7Uk3');
    expect(onCreated).toHaveBeenCalledTimes(1);
    expect(host.refreshes).toBe(1);
    expect(host.toasts).toEqual([{ message: '1 of 2 invoices created', type: 'success' }]);
    const done = findAll(wrapper, 'Button').find((b) => b.text === 'Done')!;
    expect(done.props.pending).toBe(false);
    press(wrapper, 'Done');
    expect(setShown).toHaveBeenCalledWith(false);
  });
});
