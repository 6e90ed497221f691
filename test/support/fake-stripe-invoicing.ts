// Invoice actions, invoice items and invoice creation for the fake Stripe API, with Stripe's
// status rules, card declines and idempotency keys (a repeated key replays the first answer).
// Pass `routes: invoicingRoutes()` to startFakeStripe().
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { errors, makeInvoice, type FakeResponse, type FakeRoute, type FormValue, type RouteContext } from './fake-stripe.js';

const now = () => Math.floor(Date.now() / 1000);
const str = (v: FormValue | FormValue[] | string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/** A customer whose metadata has fake_card=decline gets card_declined on every payment. */
export const DECLINING_CARD = { fake_card: 'decline' };

const cardDeclined = (): FakeResponse => ({
  status: 402,
  body: {
    error: {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
});

function invoiceOr404(ctx: RouteContext): Stripe.Invoice | FakeResponse {
  return ctx.objects.invoices.get(ctx.params.id) ?? errors.missing('invoice', ctx.params.id);
}

const isResponse = (x: unknown): x is FakeResponse => typeof (x as FakeResponse).status === 'number' && 'body' in (x as object);

function transition(
  allowed: Stripe.Invoice.Status[],
  refusal: (inv: Stripe.Invoice) => string,
  apply: (inv: Stripe.Invoice, ctx: RouteContext) => FakeResponse | Stripe.Invoice,
) {
  return (ctx: RouteContext): FakeResponse => {
    const inv = invoiceOr404(ctx);
    if (isResponse(inv)) return inv;
    if (!inv.status || !allowed.includes(inv.status)) return errors.invalid(refusal(inv));
    const out = apply(inv, ctx);
    if (isResponse(out)) return out;
    ctx.objects.invoices.set(out.id!, out);
    return { status: 200, body: out };
  };
}

function recomputeTotals(inv: Stripe.Invoice): Stripe.Invoice {
  const total = inv.lines.data.reduce((sum, l) => sum + l.amount, 0);
  return {
    ...inv,
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    amount_due: total,
    amount_remaining: inv.status === 'paid' ? 0 : total - inv.amount_paid,
  };
}

/** Routes with their own idempotency store: one per fake server. */
export function invoicingRoutes(): FakeRoute[] {
  const replies = new Map<string, { fingerprint: string; response: FakeResponse }>();

  const idempotent = (route: FakeRoute): FakeRoute => ({
    ...route,
    async handle(ctx) {
      const key = ctx.req.idempotencyKey;
      if (!key) return route.handle(ctx);
      const scoped = `${ctx.req.accountId}:${key}`;
      const fingerprint = `${ctx.req.method} ${ctx.req.path} ${JSON.stringify(ctx.req.body)}`;
      const seen = replies.get(scoped);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return {
            status: 400,
            body: {
              error: {
                type: 'idempotency_error',
                message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
              },
            },
          };
        }
        return { ...seen.response, headers: { ...seen.response.headers, 'Idempotent-Replayed': 'true' } };
      }
      const response = await route.handle(ctx);
      replies.set(scoped, { fingerprint, response });
      return response;
    },
  });

  const routes: FakeRoute[] = [
    {
      method: 'POST',
      path: '/v1/invoices/:id/pay',
      handle: transition(
        ['open'],
        (inv) => (inv.status === 'paid' ? 'Invoice is already paid' : `You can only pay an open invoice; this one is ${inv.status}.`),
        (inv, ctx) => {
          const customerId = typeof inv.customer === 'string' ? inv.customer : inv.customer?.id;
          const customer = customerId ? ctx.objects.customers.get(customerId) : undefined;
          const attempted = { ...inv, attempt_count: inv.attempt_count + 1, attempted: true };
          if (customer?.metadata?.fake_card === DECLINING_CARD.fake_card) {
            ctx.objects.invoices.set(inv.id!, attempted);
            return cardDeclined();
          }
          return {
            ...attempted,
            status: 'paid',
            amount_paid: inv.amount_due,
            amount_remaining: 0,
            status_transitions: { ...inv.status_transitions, paid_at: now() },
          };
        },
      ),
    },
    {
      method: 'POST',
      path: '/v1/invoices/:id/void',
      handle: transition(
        ['open', 'uncollectible'],
        (inv) => `You can only void open or uncollectible invoices; this one is ${inv.status}.`,
        (inv) => ({ ...inv, status: 'void', status_transitions: { ...inv.status_transitions, voided_at: now() } }),
      ),
    },
    {
      method: 'POST',
      path: '/v1/invoices/:id/mark_uncollectible',
      handle: transition(
        ['open'],
        (inv) => `You can only mark open invoices as uncollectible; this one is ${inv.status}.`,
        (inv) => ({
          ...inv,
          status: 'uncollectible',
          status_transitions: { ...inv.status_transitions, marked_uncollectible_at: now() },
        }),
      ),
    },
    {
      method: 'POST',
      path: '/v1/invoices/:id/send',
      handle: transition(
        ['open', 'paid'],
        (inv) => `You can only send finalized invoices; this one is ${inv.status}.`,
        (inv) =>
          inv.collection_method !== 'send_invoice'
            ? errors.invalid('You can only manually send an invoice if its collection method is send_invoice.')
            : inv,
      ),
    },
    {
      method: 'POST',
      path: '/v1/invoices/:id/finalize',
      handle: transition(
        ['draft'],
        (inv) => `This invoice is already finalized (${inv.status}).`,
        (inv) => {
          const t = now();
          return {
            ...inv,
            status: 'open',
            number: `${randomBytes(3).toString('hex').toUpperCase()}-0001`,
            due_date: inv.collection_method === 'send_invoice' ? inv.due_date ?? t + 30 * 86_400 : null,
            hosted_invoice_url: `https://invoice.stripe.com/i/${inv.id}`,
            invoice_pdf: `https://pay.stripe.com/invoice/${inv.id}/pdf`,
            status_transitions: { ...inv.status_transitions, finalized_at: t },
          };
        },
      ),
    },
    {
      method: 'POST',
      path: '/v1/invoices',
      handle: (ctx) => {
        const b = ctx.req.body as Record<string, string | Record<string, string>>;
        const customer = str(b.customer);
        if (!customer) return errors.invalid('Missing required param: customer.', 'customer');
        if (!ctx.objects.customers.has(customer)) return errors.missing('customer', customer, 'customer');
        const t = now();
        const days = Number(str(b.days_until_due) ?? 30);
        const inv = makeInvoice({
          status: 'draft',
          customer,
          currency: str(b.currency) ?? 'usd',
          collection_method: (str(b.collection_method) as Stripe.Invoice.CollectionMethod) ?? 'charge_automatically',
          created: t,
          due_date: t + days * 86_400,
          total: 0,
          amount_due: 0,
          amount_remaining: 0,
          metadata: (typeof b.metadata === 'object' ? b.metadata : {}) as Stripe.Metadata,
          livemode: false,
        });
        ctx.objects.invoices.set(inv.id!, inv);
        return { status: 200, body: inv };
      },
    },
    {
      method: 'POST',
      path: '/v1/invoiceitems',
      handle: (ctx) => {
        const b = ctx.req.body as Record<string, string>;
        const inv = b.invoice ? ctx.objects.invoices.get(b.invoice) : undefined;
        if (!inv) return errors.missing('invoice', b.invoice ?? '', 'invoice');
        if (inv.status !== 'draft') return errors.invalid('You can only add invoice items to draft invoices.', 'invoice');
        const amount = Number(b.amount);
        if (!Number.isInteger(amount)) return errors.invalid('Invalid integer: amount', 'amount');
        if (b.currency !== inv.currency) return errors.invalid('The currency of the item must match the invoice.', 'currency');
        const id = `ii_${randomBytes(10).toString('hex')}`;
        const line = { id, object: 'line_item', amount, currency: b.currency, description: b.description ?? null } as unknown as Stripe.InvoiceLineItem;
        ctx.objects.invoices.set(inv.id!, recomputeTotals({ ...inv, lines: { ...inv.lines, data: [...inv.lines.data, line] } }));
        return {
          status: 200,
          body: { id, object: 'invoiceitem', amount, currency: b.currency, customer: b.customer, invoice: inv.id, description: b.description ?? null },
        };
      },
    },
  ];
  return routes.map(idempotent);
}
