// Shared by the fault tests: invoice lifecycles as signed Stripe events, a sender that retries
// until 2xx (as Stripe does), and the ledger of an account as comparable rows.
import type Stripe from 'stripe';
import type { Sql } from '../../backend/db/client.js';
import { signAppHeaders } from '../support/app-harness.js';
import { signDelivery, stripeEvent, stripeInvoice, type EventOf } from '../support/stripe-events.js';

const BASE = Date.parse('2026-09-01T00:00:00Z') / 1000;

type InvoiceEvent = EventOf<
  | 'invoice.created'
  | 'invoice.finalized'
  | 'invoice.updated'
  | 'invoice.sent'
  | 'invoice.paid'
  | 'invoice.payment_failed'
  | 'invoice.voided'
  | 'invoice.marked_uncollectible'
>;

/** Customer ids the tests link to tenants (every third one stays unlinked). */
export const faultCustomer = (n: number) => `cus_fault${n % 30}`;

/**
 * `count` invoices of 5 events each, in the order Stripe would send them (each step a minute
 * later). Event and invoice ids depend only on the index, so two accounts get the same ledger.
 */
export function invoiceLifecycles(accountId: string, count: number): InvoiceEvent[][] {
  const chains: InvoiceEvent[][] = [];
  for (let i = 0; i < count; i++) {
    const t0 = BASE + i * 7;
    const automatic = i % 4 === 0 || i % 4 === 2 || i % 4 === 3;
    const draft = stripeInvoice({
      id: `in_fault${i}`,
      number: `F-${i}`,
      customer: faultCustomer(i),
      created: t0,
      status: 'draft',
      collection_method: automatic ? 'charge_automatically' : 'send_invoice',
      total: 1_000 + i,
      amount_due: 1_000 + i,
      amount_remaining: 1_000 + i,
      currency: i % 3 === 0 ? 'eur' : 'usd',
    });
    const open = { ...draft, status: 'open' as const };
    const at = (step: number) => ({ account: accountId, created: t0 + step * 60, id: `evt_fault${i}_${step}` });
    const ev = <T extends InvoiceEvent['type']>(type: T, object: Stripe.Invoice, step: number) =>
      stripeEvent(type, object as never, at(step)) as InvoiceEvent;
    const paid = { ...open, status: 'paid' as const, amount_paid: open.amount_due, amount_remaining: 0, attempt_count: 2 };
    const failed = (n: number) => ({ ...open, attempt_count: n, attempted: true });
    const chain = [ev('invoice.created', draft, 0), ev('invoice.finalized', open, 1)];
    switch (i % 4) {
      case 0:
        chain.push(ev('invoice.payment_failed', failed(1), 2), ev('invoice.payment_failed', failed(2), 3), ev('invoice.paid', paid, 4));
        break;
      case 1:
        chain.push(ev('invoice.sent', open, 2), ev('invoice.updated', { ...open, due_date: t0 + 40 * 86_400 }, 3), ev('invoice.paid', paid, 4));
        break;
      case 2:
        chain.push(ev('invoice.updated', open, 2), ev('invoice.payment_failed', failed(1), 3), ev('invoice.voided', { ...open, status: 'void' }, 4));
        break;
      default:
        chain.push(
          ev('invoice.payment_failed', failed(1), 2),
          ev('invoice.updated', failed(1), 3),
          ev('invoice.marked_uncollectible', { ...open, status: 'uncollectible' }, 4),
        );
    }
    chains.push(chain);
  }
  return chains;
}

export interface Attempt {
  eventId: string;
  status: number | 'network_error';
  start: number;
  end: number;
}

/** Posts one event until it is answered 2xx, signing each attempt afresh; records every attempt. */
export async function deliverUntilStored(
  baseUrl: () => string,
  event: { id: string },
  attempts: Attempt[],
  opts: { retryDelayMs?: number; giveUpAfterMs?: number } = {},
): Promise<{ duplicate: boolean }> {
  const deadline = Date.now() + (opts.giveUpAfterMs ?? 60_000);
  for (;;) {
    const start = Date.now();
    const { body, headers } = signDelivery(event);
    try {
      const res = await fetch(`${baseUrl()}/webhooks/stripe`, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      attempts.push({ eventId: event.id, status: res.status, start, end: Date.now() });
      if (res.ok) return { duplicate: JSON.parse(text).duplicate === true };
    } catch {
      attempts.push({ eventId: event.id, status: 'network_error', start, end: Date.now() });
    }
    if (Date.now() > deadline) throw new Error(`event ${event.id} was never stored`);
    await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 50));
  }
}

/** Runs `work` over `items` with `concurrency` workers. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

/** Each invoice's events in order, invoices in parallel: the sender a webhook endpoint sees from Stripe. */
export function sendChains(
  baseUrl: () => string,
  chains: { id: string }[][],
  attempts: Attempt[],
  concurrency: number,
  onStored?: () => void,
) {
  return pool(chains, concurrency, async (chain) => {
    for (const event of chain) {
      await deliverUntilStored(baseUrl, event, attempts);
      onStored?.();
    }
  });
}

export interface LedgerRow {
  external_id: string;
  status: string;
  past_due: boolean;
  currency: string;
  total: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  amount_refunded: number;
  tenant: string | null;
  history: { from: string | null; to: string; at: string; source: string }[];
}

/** The account's invoices (tenant by name, so two accounts compare) with each invoice's history. */
export async function ledgerOf(sql: Sql, accountId: string): Promise<LedgerRow[]> {
  return sql<LedgerRow[]>`
    SELECT i.external_id, i.status, i.past_due, i.currency, i.total, i.amount_due, i.amount_paid, i.amount_remaining,
      i.amount_refunded, t.name AS tenant,
      COALESCE((SELECT json_agg(json_build_object('from', h.from_status, 'to', h.to_status, 'at', h.at, 'source', h.source)
                 ORDER BY h.at, h.id)
        FROM invoice_history h WHERE h.invoice_id = i.id AND h.account_id = i.account_id), '[]') AS history
    FROM invoices i LEFT JOIN tenants t ON t.id = i.tenant_id
    WHERE i.account_id = ${accountId}
    ORDER BY i.external_id`;
}

/** Stored events of the account: total rows and distinct gateway event ids. */
export async function storedEvents(sql: Sql, accountId: string) {
  const [row] = await sql<{ rows: number; distinct_ids: number; unprocessed: number }[]>`
    SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct_ids,
      count(*) FILTER (WHERE NOT processed)::int AS unprocessed
    FROM payment_events WHERE account_id = ${accountId}`;
  return row;
}

/**
 * Waits until the service's applier has applied (or recorded a failure of) every stored event of
 * the account: a 2xx means stored; the ledger catches up a moment later. Fails at the deadline.
 */
export async function waitForApplied(sql: Sql, accountId: string, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const [{ waiting }] = await sql<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM payment_events WHERE account_id = ${accountId} AND state = 'pending'`;
    if (waiting === 0) return;
    if (Date.now() > until) throw new Error(`${waiting} events of ${accountId} still pending after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type ApiCall = (method: string, path: string, body: unknown) => Promise<Response>;

/**
 * Tenants for the account through the app API (a running service's URL, or a call such as the
 * harness's h.api), linked to the fault customers (two of every three).
 */
export async function linkTenants(target: string | ApiCall, accountId: string) {
  const send: ApiCall =
    typeof target === 'string'
      ? (method, path, body) =>
          fetch(`${target}${path}`, {
            method,
            headers: { ...signAppHeaders(accountId, 'usr_fault', { mode: 'test' }), 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
      : target;
  const call = async (method: string, path: string, body: unknown) => {
    const res = await send(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id: string }>;
  };
  for (let t = 0; t < 10; t++) {
    const tenant = await call('POST', '/api/tenants', { name: `Fault tenant ${t}` });
    for (const n of [t * 3, t * 3 + 1]) {
      await call('POST', `/api/tenants/${tenant.id}/links`, { gateway: 'stripe', external_id: faultCustomer(n) });
    }
  }
}
