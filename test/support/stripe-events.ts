// Typed Stripe objects and events for tests, signed like Stripe signs webhook deliveries.
// The objects are complete per the `stripe` types so a field the handlers read cannot go missing.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { makeInvoice } from './fake-stripe.js';

export const WEBHOOK_SECRET = 'whsec_test_current_0123456789abcdef';
export const OLD_WEBHOOK_SECRET = 'whsec_test_rotated_fedcba9876543210';

const rid = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;
export const newId = rid;

export type EventOf<T extends Stripe.Event['type']> = Extract<Stripe.Event, { type: T }>;

/** Seconds since the epoch, as Stripe's `created` fields. */
export const unix = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000);

/**
 * An open invoice of 100.00 USD with 10.00 tax, as a webhook carries it (the fake Stripe API's
 * builder with webhook-fixture defaults); `fields` override any field.
 */
export function stripeInvoice(fields: Partial<Stripe.Invoice> = {}): Stripe.Invoice {
  const created = fields.created ?? unix('2026-11-01T10:00:00Z');
  return makeInvoice({
    id: rid('in'),
    created,
    status: 'open',
    currency: 'usd',
    customer: rid('cus'),
    number: `INV-${randomBytes(3).toString('hex').toUpperCase()}`,
    amount_due: 10_000,
    amount_paid: 0,
    amount_remaining: 10_000,
    attempt_count: 0,
    attempted: false,
    subtotal: 9_000,
    subtotal_excluding_tax: 9_000,
    total: 10_000,
    total_excluding_tax: 9_000,
    total_taxes: [
      {
        amount: 1_000,
        tax_behavior: 'exclusive',
        tax_rate_details: null,
        taxability_reason: 'standard_rated',
        taxable_amount: 9_000,
        type: 'tax_rate_details',
      },
    ],
    hosted_invoice_url: 'https://invoice.stripe.com/i/acct_x/test_abc',
    invoice_pdf: 'https://pay.stripe.com/invoice/acct_x/test_abc/pdf',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    ...fields,
  });
}

/** The same invoice after it was paid in full. */
export const paid = (invoice: Stripe.Invoice, fields: Partial<Stripe.Invoice> = {}): Stripe.Invoice => ({
  ...invoice,
  status: 'paid',
  amount_paid: invoice.amount_due,
  amount_remaining: 0,
  attempt_count: invoice.attempt_count + 1,
  attempted: true,
  ...fields,
});

/** An invoice linked to its subscription the way API versions since 2025-03-31 do it. */
export function subscriptionParent(subscriptionId: string): Stripe.Invoice.Parent {
  return {
    type: 'subscription_details',
    quote_details: null,
    subscription_details: { metadata: null, subscription: subscriptionId },
  };
}

export function stripeCustomer(fields: Partial<Stripe.Customer> = {}): Stripe.Customer {
  return {
    id: rid('cus'),
    object: 'customer',
    balance: 0,
    created: unix('2026-10-01T00:00:00Z'),
    default_source: null,
    description: null,
    email: 'billing@tenant.example',
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    shipping: null,
    name: 'Tenant Ltd',
    ...fields,
  };
}

export function stripeCharge(fields: Partial<Stripe.Charge> = {}): Stripe.Charge {
  return {
    id: rid('ch'),
    object: 'charge',
    amount: 10_000,
    amount_captured: 10_000,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: rid('txn'),
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'PLATFORM',
    captured: true,
    created: unix('2026-11-02T10:00:00Z'),
    currency: 'usd',
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: rid('pi'),
    payment_method: rid('pm'),
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
    ...fields,
  };
}

export function stripeRefund(fields: Partial<Stripe.Refund> = {}): Stripe.Refund {
  return {
    id: rid('re'),
    object: 'refund',
    amount: 1_000,
    balance_transaction: null,
    charge: rid('ch'),
    created: unix('2026-11-03T10:00:00Z'),
    currency: 'usd',
    customer: null,
    customer_account: null,
    metadata: {},
    payment_intent: null,
    payment_method: null,
    reason: 'requested_by_customer',
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...fields,
  };
}

export function stripeInvoicePayment(
  invoiceId: string,
  paymentIntent: string,
  fields: Partial<Stripe.InvoicePayment> = {},
): Stripe.InvoicePayment {
  return {
    id: rid('inpay'),
    object: 'invoice_payment',
    amount_paid: 10_000,
    amount_requested: 10_000,
    created: unix('2026-11-02T10:00:00Z'),
    currency: 'usd',
    invoice: invoiceId,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: paymentIntent },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: unix('2026-11-02T10:00:00Z') },
    ...fields,
  };
}

export function stripeSubscription(customer: string, fields: Partial<Stripe.Subscription> = {}): Stripe.Subscription {
  const created = unix('2026-10-01T00:00:00Z');
  return {
    id: rid('sub'),
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: created,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: null,
    collection_method: 'charge_automatically',
    created,
    currency: 'usd',
    customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: [], has_more: false, url: '/v1/subscription_items' },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: null,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status: 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: null,
    trial_start: null,
    ...fields,
  };
}

export function stripeCheckoutSession(fields: Partial<Stripe.Checkout.Session> = {}): Stripe.Checkout.Session {
  const created = unix('2026-11-01T09:00:00Z');
  return {
    id: rid('cs_test'),
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: 10_000,
    amount_total: 10_000,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id: null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: 'usd',
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: null,
    discounts: null,
    expires_at: created + 86400,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: {},
    mode: 'subscription',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_status: 'paid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'complete',
    submit_type: null,
    subscription: null,
    success_url: 'https://platform.example/thanks',
    total_details: null,
    ui_mode: 'hosted',
    url: null,
    wallet_options: null,
    ...fields,
  };
}

export const stripeApplication = (): Stripe.Application => ({ id: rid('ca'), object: 'application', name: 'Tenant Billing' });

export interface EventOptions {
  /** the Connect account the event belongs to; omit for a direct (platform) endpoint */
  account?: string;
  created?: number | Date | string;
  id?: string;
  livemode?: boolean;
  previous_attributes?: Record<string, unknown>;
}

/** A typed event of `type` carrying `object`, as Stripe would deliver it. */
export function stripeEvent<T extends Stripe.Event['type']>(
  type: T,
  object: EventOf<T>['data']['object'],
  opts: EventOptions = {},
): EventOf<T> {
  const created = typeof opts.created === 'number' ? opts.created : unix(opts.created ?? new Date());
  const event = {
    id: opts.id ?? rid('evt'),
    object: 'event',
    ...(opts.account ? { account: opts.account } : {}),
    api_version: '2026-10-28.endive',
    created,
    data: { object, ...(opts.previous_attributes ? { previous_attributes: opts.previous_attributes } : {}) },
    livemode: opts.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
  return event as unknown as EventOf<T>;
}

/** Body and headers of a delivery, signed with `secret` at `timestamp` (seconds). */
export function signDelivery(
  event: unknown,
  opts: { secret?: string; timestamp?: number } = {},
): { body: string; headers: Record<string, string> } {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: opts.secret ?? WEBHOOK_SECRET,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}

/** Posts a signed delivery to /webhooks/stripe of an app (app.request or a fetch-like). */
export function deliver(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  event: unknown,
  opts: { secret?: string; timestamp?: number } = {},
): Promise<Response> {
  const { body, headers } = signDelivery(event, opts);
  return Promise.resolve(app.request('/webhooks/stripe', { method: 'POST', headers, body }));
}
