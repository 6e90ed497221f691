// The real app with a PayPal webhook id saved per mode, a poster that signs like PayPal, event
// builders in PayPal's documented shapes, and ledger reads for assertions.
import { randomBytes } from 'node:crypto';
import { createHarness, fakeClock, type Clock, type Harness } from '../app-harness.js';
import type { CertServer } from './cert-server.js';
import { paypalHeaders, type SignOptions } from './sign.js';

export const TEST_WEBHOOK_ID = 'WH0TESTMODE0000001';
export const LIVE_WEBHOOK_ID = 'WH0LIVEMODE0000001';

export interface LedgerInvoice {
  id: string;
  livemode: boolean;
  external_id: string;
  number: string | null;
  tenant_id: string | null;
  customer_id: string | null;
  subscription_id: string | null;
  currency: string;
  total: number;
  tax: number;
  amount_paid: number;
  amount_remaining: number;
  amount_refunded: number;
  status: string;
  past_due: boolean;
  payment_failed: boolean;
  due_date: Date | null;
  hosted_url: string | null;
}

export interface LoggedEvent {
  event_id: string;
  livemode: boolean;
  type: string;
  object_id: string | null;
  tenant_id: string | null;
  invoice_id: string | null;
  processed: boolean;
  ignored: boolean;
  error: string | null;
}

export interface PaypalHarness extends Harness {
  /** Posts a signed delivery; after a 2xx, drains the account's pending events (as the applier would). */
  post(event: object | string, o?: Partial<SignOptions> & { accountId?: string; drain?: boolean }): Promise<Response>;
  invoice(externalId: string, livemode?: boolean): Promise<LedgerInvoice | undefined>;
  invoices(livemode?: boolean): Promise<LedgerInvoice[]>;
  events(livemode?: boolean): Promise<LoggedEvent[]>;
  history(invoiceId: string): Promise<string[]>;
  tenant(name: string, externalRef?: string): Promise<string>;
  link(tenantId: string, externalId: string): Promise<void>;
}

export async function paypalHarness(
  certs: CertServer,
  opts: { clock?: Clock; liveWebhookId?: string | null; env?: Record<string, string> } = {},
): Promise<PaypalHarness> {
  const h = createHarness({
    env: { PAYPAL_CERT_URL_PREFIXES: certs.prefix, ...opts.env },
    clock: opts.clock ?? fakeClock('2026-04-02T10:00:00Z'),
  });
  const saved = await h.api('PUT', '/api/settings', { paypal_webhook_id: TEST_WEBHOOK_ID }, { mode: 'test' });
  if (saved.status !== 200) throw new Error(`settings: ${saved.status} ${await saved.text()}`);
  if (opts.liveWebhookId) await h.api('PUT', '/api/settings', { paypal_webhook_id: opts.liveWebhookId }, { mode: 'live' });
  const sql = h.sql;

  const invoices = (livemode = false) =>
    sql<LedgerInvoice[]>`
      SELECT id, livemode, external_id, number, tenant_id, customer_id, subscription_id, currency, total, tax, amount_paid,
        amount_remaining, amount_refunded, status, past_due, payment_failed, due_date, hosted_url
      FROM invoices WHERE account_id = ${h.accountId} AND livemode = ${livemode} ORDER BY created_at, external_id`;

  return {
    ...h,
    async post(event, o = {}) {
      const body = typeof event === 'string' ? event : JSON.stringify(event);
      const { accountId, drain = true, ...sign } = o;
      const headers = paypalHeaders(body, { webhookId: TEST_WEBHOOK_ID, certUrl: certs.certUrl(), time: h.clock.now(), ...sign });
      const res = await h.app.request(`/webhooks/paypal/${accountId ?? h.accountId}`, { method: 'POST', headers, body });
      if (drain && res.ok) await h.drain(accountId ?? h.accountId);
      return res;
    },
    invoices,
    async invoice(externalId, livemode = false) {
      return (await invoices(livemode)).find((i) => i.external_id === externalId);
    },
    events: (livemode = false) =>
      sql<LoggedEvent[]>`
        SELECT event_id, livemode, type, object_id, tenant_id, invoice_id, processed, ignored, error
        FROM payment_events WHERE account_id = ${h.accountId} AND livemode = ${livemode} AND gateway = 'paypal'
        ORDER BY received_at, occurred_at`,
    async history(invoiceId) {
      const rows = await sql<{ from_status: string | null; to_status: string; note: string | null }[]>`
        SELECT from_status, to_status, note FROM invoice_history
        WHERE account_id = ${h.accountId} AND invoice_id = ${invoiceId} ORDER BY at, id`;
      return rows.map((r) => `${r.from_status ?? '∅'}→${r.to_status}${r.note ? ` (${r.note})` : ''}`);
    },
    async tenant(name, externalRef) {
      const res = await h.api('POST', '/api/tenants', { name, external_ref: externalRef ?? null });
      if (res.status !== 201) throw new Error(`tenant: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    async link(tenantId, externalId) {
      const res = await h.api('POST', `/api/tenants/${tenantId}/links`, { gateway: 'paypal', external_id: externalId });
      if (res.status !== 201) throw new Error(`link: ${res.status} ${await res.text()}`);
    },
  };
}

// --- event builders (documented PayPal shapes) ---------------------------------------------------

const iso = (d: Date | string) => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const whId = () => `WH-${randomBytes(8).toString('hex').toUpperCase()}-${randomBytes(8).toString('hex').toUpperCase()}`;

function envelope<R extends object>(eventType: string, resourceType: string, resource: R, at: Date | string) {
  return {
    id: whId(),
    event_version: '1.0',
    create_time: new Date(at).toISOString(),
    resource_type: resourceType,
    event_type: eventType,
    summary: eventType,
    resource,
    links: [],
  };
}

export interface SubscriptionInput {
  id: string;
  status: string;
  at: Date | string;
  custom_id?: string;
  payer_id?: string;
  outstanding?: [string, string];
  failed_payments_count?: number;
  last_failed?: [string, string];
}

export function subscriptionEvent(type: string, s: SubscriptionInput) {
  return envelope(`BILLING.SUBSCRIPTION.${type}`, 'subscription', {
    id: s.id,
    plan_id: 'P-TESTPLAN',
    status: s.status,
    status_update_time: iso(s.at),
    update_time: iso(s.at),
    custom_id: s.custom_id,
    subscriber: { email_address: 'billing@example.com', payer_id: s.payer_id ?? 'PAYERTEST01' },
    billing_info: {
      outstanding_balance: s.outstanding ? { value: s.outstanding[0], currency_code: s.outstanding[1] } : undefined,
      failed_payments_count: s.failed_payments_count ?? 0,
      last_failed_payment: s.last_failed
        ? { amount: { value: s.last_failed[0], currency_code: s.last_failed[1] }, time: iso(s.at) }
        : undefined,
    },
  }, s.at);
}

export function saleEvent(
  type: 'COMPLETED' | 'PENDING' | 'DENIED',
  s: { id: string; subscription?: string; total: string; currency: string; at: Date | string; custom?: string },
) {
  return envelope(`PAYMENT.SALE.${type}`, 'sale', {
    id: s.id,
    state: type.toLowerCase(),
    billing_agreement_id: s.subscription,
    custom: s.custom,
    amount: { total: s.total, currency: s.currency },
    create_time: iso(s.at),
    update_time: iso(s.at),
  }, s.at);
}

export function saleRefundEvent(
  type: 'REFUNDED' | 'REVERSED',
  r: { id: string; sale: string; total: string; currency: string; at: Date | string },
) {
  return envelope(`PAYMENT.SALE.${type}`, 'refund', {
    id: r.id,
    state: 'completed',
    sale_id: r.sale,
    amount: { total: `-${r.total}`, currency: r.currency },
    create_time: iso(r.at),
    update_time: iso(r.at),
  }, r.at);
}

export function captureEvent(
  type: 'COMPLETED' | 'PENDING' | 'DECLINED',
  c: { id: string; value: string; currency: string; at: Date | string; custom_id?: string; invoice_id?: string },
) {
  return envelope(`PAYMENT.CAPTURE.${type}`, 'capture', {
    id: c.id,
    status: type,
    amount: { currency_code: c.currency, value: c.value },
    custom_id: c.custom_id,
    invoice_id: c.invoice_id,
    create_time: iso(c.at),
    update_time: iso(c.at),
  }, c.at);
}

export function captureRefundEvent(
  type: 'REFUNDED' | 'REVERSED',
  r: { id: string; capture: string; value: string; currency: string; at: Date | string },
) {
  return envelope(`PAYMENT.CAPTURE.${type}`, 'refund', {
    id: r.id,
    status: 'COMPLETED',
    amount: { currency_code: r.currency, value: r.value },
    create_time: iso(r.at),
    update_time: iso(r.at),
    links: [
      { href: `https://api.paypal.com/v2/payments/refunds/${r.id}`, rel: 'self', method: 'GET' },
      { href: `https://api.paypal.com/v2/payments/captures/${r.capture}`, rel: 'up', method: 'GET' },
    ],
  }, r.at);
}

export interface InvoiceInput {
  id: string;
  status: string;
  at: Date | string;
  total: string;
  currency: string;
  tax?: string;
  paid?: string;
  due?: string;
  refunded?: string;
  number?: string;
  reference?: string;
  invoice_date?: string;
  term?: { term_type?: string; due_date?: string };
  flat?: boolean;
  items?: { name: string; quantity: string; unit: string }[];
}

export function invoiceEvent(type: string, i: InvoiceInput) {
  const cur = i.currency;
  const invoice = {
    id: i.id,
    status: i.status,
    detail: {
      invoice_number: i.number ?? i.id.slice(-4),
      reference: i.reference,
      currency_code: cur,
      invoice_date: i.invoice_date ?? '2026-03-15',
      payment_term: i.term ?? { term_type: 'NET_30', due_date: '2026-04-14' },
    },
    amount: {
      currency_code: cur,
      value: i.total,
      breakdown: i.tax ? { tax_total: { currency_code: cur, value: i.tax } } : undefined,
    },
    due_amount: i.due !== undefined ? { currency_code: cur, value: i.due } : undefined,
    payments: i.paid !== undefined ? { paid_amount: { currency_code: cur, value: i.paid } } : undefined,
    refunds: i.refunded !== undefined ? { refund_amount: { currency_code: cur, value: i.refunded } } : undefined,
    items: i.items?.map((it) => ({ name: it.name, quantity: it.quantity, unit_amount: { currency_code: cur, value: it.unit } })),
    links: [
      { href: `https://api.paypal.com/v2/invoicing/invoices/${i.id}`, rel: 'self', method: 'GET' },
      { href: `https://www.paypal.com/invoice/p/#${i.id}`, rel: 'payer-view', method: 'GET' },
    ],
  };
  return envelope(`INVOICING.INVOICE.${type}`, 'invoices', i.flat ? invoice : { invoice }, i.at);
}
