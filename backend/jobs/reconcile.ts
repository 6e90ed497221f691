// Reconciliation of missed events: for an account and mode, pages Stripe's events list from the
// stored watermark (never more than 30 days back, Stripe's own limit) and feeds the events the
// service never received into the same event store as the webhooks, where they are applied like
// a delivery. Scheduled on RECONCILE_SCHEDULE for every installed account and mode with a key,
// and on demand (POST /api/reconcile). One run per account and mode at a time, coordinated
// through the database (the run row is the lease), so any number of instances can schedule it.
//
// Missing events are applied oldest first (the list is newest first): only the missing ones are
// held, at most MAX_HELD at a time, so memory stays bounded however long the window. The
// watermark (newest `created` listed) is saved only by a run that succeeded; the next run starts
// a few minutes before it, since an event can become listable after newer ones (the store's
// unique key makes the overlap harmless).
import { setTimeout as sleep } from 'node:timers/promises';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Config } from '../config.js';
import type { Sql } from '../db/client.js';
import type { Scope } from '../domain/accounts.js';
import {
  beginReconcileRun,
  finishReconcileRun,
  getReconcileRun,
  installedAccountIds,
  reconcileWatermark,
  recordReconcileProgress,
  ReconcileBusyError,
  ReconcileTakenOverError,
  storedEventIds,
  type ReconcileRun,
  type ReconcileTrigger,
} from '../domain/reconcile-runs.js';
import { paypalReconciliation } from '../gateways/paypal/reconcile.js';
import { modeOf, stripeFor, type StripeClients } from '../gateways/stripe/api-client.js';
import { feedStripeEvent, stripeEventPages } from '../gateways/stripe/reconcile.js';
import {
  backoffDelay,
  createRequestLimiter,
  DEFAULT_RETRY,
  describeError,
  isRetryable,
  type RequestLimiter,
  type RetryPolicy,
} from '../gateways/stripe/backfill.js';

export const RECONCILE_WINDOW_MS = 30 * 86_400_000;
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
/** missing events held before they are applied (oldest first within the held set) */
export const MAX_HELD = 1000;
/** a scheduled run skips a scope whose last run started less than this long ago (another instance's) */
export const SCHEDULED_MIN_INTERVAL_MS = 10 * 60_000;

export interface ReconcileDeps {
  sql: Sql;
  logger: Logger;
  now: () => Date;
  stripe: StripeClients;
  config: Pick<Config, 'STRIPE_ACCOUNT_ID' | 'SYNC_MAX_REQUESTS_PER_SECOND'>;
}

export interface ReconcileOptions {
  retry?: Partial<RetryPolicy>;
  /** shared by the runs of one mode so the process stays under the rate */
  limiter?: RequestLimiter;
  /** stops the run at its next request; it ends failed */
  signal?: AbortSignal;
}

export { ReconcileBusyError };

/** The created[gt] bound of the next run: a little before the watermark, at most 30 days back. */
export function reconcileSince(watermark: Date | null, now: Date): Date {
  const floor = now.getTime() - RECONCILE_WINDOW_MS;
  return new Date(watermark ? Math.max(watermark.getTime() - WATERMARK_OVERLAP_MS, floor) : floor);
}

/**
 * Stores a running run for the scope (the lease) and answers it; ReconcileBusyError while another
 * runs. Scheduled runs answer null instead when a run of the scope started moments ago.
 */
export async function beginReconcile(
  deps: Pick<ReconcileDeps, 'sql' | 'now'>,
  scope: Scope,
  trigger: ReconcileTrigger,
): Promise<ReconcileRun | null> {
  const now = deps.now();
  const since = reconcileSince(await reconcileWatermark(deps.sql, scope), now);
  return beginReconcileRun(deps.sql, scope, {
    trigger,
    since,
    now,
    paypal: paypalReconciliation(),
    minIntervalMs: trigger === 'schedule' ? SCHEDULED_MIN_INTERVAL_MS : undefined,
  });
}

/**
 * Executes a run stored by beginReconcile and answers its final record. API and apply failures
 * end the run failed (never thrown); throws only when the database cannot record the outcome.
 */
export async function executeReconcile(deps: ReconcileDeps, run: ReconcileRun, opts: ReconcileOptions = {}): Promise<ReconcileRun> {
  const scope: Scope = { accountId: run.account_id, livemode: run.livemode };
  const log = deps.logger.child({ reconcile_run: run.id, account_id: run.account_id, livemode: run.livemode });
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  const limiter = opts.limiter ?? createRequestLimiter(deps.config.SYNC_MAX_REQUESTS_PER_SECOND);
  let current = run;
  const progress = async (delta: Parameters<typeof recordReconcileProgress>[2]) => {
    current = await recordReconcileProgress(deps.sql, current, delta, deps.now());
  };

  const call = async <T>(request: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      opts.signal?.throwIfAborted();
      try {
        return await limiter(request);
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        await progress({ errors: 1 });
        if (!isRetryable(err) || attempt >= policy.maxAttempts) throw err;
        const delay = backoffDelay(attempt, policy);
        log.warn({ attempt, delay_ms: Math.round(delay), error: describeError(err) }, 'reconcile request failed; retrying');
        await sleep(delay, undefined, { signal: opts.signal });
      }
    }
  };

  let held: Stripe.Event[] = [];
  const applyHeld = async () => {
    held.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let repaired = 0;
    for (const event of held) {
      if (await feedStripeEvent(deps.sql, scope, event)) repaired++;
    }
    held = [];
    await progress({ repaired });
  };

  try {
    const stripe = stripeFor(deps.stripe, scope.livemode);
    if (!stripe) throw new Error(`no Stripe key for ${modeOf(scope.livemode)} mode (STRIPE_SECRET_KEY)`);
    const previous = await reconcileWatermark(deps.sql, scope);
    let newest = previous?.getTime() ?? null;
    const pages = stripeEventPages(stripe, scope, {
      since: run.since,
      platformAccountId: deps.config.STRIPE_ACCOUNT_ID,
      call,
    });
    for await (const page of pages) {
      if (page.newest !== null) newest = Math.max(newest ?? 0, page.newest * 1000);
      const stored = await storedEventIds(deps.sql, scope, 'stripe', page.events.map((e) => e.id));
      held.push(...page.events.filter((e) => !stored.has(e.id)));
      await progress({ seen: page.events.length, pages: 1 });
      if (held.length >= MAX_HELD) await applyHeld();
    }
    if (held.length > 0) await applyHeld();
    const watermark = newest === null ? null : new Date(newest);
    const finished = await finishReconcileRun(deps.sql, current, { state: 'succeeded', watermark }, deps.now());
    if (!finished) throw new ReconcileTakenOverError();
    log.info(
      { events_seen: finished.events_seen, events_repaired: finished.events_repaired, watermark: watermark?.toISOString() ?? null },
      'reconciliation succeeded',
    );
    return finished;
  } catch (err) {
    if (err instanceof ReconcileTakenOverError) {
      log.warn('reconciliation taken over by another process');
      return (await getReconcileRun(deps.sql, scope, run.id)) ?? current;
    }
    const message = opts.signal?.aborted ? `interrupted: ${describeError(opts.signal.reason)}` : describeError(err);
    log.error({ error: message }, 'reconciliation failed');
    return (await finishReconcileRun(deps.sql, current, { state: 'failed', error: message }, deps.now()))
      ?? (await getReconcileRun(deps.sql, scope, run.id)) ?? current;
  }
}

/** Begins and executes a run; null when a scheduled run skipped a scope that just ran. */
export async function reconcileScope(
  deps: ReconcileDeps,
  scope: Scope,
  trigger: ReconcileTrigger,
  opts: ReconcileOptions = {},
): Promise<ReconcileRun | null> {
  const run = await beginReconcile(deps, scope, trigger);
  return run && executeReconcile(deps, run, opts);
}

export interface ReconcileAllSummary {
  runs: number;
  repaired: number;
  failed: number;
  /** scopes another instance was running or had just run */
  skipped: number;
}

/** Every installed account, in each mode that has a key: the scheduled job. */
export async function reconcileAll(
  deps: ReconcileDeps,
  opts: { limiters?: Partial<Record<'live' | 'test', RequestLimiter>>; signal?: AbortSignal; retry?: Partial<RetryPolicy> } = {},
): Promise<ReconcileAllSummary> {
  const summary: ReconcileAllSummary = { runs: 0, repaired: 0, failed: 0, skipped: 0 };
  const accounts = await installedAccountIds(deps.sql);
  for (const livemode of [false, true]) {
    if (!stripeFor(deps.stripe, livemode)) continue;
    const limiter = opts.limiters?.[modeOf(livemode)] ?? createRequestLimiter(deps.config.SYNC_MAX_REQUESTS_PER_SECOND);
    for (const accountId of accounts) {
      if (opts.signal?.aborted) return summary;
      let run: ReconcileRun | null;
      try {
        run = await reconcileScope(deps, { accountId, livemode }, 'schedule', { limiter, signal: opts.signal, retry: opts.retry });
      } catch (err) {
        if (!(err instanceof ReconcileBusyError)) throw err;
        run = null;
      }
      if (!run) {
        summary.skipped++;
        continue;
      }
      summary.runs++;
      summary.repaired += run.events_repaired;
      if (run.state === 'failed') summary.failed++;
    }
  }
  return summary;
}

// ---- on demand (POST /api/reconcile) and on schedule ------------------------------------------

export interface ReconcileRunner {
  /** stores a run (the lease) and executes it in the background; resolves with the stored run */
  start(scope: Scope): Promise<ReconcileRun>;
  /** resolves when every background run of this runner has ended */
  idle(): Promise<void>;
}

export function createReconcileRunner(deps: ReconcileDeps, opts: Omit<ReconcileOptions, 'limiter'> = {}): ReconcileRunner {
  const limiters: Partial<Record<'live' | 'test', RequestLimiter>> = {};
  const inFlight = new Set<Promise<unknown>>();
  return {
    async start(scope) {
      const run = (await beginReconcile(deps, scope, 'manual'))!; // manual runs are never skipped
      const limiter = (limiters[modeOf(scope.livemode)] ??= createRequestLimiter(deps.config.SYNC_MAX_REQUESTS_PER_SECOND));
      const done: Promise<unknown> = executeReconcile(deps, run, { ...opts, limiter })
        .catch((err) => deps.logger.error({ err, reconcile_run: run.id }, 'reconciliation could not record its outcome'))
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      return run;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

export interface ReconcileSchedule {
  nextRun(): Date | null;
  /** runs the job now, as a tick would (tests, and nothing else) */
  runNow(): Promise<ReconcileAllSummary | null>;
  /** stops the timer, interrupts a running pass at its next request and waits for it */
  stop(): Promise<void>;
}

/** RECONCILE_SCHEDULE: a cron expression (UTC) for reconcileAll; a tick while one runs is skipped. */
export function startReconcileSchedule(deps: ReconcileDeps, opts: { schedule: string }): ReconcileSchedule {
  const stopping = new AbortController();
  let running: Promise<ReconcileAllSummary | null> | null = null;
  const limiters: Partial<Record<'live' | 'test', RequestLimiter>> = {};
  const tick = () => {
    running ??= reconcileAll(deps, { limiters, signal: stopping.signal })
      .then((summary) => {
        deps.logger.info({ job: 'reconcile', ...summary }, 'reconciliation pass done');
        return summary;
      })
      .catch((err) => {
        deps.logger.error({ err }, 'reconciliation pass failed');
        return null;
      })
      .finally(() => (running = null));
    return running;
  };
  let cron: Cron;
  try {
    // Unnamed: croner's job names are process-wide, and tests run several schedules in one process.
    cron = new Cron(opts.schedule, { timezone: 'UTC', protect: true }, async () => {
      await tick();
    });
  } catch (err) {
    throw new Error(`RECONCILE_SCHEDULE is not a valid cron expression: ${(err as Error).message}`);
  }
  return {
    nextRun: () => cron.nextRun(),
    runNow: () => tick(),
    async stop() {
      cron.stop();
      stopping.abort(new Error('shutting down'));
      await running;
    },
  };
}
