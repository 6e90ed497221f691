// Stripe objects as the API returns them, typed with the library's own types, for the fake Stripe
// server (fake-stripe.ts) and the tests that seed it.
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';

const stripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A complete Stripe.Customer; `partial` overrides any field. */
export function makeCustomer(partial: Partial<Stripe.Customer> = {}): Stripe.Customer {
  return {
    id: stripeId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: nowSeconds(),
    currency: 'usd',
    default_source: null,
    delinquent: false,
    description: null,
    email: 'billing@example.com',
    invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: 'Example Customer',
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
    ...partial,
  };
}

type InvoiceOverrides = Partial<Omit<Stripe.Invoice, 'status_transitions'>> & {
  status_transitions?: Partial<Stripe.Invoice.StatusTransitions>;
};

/**
 * A complete Stripe.Invoice; `partial` overrides any field. Amounts and status transitions follow
 * the status unless given (a paid invoice has amount_paid = total and a paid_at time).
 */
export function makeInvoice(partial: InvoiceOverrides = {}): Stripe.Invoice {
  const id = partial.id ?? stripeId('in');
  const created = partial.created ?? nowSeconds();
  const status = partial.status === undefined ? 'open' : partial.status;
  const total = partial.total ?? 1000;
  const paid = status === 'paid';
  const finalized = status !== 'draft' && status !== null;
  const amountPaid = partial.amount_paid ?? (paid ? total : 0);
  const amountDue = partial.amount_due ?? total;
  const currency = partial.currency ?? 'usd';
  const { status_transitions, ...rest } = partial;
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Fake Platform',
    account_tax_ids: null,
    amount_due: amountDue,
    amount_overpaid: 0,
    amount_paid: amountPaid,
    amount_remaining: partial.amount_remaining ?? (status === 'open' ? amountDue - amountPaid : 0),
    amount_shipping: 0,
    application: null,
    attempt_count: paid ? 1 : 0,
    attempted: paid,
    auto_advance: status === 'draft',
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: 'manual',
    collection_method: 'send_invoice',
    created,
    currency,
    custom_fields: null,
    customer: stripeId('cus'),
    customer_account: null,
    customer_address: null,
    customer_email: 'billing@example.com',
    customer_name: 'Example Customer',
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: created + 30 * 86_400,
    effective_at: finalized ? created : null,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: finalized ? `https://invoice.stripe.com/i/${id}` : null,
    invoice_pdf: finalized ? `https://pay.stripe.com/invoice/${id}/pdf` : null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: finalized ? `${randomBytes(4).toString('hex').toUpperCase()}-0001` : null,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status,
    status_transitions: {
      finalized_at: finalized ? created : null,
      marked_uncollectible_at: status === 'uncollectible' ? created : null,
      paid_at: paid ? created : null,
      voided_at: status === 'void' ? created : null,
      ...status_transitions,
    },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
    ...rest,
  };
}
