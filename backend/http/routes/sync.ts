// POST /api/sync starts a Stripe backfill of the caller's account and mode in the background;
// GET /api/sync shows the latest run's progress.
import { createRoute } from '@hono/zod-openapi';
import type Stripe from 'stripe';
import { latestSyncRun, SyncAlreadyRunningError, type SyncRun } from '../../domain/sync-runs.js';
import { createSyncRunner, type SyncRunner } from '../../jobs/sync-runner.js';
import type { StripeMode } from '../../config.js';
import { requireStripe } from '../../gateways/errors.js';
import { modeOf, stripeFor } from '../../gateways/stripe/api-client.js';
import type { Deps } from '../env.js';
import { ApiError } from '../errors.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponse, errorResponses, json } from '../schemas.js';
import { SyncRunSchema, SyncStatusSchema, type SyncRunResponse, type SyncStatusResponse } from '../sync-schemas.js';

export function toSyncRunResponse(run: SyncRun): SyncRunResponse {
  return {
    id: run.id,
    state: run.state,
    phase: run.phase,
    cursor: run.cursor,
    counts: { customers: run.customers, invoices: run.invoices, pages: run.pages, errors: run.errors },
    error: run.error,
    resumed_from: run.resumed_from,
    started_at: run.started_at.toISOString(),
    heartbeat_at: run.heartbeat_at.toISOString(),
    finished_at: run.finished_at?.toISOString() ?? null,
  };
}

export function syncRoutes() {
  const app = router();
  // One runner per app and mode: its request limiter is shared by every run of that mode's key
  // (Stripe limits each mode's requests separately).
  const runners: Partial<Record<StripeMode, SyncRunner>> = {};
  const runnerFor = (deps: Deps, stripe: Stripe, livemode: boolean) =>
    (runners[modeOf(livemode)] ??= createSyncRunner({ ...deps, stripe }));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sync',
      tags: ['sync'],
      description:
        "Starts a backfill of the account's Stripe customers and invoices in this mode, in the background. " +
        'A run after a failed or interrupted one continues from its saved cursor.',
      responses: {
        202: json(SyncRunSchema, 'Started'),
        ...errorResponses,
        409: errorResponse('A sync is already running for this account and mode'),
        503: errorResponse('No Stripe key for this mode (stripe_not_configured)'),
      },
    }),
    async (c) => {
      const { deps } = c.var;
      const scope = scopeOf(c);
      // A test key sees only test objects and a live key only live ones: the run uses its mode's key.
      const stripe = requireStripe(stripeFor(deps.stripe, scope.livemode), scope.livemode);
      try {
        const run = await runnerFor(deps, stripe, scope.livemode).start(scope);
        return c.json(toSyncRunResponse(run), 202);
      } catch (err) {
        if (err instanceof SyncAlreadyRunningError) throw new ApiError(409, 'sync_already_running', err.message);
        throw err;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sync',
      tags: ['sync'],
      description:
        'The latest backfill run of the account and mode: state, phase, counts and error; ' +
        '`{ "state": "never_run" }` before the first run (the settings page asks on every load).',
      responses: { 200: json(SyncStatusSchema), ...errorResponses },
    }),
    async (c) => {
      const run = await latestSyncRun(c.var.deps.sql, scopeOf(c));
      const body: SyncStatusResponse = run ? toSyncRunResponse(run) : { state: 'never_run' };
      return c.json(body, 200);
    },
  );

  return app;
}
