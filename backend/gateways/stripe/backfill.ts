// Stripe backfill: pages through an account's customers, then its invoices (100 per page) with the
// Stripe API and applies them to the ledger through the same mapping and ordering guard as the
// webhooks. Each page is applied and its cursor and counts saved in one transaction, so a crashed
// run resumes from the last saved page and every object is applied exactly once. Requests stay
// under SYNC_MAX_REQUESTS_PER_SECOND; 429s and errors Stripe marks retryable are retried with
// exponential backoff and jitter. A run that could not fetch or apply a page ends `failed` with
// the error, never `succeeded`.
// The run records live in domain/sync-runs.ts; when runs start is jobs/sync-runner.ts's business.
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pThrottle from 'p-throttle';
import type { Logger } from 'pino';
import Stripe from 'stripe';
import type { Config } from '../../config.js';
import type { Sql, Tx } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import type { ChangeSource } from '../../domain/invoices.js';
import {
  beginSyncRun,
  finishSyncRun,
  NEXT_PHASE,
  recordFailedAttempt,
  saveSyncPage,
  type SyncPhase,
  type SyncRun,
} from '../../domain/sync-runs.js';
import { applyStripeInvoice, applyStripeInvoices } from './invoice-batch.js';
import { applyStripeCustomer, applyStripeCustomers } from './mapping.js';

export const PAGE_SIZE = 100;
export const BACKFILL_LABEL = 'job:backfill';
/** pages fetched ahead of the one being applied: 10 pages of 100 objects held at most */
export const READ_AHEAD_PAGES = 10;

export interface BackfillDeps {
  sql: Sql;
  stripe: Stripe;
  logger: Logger;
  now: () => Date;
  config: Pick<Config, 'STRIPE_ACCOUNT_ID' | 'SYNC_MAX_REQUESTS_PER_SECOND'>;
}

export interface RetryPolicy {
  /** attempts per request, the first included */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Applies one Stripe object inside the page's transaction. */
export interface BackfillAppliers {
  customer(tx: Tx, scope: Scope, customer: Stripe.Customer): Promise<void>;
  /** a page of customers as one batch (set-based), when given; else `customer` one by one */
  customers?(tx: Tx, scope: Scope, customers: Stripe.Customer[]): Promise<void>;
  invoice(tx: Tx, scope: Scope, invoice: Stripe.Invoice): Promise<void>;
  /** a page of invoices as one batch (set-based), when given; else `invoice` one by one */
  invoices?(tx: Tx, scope: Scope, invoices: Stripe.Invoice[]): Promise<void>;
}

/** Runs a request when the rate allows it. */
export type RequestLimiter = <T>(request: () => Promise<T>) => Promise<T>;

export interface BackfillOptions {
  retry?: Partial<RetryPolicy>;
  /** share one limiter between runs so the process as a whole stays under the rate */
  limiter?: RequestLimiter;
  apply?: Partial<BackfillAppliers>;
  /** after every saved page (and every failed attempt) */
  onProgress?: (run: SyncRun, page: { hasMore: boolean } | null) => void;
  /** stops the run at the next request; it ends failed and can be resumed */
  signal?: AbortSignal;
}

// ---- ordering against live webhooks --------------------------------------------------------------

/**
 * The time a backfilled invoice is "as of", for the ledger's ordering guard: the latest timestamp
 * the invoice itself carries (created, finalized, paid, voided, marked uncollectible), with no
 * event id. Not the time we fetched it: a list page can be older than a webhook applied while we
 * paged (lists may lag, and our clock is not Stripe's), and stamping it "now" would let that stale
 * snapshot overwrite the newer state. With the object's own time a webhook for the same change has
 * an equal or later `created`, and on a tie the event wins (same status rank; a null event id sorts
 * first). So a backfill never overwrites webhook state; it fills in what webhooks never delivered
 * and moves an invoice forward only when its own newer transition proves it.
 */
export function invoiceSourceTime(invoice: Stripe.Invoice): Date {
  const t = invoice.status_transitions;
  const times = [invoice.created, t?.finalized_at, t?.paid_at, t?.voided_at, t?.marked_uncollectible_at];
  return new Date(Math.max(...times.filter((x): x is number => typeof x === 'number')) * 1000);
}

/** Customers carry no update time: `created`, so a backfilled customer never beats a customer event. */
export const customerSourceTime = (customer: Stripe.Customer) => new Date(customer.created * 1000);

const source = (time: Date): ChangeSource => ({ time, eventId: null, label: BACKFILL_LABEL });

export const ledgerAppliers: BackfillAppliers = {
  async customer(tx, scope, customer) {
    await applyStripeCustomer(tx, scope, customer, source(customerSourceTime(customer)));
  },
  // A page of 100 customers in a few statements (one upsert, the re-tenanting set-based).
  async customers(tx, scope, customers) {
    await applyStripeCustomers(tx, scope, customers.map((customer) => ({ customer, source: source(customerSourceTime(customer)) })));
  },
  async invoice(tx, scope, invoice) {
    await applyStripeInvoice(tx, scope, invoice, source(invoiceSourceTime(invoice)));
  },
  // A page of 100 invoices through the applier's set-based path: a handful of statements, not 100 × 6.
  async invoices(tx, scope, invoices) {
    await applyStripeInvoices(tx, scope, invoices.map((invoice) => ({ invoice, source: source(invoiceSourceTime(invoice)) })));
  },
};

// ---- rate and retries ------------------------------------------------------------------------

/**
 * At most `perSecond` requests in any one-second window (p-throttle's strict sliding window). The
 * window is 5% longer than a second so that requests bunched up on the way (network and event-loop
 * jitter) still arrive at Stripe under the rate.
 */
export function createRequestLimiter(perSecond: number): RequestLimiter {
  const window = 1050;
  const opts = Number.isInteger(perSecond)
    ? { limit: perSecond, interval: window }
    : { limit: 1, interval: Math.ceil(window / perSecond) };
  const run = pThrottle({ ...opts, strict: true })((request: () => Promise<unknown>) => request());
  return <T>(request: () => Promise<T>) => run(request) as Promise<T>;
}

/** Stripe's advice first (Stripe-Should-Retry), else rate limits, conflicts, server and network errors. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof Stripe.errors.StripeError)) return false;
  const advice = err.headers?.['stripe-should-retry'];
  if (advice === 'false') return false;
  if (advice === 'true') return true;
  if (err instanceof Stripe.errors.StripeConnectionError) return true;
  const status = err.statusCode ?? 0;
  return status === 429 || status === 409 || status >= 500;
}

/** Exponential backoff with jitter: a random delay in the upper half of the step, capped. */
export function backoffDelay(failures: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return step / 2 + Math.random() * (step / 2);
}

const SECRET_KEY = /\b(sk|rk)_(live|test)_\w+/g;

/** An error as stored on the run and shown by GET /api/sync: specific, never a secret. */
export function describeError(err: unknown): string {
  let text: string;
  if (err instanceof Stripe.errors.StripeError) {
    const status = err.statusCode ? `HTTP ${err.statusCode}` : 'connection error';
    text = `Stripe API ${status}${err.code ? ` ${err.code}` : ''}: ${err.message}`;
  } else {
    text = err instanceof Error ? err.message : String(err);
  }
  return text.replace(SECRET_KEY, '[redacted]').slice(0, 2000);
}

/**
 * Executes a run stored by beginSyncRun until it succeeds or fails, and returns its final record.
 * Never throws for API or apply failures (they end the run failed); throws only when the database
 * cannot record the outcome.
 */
export async function executeSyncRun(deps: BackfillDeps, run: SyncRun, opts: BackfillOptions = {}): Promise<SyncRun> {
  const scope: Scope = { accountId: run.account_id, livemode: run.livemode };
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  const limiter = opts.limiter ?? createRequestLimiter(deps.config.SYNC_MAX_REQUESTS_PER_SECOND);
  const apply: BackfillAppliers = { ...ledgerAppliers, ...opts.apply };
  // a caller's own per-invoice applier (tests) is used as given, not bypassed by the batch
  if (opts.apply?.invoice && !opts.apply.invoices) delete apply.invoices;
  if (opts.apply?.customer && !opts.apply.customers) delete apply.customers;
  // The platform's own account is reached without Stripe-Account; installed accounts with it.
  const requestOptions: Stripe.RequestOptions =
    run.account_id === deps.config.STRIPE_ACCOUNT_ID ? {} : { stripeAccount: run.account_id };
  const log = deps.logger.child({ sync_run: run.id, account_id: run.account_id, livemode: run.livemode });
  let current = run;

  // Ends the pages still being fetched ahead when the run ends, however it ends.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;

  type Page = Stripe.ApiList<Stripe.Customer> | Stripe.ApiList<Stripe.Invoice>;
  const fetchPage = async (phase: SyncPhase, cursor: string | null): Promise<Page> => {
    const params = { limit: PAGE_SIZE, ...(cursor ? { starting_after: cursor } : {}) };
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      try {
        return await limiter<Page>(async () =>
          phase === 'customers'
            ? await deps.stripe.customers.list(params, requestOptions)
            : await deps.stripe.invoices.list(params, requestOptions),
        );
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        // Counted in the database only: pages are fetched while earlier ones are being saved.
        const counted = await recordFailedAttempt(deps.sql, current, deps.now());
        opts.onProgress?.(counted, null);
        if (!isRetryable(err) || attempt >= policy.maxAttempts) throw err;
        const delay = backoffDelay(attempt, policy);
        log.warn({ phase, attempt, delay_ms: Math.round(delay), error: describeError(err) }, 'sync request failed; retrying');
        await sleep(delay, undefined, { signal });
      }
    }
  };

  type Fetched = { phase: SyncPhase; page: Page } | { phase: SyncPhase; error: unknown };
  // Every page from (phase, cursor) on, customers then invoices, in order. A failure (after its
  // retries) is yielded, not thrown, so that the pages fetched before it are still applied.
  async function* pagesFrom(phase: SyncPhase, cursor: string | null): AsyncGenerator<Fetched> {
    for (; phase !== 'done'; phase = NEXT_PHASE[phase], cursor = null) {
      for (;;) {
        let page: Page;
        try {
          page = await fetchPage(phase, cursor);
        } catch (error) {
          yield { phase, error };
          return;
        }
        yield { phase, page };
        if (!page.has_more) break;
        cursor = page.data.at(-1)?.id ?? null;
      }
    }
  }
  // Cursor paging makes each request wait for the previous answer, so the fetching runs ahead of
  // the applying (a bounded buffer, Node's stream back-pressure): a slow commit does not hold up
  // the next request, and the round trip, not the round trip plus the write, bounds the run.
  const readAhead = (phase: SyncPhase, cursor: string | null) => {
    const stream = Readable.from(pagesFrom(phase, cursor), { highWaterMark: READ_AHEAD_PAGES });
    stream.read(0); // start fetching now, not when the first page is asked for
    return stream[Symbol.asyncIterator]() as AsyncIterator<Fetched>;
  };

  let pages = readAhead(current.phase, current.cursor);
  try {
    while (current.phase !== 'done') {
      opts.signal?.throwIfAborted();
      const phase = current.phase;
      const next = await pages.next();
      if (next.done) throw new Error(`the ${phase} pages ended before the phase did`);
      const fetched = next.value;
      if ('error' in fetched) {
        // A resumed cursor whose object was deleted since: Stripe refuses it, so page the phase again
        // (re-applying is harmless under the ordering guard) with that phase's count restarted.
        const err = fetched.error;
        const staleCursor =
          err instanceof Stripe.errors.StripeInvalidRequestError && err.param === 'starting_after' && current.cursor;
        if (!staleCursor) throw err;
        log.warn({ phase, cursor: current.cursor }, 'saved cursor no longer exists; restarting the phase');
        current = { ...current, cursor: null, [phase]: 0 };
        pages = readAhead(phase, null);
        continue;
      }
      current = await savePage(deps, scope, current, fetched.page, apply);
      opts.onProgress?.(current, { hasMore: fetched.page.has_more });
    }
    stop.abort();
    current = await finishSyncRun(deps.sql, current, 'succeeded', null, deps.now());
    log.info({ customers: current.customers, invoices: current.invoices, pages: current.pages }, 'sync succeeded');
  } catch (err) {
    stop.abort();
    const message = opts.signal?.aborted ? `interrupted: ${describeError(opts.signal.reason)}` : describeError(err);
    log.error({ error: message }, 'sync failed');
    current = await finishSyncRun(deps.sql, current, 'failed', message, deps.now());
  } finally {
    void pages.return?.(); // lets the stream go; a request still in flight ends with `stop`
  }
  return current;
}

/** Applies one page and saves the cursor and counts after it, in one transaction. */
async function savePage(
  deps: BackfillDeps,
  scope: Scope,
  run: SyncRun,
  page: Stripe.ApiList<Stripe.Customer> | Stripe.ApiList<Stripe.Invoice>,
  apply: BackfillAppliers,
): Promise<SyncRun> {
  const objects = page.data;
  for (const object of objects) {
    if (object.livemode !== scope.livemode) {
      throw new Error(
        `Stripe returned a ${object.livemode ? 'live' : 'test'}-mode ${object.object} (${object.id}) to a ` +
          `${scope.livemode ? 'live' : 'test'}-mode sync: STRIPE_SECRET_KEY is for the other mode`,
      );
    }
  }
  const last = objects.at(-1)?.id ?? run.cursor;
  const phase = page.has_more ? run.phase : NEXT_PHASE[run.phase];
  const cursor = page.has_more ? last : null;
  const customers = run.customers + (run.phase === 'customers' ? objects.length : 0);
  const invoices = run.invoices + (run.phase === 'invoices' ? objects.length : 0);
  return deps.sql.begin(async (tx) => {
    // a page holds one kind of object: as one batch where the appliers have one, else one by one
    const pageCustomers = objects.filter((o): o is Stripe.Customer => o.object === 'customer');
    const pageInvoices = objects.filter((o): o is Stripe.Invoice => o.object === 'invoice');
    if (apply.customers) {
      if (pageCustomers.length > 0) await apply.customers(tx, scope, pageCustomers);
    } else {
      for (const customer of pageCustomers) await apply.customer(tx, scope, customer);
    }
    if (apply.invoices) {
      if (pageInvoices.length > 0) await apply.invoices(tx, scope, pageInvoices);
    } else {
      for (const invoice of pageInvoices) await apply.invoice(tx, scope, invoice);
    }
    return saveSyncPage(tx, scope, run, { phase, cursor, customers, invoices }, deps.now());
  });
}

/** Begins (or resumes) and executes a run for the scope. */
export async function runBackfill(deps: BackfillDeps, scope: Scope, opts: BackfillOptions = {}): Promise<SyncRun> {
  const run = await beginSyncRun(deps.sql, scope, deps.now());
  return executeSyncRun(deps, run, opts);
}
