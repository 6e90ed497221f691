// POST /api/reconcile checks Stripe's events list for events the service never received (in the
// background) for the caller's account and mode; GET /api/reconcile lists the runs and whether
// PayPal is reconciled.
import { createRoute } from '@hono/zod-openapi';
import type { StripeMode } from '../../config.js';
import type { ReconcileRun } from '../../domain/reconcile-runs.js';
import { listReconcileRuns } from '../../domain/reconcile-runs.js';
import { paypalReconciliation } from '../../gateways/paypal/reconcile.js';
import { modeOf, notConfiguredMessage, stripeFor } from '../../gateways/stripe/api-client.js';
import { createReconcileRunner, ReconcileBusyError, type ReconcileRunner } from '../../jobs/reconcile.js';
import type { Deps } from '../env.js';
import { ApiError } from '../errors.js';
import { router, scopeOf } from '../openapi.js';
import { ErrorSchema, errorResponses, json } from '../schemas.js';
import {
  ReconcileListQuery,
  ReconcileListSchema,
  ReconcileRunSchema,
  type ReconcileListResponse,
  type ReconcileRunResponse,
} from './reconcile-schemas.js';

export function toReconcileRunResponse(run: ReconcileRun): ReconcileRunResponse {
  return {
    id: run.id,
    trigger: run.trigger,
    state: run.state,
    since: run.since.toISOString(),
    watermark: run.watermark?.toISOString() ?? null,
    events_seen: run.events_seen,
    events_repaired: run.events_repaired,
    pages: run.pages,
    errors: run.errors,
    error: run.error,
    paypal: { reconciled: run.paypal_status === 'reconciled', note: run.paypal_note },
    started_at: run.started_at.toISOString(),
    heartbeat_at: run.heartbeat_at.toISOString(),
    finished_at: run.finished_at?.toISOString() ?? null,
  };
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

export function reconcileRoutes() {
  const app = router();
  // One runner per app and mode: its request limiter is shared by the runs of that mode's key.
  const runners: Partial<Record<StripeMode, ReconcileRunner>> = {};
  const runnerFor = (deps: Deps, livemode: boolean) =>
    (runners[modeOf(livemode)] ??= createReconcileRunner(deps));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reconcile',
      tags: ['reconcile'],
      description:
        "Starts a check of Stripe's events list (from the last watermark, at most 30 days back) for events the service " +
        'never received, in the background; they are stored and applied like webhook deliveries. PayPal is reported ' +
        'as not reconciled (no PayPal API credentials).',
      responses: {
        202: json(ReconcileRunSchema, 'Started'),
        ...errorResponses,
        409: errorResponse('A reconciliation is already running for this account and mode (reconcile_already_running)'),
        503: errorResponse('No Stripe key for this mode (stripe_not_configured)'),
      },
    }),
    async (c) => {
      const { deps } = c.var;
      const scope = scopeOf(c);
      if (!stripeFor(deps.stripe, scope.livemode)) {
        throw new ApiError(503, 'stripe_not_configured', notConfiguredMessage(scope.livemode));
      }
      try {
        const run = await runnerFor(deps, scope.livemode).start(scope);
        return c.json(toReconcileRunResponse(run), 202);
      } catch (err) {
        if (err instanceof ReconcileBusyError) throw new ApiError(409, 'reconcile_already_running', err.message);
        throw err;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reconcile',
      tags: ['reconcile'],
      description: 'The reconciliation runs of the account and mode, newest first, and whether PayPal is reconciled.',
      request: { query: ReconcileListQuery },
      responses: { 200: json(ReconcileListSchema), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const runs = await listReconcileRuns(c.var.deps.sql, scopeOf(c), { limit, cursor });
      const paypal = paypalReconciliation();
      const body: ReconcileListResponse = {
        data: runs.data.map(toReconcileRunResponse),
        next_cursor: runs.next_cursor,
        paypal: { reconciled: paypal.status === 'reconciled', note: paypal.note },
      };
      return c.json(body, 200);
    },
  );

  return app;
}
