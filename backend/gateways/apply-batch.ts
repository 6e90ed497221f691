// Applies a claimed batch of stored events to the ledger, in one transaction with its claim and
// the events' outcomes. Fast path: Stripe invoice events and PayPal sales and captures set-based
// (per scope, consecutive runs of one kind as one applyStripeInvoices or applyPaypalPayments),
// every other event through its handler. When any event fails, the transaction rolls back whole
// and the batch is applied again one event per savepoint (the slow path), so the failing event is
// isolated and the rest apply.
import type Stripe from 'stripe';
import type { Sql, Tx } from '../db/client.js';
import {
  applyIsolated,
  claimPending,
  recordOutcomes,
  type EventOutcome,
  type StoredEvent,
} from '../domain/event-inbox.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { ProcessOutcome } from '../domain/events.js';
import { parsePaypalEvent } from './paypal/parse-event.js';
import { applyPaypalPayments, type PaypalPaymentItem } from './paypal/process-event.js';
import { processorFor } from './processors.js';
import { invoiceOfEvent } from './stripe/handlers.js';
import { applyStripeInvoices, type StripeInvoiceItem } from './stripe/invoice-batch.js';

/** An event of the batch failed on the fast path: the batch is redone on the slow path. */
class BatchFailed extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** An event with a set-based form: a Stripe invoice, or a PayPal sale or capture. */
type RunItem =
  | { kind: 'stripe-invoice'; event: StoredEvent; item: StripeInvoiceItem }
  | { kind: 'paypal-payment'; event: StoredEvent; item: PaypalPaymentItem };

/** The set-based form of an event; null for anything else (applied through its handler). */
function runItem(event: StoredEvent): RunItem | null {
  if (event.gateway === 'paypal') {
    const { action } = parsePaypalEvent(event.payload);
    return action.kind === 'payment' ? { kind: 'paypal-payment', event, item: { payment: action.payment, eventId: event.event_id } } : null;
  }
  const payload = event.payload as Stripe.Event;
  // objects without an id (upcoming invoices) have nothing to apply: their handler ignores them
  if (!(payload?.data?.object as { id?: string } | undefined)?.id) return null;
  const of = invoiceOfEvent(payload);
  if (!of) return null;
  const source = { time: event.occurred_at, eventId: event.event_id, label: `event:${event.event_id}` };
  return { kind: 'stripe-invoice', event, item: { ...of, source } };
}

/** Applies a run of items of one kind and scope; one outcome per item. */
async function applyRun(tx: Tx, run: RunItem[]): Promise<ProcessOutcome[]> {
  const { account_id, livemode } = run[0].event;
  const scope = { accountId: account_id, livemode };
  if (run[0].kind === 'paypal-payment') {
    return applyPaypalPayments(tx, scope, run.map((r) => (r as Extract<RunItem, { kind: 'paypal-payment' }>).item));
  }
  const results = await applyStripeInvoices(tx, scope, run.map((r) => (r as Extract<RunItem, { kind: 'stripe-invoice' }>).item));
  return results.map((r) => ({ tenant_id: r.tenantId, invoice_id: r.invoiceId }));
}

async function applyFast(tx: Tx, events: StoredEvent[]): Promise<EventOutcome[]> {
  const outcomes = new Map<string, EventOutcome>();
  // Consecutive events of one kind and scope wait in a run; any other event of that scope applies
  // the run first, so each scope sees its events in the order claimed.
  const runs = new Map<string, RunItem[]>();
  const flush = async (key: string) => {
    const run = runs.get(key);
    if (!run?.length) return;
    runs.delete(key);
    const results = await applyRun(tx, run);
    run.forEach((r, i) => outcomes.set(r.event.id, { id: r.event.id, ok: true, outcome: results[i] }));
  };
  for (const event of events) {
    const key = `${event.account_id}:${event.livemode}`;
    const item = runItem(event);
    if (item) {
      if (runs.get(key)?.[0].kind !== item.kind) await flush(key);
      runs.set(key, [...(runs.get(key) ?? []), item]);
      continue;
    }
    await flush(key);
    const outcome = await processorFor(event.gateway)(tx, { accountId: event.account_id, livemode: event.livemode }, event);
    outcomes.set(event.id, { id: event.id, ok: true, outcome });
  }
  for (const key of [...runs.keys()]) await flush(key);
  return events.map((e) => outcomes.get(e.id)!);
}

export interface BatchResult {
  /** events claimed (applied, ignored or failed) */
  claimed: number;
  /** of which failed this time (retried later, or failed for good) */
  failed: number;
  /** none claimed because another applier holds every account with due events */
  busy: boolean;
}

export interface BatchOptions {
  limit: number;
  now: Date;
  /** only these accounts' events (a drain in tests) */
  accountIds?: string[];
}

/** Claims and applies one batch of pending events. Database errors are thrown: nothing was applied. */
export async function applyPendingBatch(sql: Sql, opts: BatchOptions): Promise<BatchResult> {
  let claimedIds: string[] = [];
  let claimedAccount: string | null = null;
  try {
    return await sql.begin(async (tx) => {
      const { events, busy } = await claimPending(tx, opts);
      claimedIds = events.map((e) => e.id);
      claimedAccount = events[0]?.account_id ?? null;
      if (events.length === 0) return { claimed: 0, failed: 0, busy };
      let outcomes: EventOutcome[];
      try {
        outcomes = await applyFast(tx, events);
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err;
        throw new BatchFailed(err);
      }
      await recordOutcomes(tx, events[0].account_id, outcomes);
      return { claimed: events.length, failed: 0, busy: false };
    });
  } catch (err) {
    if (!(err instanceof BatchFailed)) throw err;
  }
  // The slow path, on the same events (those another applier took meanwhile are its own now).
  return sql.begin(async (tx) => {
    // the same account's events again, by key (no search for a candidate account over every pending event)
    const { events, busy } = await claimPending(tx, { ...opts, ids: claimedIds, accountIds: claimedAccount ? [claimedAccount] : [] });
    if (events.length === 0) return { claimed: 0, failed: 0, busy };
    const outcomes = await applyIsolated(tx, events, processorFor, opts.now);
    await recordOutcomes(tx, events[0].account_id, outcomes);
    return { claimed: events.length, failed: outcomes.filter((o) => !o.ok).length, busy: false };
  });
}
