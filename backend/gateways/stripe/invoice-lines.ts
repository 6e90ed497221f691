// Stripe invoice lines -> ledger lines, and the full list through the API when a payload's list
// was cut short (Stripe sends at most the first lines in an event; lines.has_more says so).
//
// Kinds, from Stripe's line fields:
//   adjustment   a proration (parent.*_details.proration, or `proration` in older API versions), or
//                any negative line (credits, manual corrections); also one line per invoice-level
//                discount (total_discount_amounts, as a negative amount)
//   usage        a metered price (price.recurring.usage_type = metered, or plan.usage_type), where the
//                payload carries the price object (older versions, or an expanded price)
//   subscription any other line of a subscription item (parent.type subscription_item_details,
//                or type = subscription)
//   fixed        a one-off invoice item: setup fees, minimums, add-ons (parent.type
//                invoice_item_details, or type = invoiceitem)
//   tax          one line per entry of total_taxes (or total_tax_amounts / tax in older versions),
//                "(included)" when the tax is inclusive
//   item         anything else
import type Stripe from 'stripe';
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { completeInvoiceLines, invoiceLines, type InvoiceLine, type LineKind, type StoredLine } from '../../domain/invoice-lines.js';

type PriceLike = { recurring?: { usage_type?: string | null } | null } | string | null | undefined;

/** Fields of API versions before 2025-03-31 that webhook endpoints pinned to them still send. */
interface LegacyLineFields {
  type?: 'subscription' | 'invoiceitem';
  proration?: boolean;
  price?: PriceLike;
  plan?: { usage_type?: string | null } | null;
}
interface LegacyInvoiceTaxFields {
  tax?: number | null;
  total_tax_amounts?: { amount: number; inclusive?: boolean }[] | null;
}

const toDate = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));
const metered = (price: PriceLike) => typeof price === 'object' && price?.recurring?.usage_type === 'metered';

export function stripeLineKind(line: Stripe.InvoiceLineItem): LineKind {
  const legacy = line as Stripe.InvoiceLineItem & LegacyLineFields;
  const parent = line.parent;
  const proration =
    !!legacy.proration || !!parent?.subscription_item_details?.proration || !!parent?.invoice_item_details?.proration;
  if (proration || line.amount < 0) return 'adjustment';
  if (metered(line.pricing?.price_details?.price as PriceLike) || metered(legacy.price) || legacy.plan?.usage_type === 'metered') {
    return 'usage';
  }
  if (parent?.type === 'subscription_item_details' || legacy.type === 'subscription') return 'subscription';
  if (parent?.type === 'invoice_item_details' || legacy.type === 'invoiceitem') return 'fixed';
  return 'item';
}

export function stripeLine(line: Stripe.InvoiceLineItem): InvoiceLine {
  return {
    description: line.description ?? null,
    quantity: line.quantity ?? null,
    amount: line.amount,
    currency: line.currency.toLowerCase(),
    period_start: toDate(line.period?.start),
    period_end: toDate(line.period?.end),
    kind: stripeLineKind(line),
  };
}

/** Lines made from invoice-level figures: discounts, then taxes. */
function invoiceLevelLines(invoice: Stripe.Invoice): StoredLine[] {
  const currency = invoice.currency.toLowerCase();
  const base = { quantity: null, currency, period_start: null, period_end: null, origin: 'invoice' as const };
  const out: StoredLine[] = [];
  for (const d of invoice.total_discount_amounts ?? []) {
    if (d.amount) out.push({ ...base, kind: 'adjustment', description: 'Discount', amount: -d.amount });
  }
  const legacy = invoice as Stripe.Invoice & LegacyInvoiceTaxFields;
  if (Array.isArray(invoice.total_taxes)) {
    for (const t of invoice.total_taxes) {
      out.push({ ...base, kind: 'tax', description: t.tax_behavior === 'inclusive' ? 'Tax (included)' : 'Tax', amount: t.amount });
    }
  } else if (Array.isArray(legacy.total_tax_amounts)) {
    for (const t of legacy.total_tax_amounts) {
      out.push({ ...base, kind: 'tax', description: t.inclusive ? 'Tax (included)' : 'Tax', amount: t.amount });
    }
  } else if (typeof legacy.tax === 'number' && legacy.tax !== 0) {
    out.push({ ...base, kind: 'tax', description: 'Tax', amount: legacy.tax });
  }
  return out;
}

/** The invoice's lines as its payload has them; hasMore when the payload's list was truncated. */
export function stripeInvoiceLines(invoice: Stripe.Invoice): { lines: StoredLine[]; hasMore: boolean } {
  const items = (invoice.lines?.data ?? []).map((l) => ({ ...stripeLine(l), origin: 'line' as const }));
  return { lines: [...items, ...invoiceLevelLines(invoice)], hasMore: !!invoice.lines?.has_more };
}

/** Every line of an invoice of a connected account, through the API (auto-paginated). */
export async function fetchStripeInvoiceLines(stripe: Stripe, accountId: string, invoiceExternalId: string): Promise<InvoiceLine[]> {
  const items = await stripe.invoices
    .listLineItems(invoiceExternalId, { limit: 100 }, { stripeAccount: accountId })
    .autoPagingToArray({ limit: 10_000 });
  return items.map(stripeLine);
}

/**
 * When the stored lines of a Stripe invoice are truncated and a client for the mode is given,
 * fetches the full list and stores it. Failures are logged and the truncated list stays (the
 * next read tries again); the detail read never fails because of it.
 */
export async function completeTruncatedStripeLines(
  deps: { sql: Sql; stripe: Stripe | null; logger: Logger },
  scope: Scope,
  invoiceId: string,
): Promise<void> {
  const set = await invoiceLines(deps.sql, scope, invoiceId);
  if (!set.has_more || !deps.stripe) return;
  const [invoice] = await deps.sql<{ gateway: string; external_id: string }[]>`
    SELECT gateway, external_id FROM invoices
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${invoiceId}`;
  if (invoice?.gateway !== 'stripe') return;
  try {
    const lines = await fetchStripeInvoiceLines(deps.stripe, scope.accountId, invoice.external_id);
    await completeInvoiceLines(deps.sql, scope, invoiceId, set.version, lines);
  } catch (err) {
    const e = err as { message?: string; statusCode?: number };
    deps.logger.warn({ invoice: invoiceId, status: e.statusCode, error: e.message }, 'invoice lines not completed');
  }
}
