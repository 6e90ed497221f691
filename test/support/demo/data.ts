// The demo's story: a dozen tenants billed through Stripe (usd, eur, jpy) and PayPal, with
// invoices in every status, refunds, failed payments (one still failed, one failed then paid) and
// past-due invoices in every aging bucket; every event type the product's tracked-events list
// names (checkout.session.completed, customer.subscription.created/updated/deleted, invoice.*,
// BILLING.SUBSCRIPTION.CREATED/ACTIVATED/SUSPENDED/CANCELLED) appears at least once.
// Everything is expressed as the webhook events Stripe and PayPal would send. Ids are fixed, so a
// second run delivers the very same events (duplicates, stored once); dates are relative to `now`.
import type Stripe from 'stripe';
import { stripeCharge, stripeCheckoutSession, stripeCustomer, stripeEvent, stripeInvoice, stripeSubscription } from '../stripe-events.js';

const DAY = 86_400;

export interface DemoTenant {
  slug: string;
  name: string;
  /** the tenant's external reference in the platform */
  ref: string;
  livemode: boolean;
  stripeCustomer?: string;
  paypalSubscription?: string;
}

export interface PaypalEvent {
  id: string;
  body: Record<string, unknown>;
}

export interface DemoData {
  tenants: DemoTenant[];
  customers: Stripe.Customer[];
  stripeEvents: Stripe.Event[];
  paypalEvents: PaypalEvent[];
  /** the last state of every Stripe invoice, as the Stripe API would return it */
  invoices: Stripe.Invoice[];
  /** the PayPal webhook id the demo signs for (saved in the test-mode settings) */
  paypalWebhookId: string;
}

type Kind =
  | 'paid'
  | 'open'
  | 'draft'
  | 'void'
  | 'uncollectible'
  | 'past_due'
  | 'payment_failed'
  | 'failed_then_paid'
  | 'refund_partial'
  | 'refund_full';

interface InvoicePlan {
  kind: Kind;
  /** days before now the invoice was created */
  age: number;
  /** for past_due: days past the due date today */
  overdue?: number;
  amount?: number;
}

interface StripeTenantPlan {
  slug: string;
  name: string;
  currency: 'usd' | 'eur' | 'jpy';
  /** the monthly amount in minor units (yen for jpy) */
  plan: number;
  prefix: string;
  livemode?: boolean;
  paypal?: boolean;
  /** days ago the plan changed (customer.subscription.updated) */
  planChangedDaysAgo?: number;
  /** days ago the subscription was cancelled (customer.subscription.deleted) */
  cancelledDaysAgo?: number;
  invoices: InvoicePlan[];
}

/** Paid monthly invoices for the given months back (about 30 days apart). */
const history = (...months: number[]): InvoicePlan[] => months.map((m) => ({ kind: 'paid', age: m * 30 + 3 }));

const STRIPE_TENANTS: StripeTenantPlan[] = [
  { slug: 'acme', name: 'Acme Analytics', currency: 'usd', plan: 19_900, prefix: 'ACME', planChangedDaysAgo: 95, invoices: [
    ...history(6, 5, 3, 2), { kind: 'refund_partial', age: 123 }, { kind: 'past_due', age: 40, overdue: 10 }, { kind: 'open', age: 4 },
  ] },
  { slug: 'borealis', name: 'Borealis Health', currency: 'eur', plan: 12_900, prefix: 'BORE', invoices: [
    ...history(6, 5, 4, 3, 2), { kind: 'past_due', age: 75, overdue: 45 }, { kind: 'void', age: 33 }, { kind: 'open', age: 3 },
  ] },
  { slug: 'kaizen', name: 'Kaizen Robotics', currency: 'jpy', plan: 29_800, prefix: 'KAIZ', invoices: [
    ...history(5, 4, 2), { kind: 'refund_full', age: 93 }, { kind: 'past_due', age: 105, overdue: 75 }, { kind: 'open', age: 5 },
  ] },
  { slug: 'lumen', name: 'Lumen Studios', currency: 'usd', plan: 8_900, prefix: 'LUMN', invoices: [
    ...history(6, 5, 4), { kind: 'past_due', age: 150, overdue: 120 }, { kind: 'uncollectible', age: 64 }, { kind: 'open', age: 2 },
  ] },
  { slug: 'northwind', name: 'Northwind Logistics', currency: 'usd', plan: 49_900, prefix: 'NWND', invoices: [
    ...history(6, 5, 4, 3, 2, 1), { kind: 'payment_failed', age: 6 }, { kind: 'draft', age: 1 },
  ] },
  { slug: 'orbital', name: 'Orbital Foods', currency: 'eur', plan: 7_500, prefix: 'ORBT', invoices: [
    ...history(5, 4, 3), { kind: 'uncollectible', age: 70 }, { kind: 'draft', age: 2 }, { kind: 'open', age: 6 },
  ] },
  { slug: 'sakura', name: 'Sakura Design', currency: 'jpy', plan: 9_800, prefix: 'SAKU', invoices: [
    ...history(6, 5, 4, 3), { kind: 'failed_then_paid', age: 40 }, { kind: 'open', age: 8 },
  ] },
  { slug: 'tidewater', name: 'Tidewater Labs', currency: 'usd', plan: 29_900, prefix: 'TIDE', cancelledDaysAgo: 15, invoices: [
    ...history(4, 3, 2, 1), { kind: 'void', age: 20 }, { kind: 'refund_partial', age: 155 },
  ] },
  { slug: 'vertex', name: 'Vertex Legal', currency: 'eur', plan: 45_000, prefix: 'VRTX', invoices: [
    ...history(6, 4, 3), { kind: 'past_due', age: 50, overdue: 20 }, { kind: 'past_due', age: 130, overdue: 100 }, { kind: 'open', age: 1 },
  ] },
  { slug: 'quartz', name: 'Quartz Fitness', currency: 'usd', plan: 4_900, prefix: 'QRTZ', paypal: true, invoices: [
    ...history(2, 1), { kind: 'payment_failed', age: 12 },
  ] },
  // Live mode: a small, separate ledger, so the mode switch visibly changes the data.
  { slug: 'acme_live', name: 'Acme Analytics', currency: 'usd', plan: 19_900, prefix: 'ACME-L', livemode: true, invoices: [
    ...history(2, 1), { kind: 'open', age: 5 },
  ] },
  { slug: 'borealis_live', name: 'Borealis Health', currency: 'eur', plan: 12_900, prefix: 'BORE-L', livemode: true, invoices: [
    ...history(1), { kind: 'past_due', age: 45, overdue: 15 },
  ] },
];

interface PaypalTenantPlan {
  slug: string;
  name: string;
  subscription: string;
  payer: string;
  currency: 'USD' | 'EUR' | 'JPY';
  price: string;
  /** months back of the completed monthly sales */
  sales: number[];
  refundMonth?: number;
  /** days ago the latest monthly payment failed (still outstanding) */
  failedDaysAgo?: number;
  /** days ago the subscription was suspended, then cancelled (nothing owed) */
  suspendedDaysAgo?: number;
  cancelledDaysAgo?: number;
}

const PAYPAL_TENANTS: PaypalTenantPlan[] = [
  { slug: 'willow', name: 'Willow Schools', subscription: 'I-DEMOWILLOW0001', payer: 'DEMOPAYERWILLOW', currency: 'USD', price: '59.00', sales: [5, 4, 3, 2, 1], refundMonth: 3, suspendedDaysAgo: 20, cancelledDaysAgo: 12 },
  { slug: 'zephyr', name: 'Zephyr Media', subscription: 'I-DEMOZEPHYR0001', payer: 'DEMOPAYERZEPHYR', currency: 'EUR', price: '29.00', sales: [4, 3, 2], failedDaysAgo: 33 },
  { slug: 'quartz', name: 'Quartz Fitness', subscription: 'I-DEMOQUARTZ0001', payer: 'DEMOPAYERQUARTZ', currency: 'USD', price: '19.00', sales: [3, 2, 1] },
  { slug: 'kaizen', name: 'Kaizen Robotics', subscription: 'I-DEMOKAIZEN0001', payer: 'DEMOPAYERKAIZEN', currency: 'JPY', price: '4900', sales: [2, 1] },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** Stripe ids are letters and digits after the prefix: acme_live -> AcmeLive. */
const idPart = (slug: string) => slug.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const DEMO_PAYPAL_WEBHOOK_ID = 'DEMOWEBHOOK0TENANTBILLING';

export function buildDemo(accountId: string, now: Date): DemoData {
  const nowS = Math.floor(now.getTime() / 1000);
  const tenants = new Map<string, DemoTenant>();
  const customers: Stripe.Customer[] = [];
  const stripeEvents: Stripe.Event[] = [];
  const latest = new Map<string, Stripe.Invoice>();

  const push = <T extends Stripe.Event['type']>(
    type: T,
    object: Extract<Stripe.Event, { type: T }>['data']['object'],
    id: string,
    created: number,
    livemode: boolean,
  ) => {
    stripeEvents.push(stripeEvent<T>(type, object as never, { id: `evt_Demo${id}`, account: accountId, created, livemode }));
    if ((object as { object?: string }).object === 'invoice') latest.set((object as Stripe.Invoice).id, object as Stripe.Invoice);
  };

  for (const t of STRIPE_TENANTS) {
    const livemode = !!t.livemode;
    const customerId = `cus_Demo${idPart(t.slug)}`;
    const baseSlug = t.slug.replace(/_live$/, '');
    tenants.set(`${baseSlug}:${livemode}`, {
      slug: baseSlug,
      name: t.name,
      ref: `tenant-${baseSlug}`,
      livemode,
      stripeCustomer: customerId,
    });
    const customer = stripeCustomer({
      id: customerId,
      name: t.name,
      email: `billing@${baseSlug}.example`,
      livemode,
      created: nowS - 200 * DAY,
      metadata: { tenant: `tenant-${baseSlug}` },
    });
    customers.push(customer);
    push('customer.created', customer, `${idPart(t.slug)}Customer`, customer.created, livemode);

    // Sign-up through Checkout starts the subscription the monthly invoices bill.
    const signUp = customer.created + 3600;
    const subscriptionId = `sub_Demo${idPart(t.slug)}`;
    const subscription = stripeSubscription(customerId, {
      id: subscriptionId,
      created: signUp,
      start_date: signUp,
      billing_cycle_anchor: signUp,
      currency: t.currency,
      livemode,
      description: `${t.name} · monthly plan`,
      metadata: { tenant: `tenant-${baseSlug}` },
    });
    push(
      'checkout.session.completed',
      stripeCheckoutSession({
        id: `cs_Demo${idPart(t.slug)}`,
        created: signUp,
        expires_at: signUp + DAY,
        currency: t.currency,
        amount_subtotal: t.plan,
        amount_total: t.plan,
        customer: customerId,
        customer_email: customer.email,
        subscription: subscriptionId,
        client_reference_id: `tenant-${baseSlug}`,
        livemode,
      }),
      `${idPart(t.slug)}Checkout`,
      signUp,
      livemode,
    );
    push('customer.subscription.created', subscription, `${idPart(t.slug)}SubscriptionCreated`, signUp + 1, livemode);
    if (t.planChangedDaysAgo !== undefined) {
      const at = nowS - t.planChangedDaysAgo * DAY;
      push('customer.subscription.updated', { ...subscription, description: `${t.name} · monthly plan (upgraded)` }, `${idPart(t.slug)}SubscriptionUpdated`, at, livemode);
    }
    if (t.cancelledDaysAgo !== undefined) {
      const at = nowS - t.cancelledDaysAgo * DAY;
      push('customer.subscription.deleted', { ...subscription, status: 'canceled', canceled_at: at, ended_at: at }, `${idPart(t.slug)}SubscriptionDeleted`, at, livemode);
    }

    t.invoices.forEach((plan, i) => {
      const n = i + 1;
      const key = `${idPart(t.slug)}${pad(n)}`;
      const total = plan.amount ?? t.plan;
      const tax = Math.round(total / 11);
      const created = plan.kind === 'past_due' ? nowS - plan.age * DAY : nowS - plan.age * DAY;
      const dueDate = plan.kind === 'past_due' ? nowS - (plan.overdue ?? 1) * DAY : created + 30 * DAY;
      const charge = ['payment_failed', 'failed_then_paid'].includes(plan.kind) || plan.kind === 'paid';
      const open: Stripe.Invoice = stripeInvoice({
        id: `in_Demo${key}`,
        customer: customerId,
        customer_name: t.name,
        customer_email: customer.email,
        currency: t.currency,
        number: `${t.prefix}-${pad(n, 4)}`,
        created,
        period_start: created - 30 * DAY,
        period_end: created,
        due_date: charge ? null : dueDate,
        collection_method: charge ? 'charge_automatically' : 'send_invoice',
        status: 'open',
        amount_due: total,
        amount_paid: 0,
        amount_remaining: total,
        subtotal: total - tax,
        subtotal_excluding_tax: total - tax,
        total,
        total_excluding_tax: total - tax,
        total_taxes: [
          { amount: tax, tax_behavior: 'exclusive', tax_rate_details: null, taxability_reason: 'standard_rated', taxable_amount: total - tax, type: 'tax_rate_details' },
        ],
        hosted_invoice_url: null,
        invoice_pdf: null,
        livemode,
        description: `${t.name} · monthly plan`,
        status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: null, voided_at: null },
      });
      if (plan.kind === 'draft') {
        push('invoice.created', { ...open, status: 'draft', number: null, status_transitions: { ...open.status_transitions, finalized_at: null } }, `${key}Created`, created, livemode);
        return;
      }
      push('invoice.finalized', open, `${key}Finalized`, created + 60, livemode);

      const paymentIntent = `pi_Demo${key}`;
      const pay = (at: number, attempts: number) => {
        const paid: Stripe.Invoice = {
          ...open,
          status: 'paid',
          amount_paid: total,
          amount_remaining: 0,
          attempted: true,
          attempt_count: attempts,
          status_transitions: { ...open.status_transitions, paid_at: at },
        };
        push('invoice.paid', paid, `${key}Paid`, at, livemode);
        push(
          'invoice_payment.paid',
          {
            id: `inpay_Demo${key}`,
            object: 'invoice_payment',
            amount_paid: total,
            amount_requested: total,
            created: at,
            currency: t.currency,
            invoice: open.id,
            is_default: true,
            livemode,
            payment: { type: 'payment_intent', payment_intent: paymentIntent },
            status: 'paid',
            status_transitions: { canceled_at: null, paid_at: at },
          },
          `${key}Payment`,
          at + 1,
          livemode,
        );
      };
      const fail = (at: number) =>
        push(
          'invoice.payment_failed',
          { ...open, attempted: true, attempt_count: 1, next_payment_attempt: at + 3 * DAY },
          `${key}PaymentFailed`,
          at,
          livemode,
        );

      switch (plan.kind) {
        case 'paid':
          pay(created + DAY, 1);
          break;
        case 'payment_failed':
          fail(created + 3600);
          break;
        case 'failed_then_paid':
          fail(created + 3600);
          pay(created + 3 * DAY, 2);
          break;
        case 'refund_partial':
        case 'refund_full': {
          pay(created + DAY, 1);
          const refunded = plan.kind === 'refund_full' ? total : Math.round(total / 4);
          push(
            'charge.refunded',
            stripeCharge({
              id: `ch_Demo${key}`,
              amount: total,
              amount_captured: total,
              amount_refunded: refunded,
              refunded: refunded === total,
              currency: t.currency,
              customer: customerId,
              payment_intent: paymentIntent,
              created: created + DAY,
              livemode,
            }),
            `${key}Refunded`,
            created + 5 * DAY,
            livemode,
          );
          break;
        }
        case 'void':
          push('invoice.voided', { ...open, status: 'void', amount_remaining: 0, status_transitions: { ...open.status_transitions, voided_at: created + 2 * DAY } }, `${key}Voided`, created + 2 * DAY, livemode);
          break;
        case 'uncollectible':
          push('invoice.marked_uncollectible', { ...open, status: 'uncollectible', status_transitions: { ...open.status_transitions, marked_uncollectible_at: created + 40 * DAY } }, `${key}Uncollectible`, created + 40 * DAY, livemode);
          break;
        case 'past_due':
        case 'open':
          break;
      }
    });
  }

  // An invoice of a customer no tenant is linked to: shows as unassigned.
  const walkIn = stripeInvoice({
    id: 'in_DemoWalkin01',
    customer: 'cus_DemoWalkin',
    customer_name: 'Walk-in customer',
    currency: 'usd',
    number: 'WALK-0001',
    created: nowS - 9 * DAY,
    due_date: nowS + 21 * DAY,
    hosted_invoice_url: null,
    invoice_pdf: null,
    amount_due: 2_500,
    amount_remaining: 2_500,
    subtotal: 2_500,
    subtotal_excluding_tax: 2_500,
    total: 2_500,
    total_excluding_tax: 2_500,
    total_taxes: [],
    status_transitions: { finalized_at: nowS - 9 * DAY, marked_uncollectible_at: null, paid_at: null, voided_at: null },
  });
  push('invoice.finalized', walkIn, 'Walkin01Finalized', nowS - 9 * DAY, false);

  // PayPal subscriptions: activation, monthly sales, a refund, a failed payment still outstanding.
  const paypalEvents: PaypalEvent[] = [];
  const pp = (id: string, eventType: string, resourceType: string, at: number, resource: Record<string, unknown>) =>
    paypalEvents.push({
      id,
      body: {
        id,
        event_version: '1.0',
        create_time: iso(at),
        resource_type: resourceType,
        resource_version: resourceType === 'subscription' ? '2.0' : undefined,
        event_type: eventType,
        summary: eventType,
        resource,
      },
    });
  for (const p of PAYPAL_TENANTS) {
    const existing = tenants.get(`${p.slug}:false`);
    if (existing) existing.paypalSubscription = p.subscription;
    else tenants.set(`${p.slug}:false`, { slug: p.slug, name: p.name, ref: `tenant-${p.slug}`, livemode: false, paypalSubscription: p.subscription });
    const start = nowS - (Math.max(...p.sales) * 30 + 5) * DAY;
    const subscription = (status: string, at: number, billing: Record<string, unknown>) => ({
      id: p.subscription,
      plan_id: `P-DEMO${p.slug.toUpperCase()}PLAN`,
      status,
      status_update_time: iso(at),
      update_time: iso(at),
      custom_id: `tenant-${p.slug}`,
      subscriber: { email_address: `billing@${p.slug}.example`, payer_id: p.payer },
      billing_info: billing,
    });
    const zero = p.currency === 'JPY' ? '0' : '0.00';
    const none = { outstanding_balance: { currency_code: p.currency, value: zero }, failed_payments_count: 0 };
    pp(`WH-DEMO-${p.slug.toUpperCase()}-CREATED`, 'BILLING.SUBSCRIPTION.CREATED', 'subscription', start - 600, subscription('APPROVAL_PENDING', start - 600, none));
    pp(`WH-DEMO-${p.slug.toUpperCase()}-ACTIVATED`, 'BILLING.SUBSCRIPTION.ACTIVATED', 'subscription', start, subscription('ACTIVE', start, {
      outstanding_balance: { currency_code: p.currency, value: zero },
      failed_payments_count: 0,
    }));
    for (const month of p.sales) {
      const at = nowS - (month * 30 + 2) * DAY;
      const saleId = `DEMOSALE${p.slug.toUpperCase()}${pad(month)}`;
      pp(`WH-DEMO-${p.slug.toUpperCase()}-SALE-${pad(month)}`, 'PAYMENT.SALE.COMPLETED', 'sale', at, {
        id: saleId,
        state: 'completed',
        billing_agreement_id: p.subscription,
        amount: { total: p.price, currency: p.currency, details: { subtotal: p.price } },
        invoice_number: `PP-${p.slug.toUpperCase()}-${pad(month)}`,
        create_time: iso(at),
        update_time: iso(at),
      });
      if (month === p.refundMonth) {
        const refundAt = at + 4 * DAY;
        pp(`WH-DEMO-${p.slug.toUpperCase()}-REFUND-${pad(month)}`, 'PAYMENT.SALE.REFUNDED', 'refund', refundAt, {
          id: `DEMOREFUND${p.slug.toUpperCase()}${pad(month)}`,
          state: 'completed',
          sale_id: saleId,
          amount: { total: `-${p.price}`, currency: p.currency },
          create_time: iso(refundAt),
          update_time: iso(refundAt),
        });
      }
    }
    if (p.failedDaysAgo !== undefined) {
      const at = nowS - p.failedDaysAgo * DAY;
      pp(`WH-DEMO-${p.slug.toUpperCase()}-PAYMENT-FAILED`, 'BILLING.SUBSCRIPTION.PAYMENT.FAILED', 'subscription', at, subscription('ACTIVE', at, {
        outstanding_balance: { currency_code: p.currency, value: p.price },
        failed_payments_count: 1,
        last_failed_payment: { amount: { currency_code: p.currency, value: p.price }, time: iso(at) },
      }));
    }
    if (p.suspendedDaysAgo !== undefined) {
      const at = nowS - p.suspendedDaysAgo * DAY;
      pp(`WH-DEMO-${p.slug.toUpperCase()}-SUSPENDED`, 'BILLING.SUBSCRIPTION.SUSPENDED', 'subscription', at, subscription('SUSPENDED', at, none));
    }
    if (p.cancelledDaysAgo !== undefined) {
      const at = nowS - p.cancelledDaysAgo * DAY;
      pp(`WH-DEMO-${p.slug.toUpperCase()}-CANCELLED`, 'BILLING.SUBSCRIPTION.CANCELLED', 'subscription', at, subscription('CANCELLED', at, none));
    }
  }

  return {
    tenants: [...tenants.values()],
    customers,
    stripeEvents,
    paypalEvents,
    invoices: [...latest.values()],
    paypalWebhookId: DEMO_PAYPAL_WEBHOOK_ID,
  };
}
