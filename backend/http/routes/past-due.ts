// GET /api/past-due (aging + invoices) and POST /api/past-due/scan (an admin's scan, now).
import { createRoute } from '@hono/zod-openapi';
import { listPastDue, pastDueAging } from '../../domain/past-due-queries.js';
import { runPastDueScan } from '../../jobs/past-due-scan.js';
import { ApiError } from '../errors.js';
import { router, scopeOf } from '../openapi.js';
import { PastDueQuery, PastDueResponseSchema, ScanResultSchema } from '../past-due-schemas.js';
import { errorResponse, errorResponses, json } from '../schemas.js';

export function pastDueRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/past-due',
      tags: ['past-due'],
      description:
        'Past-due invoices aged per currency in buckets 1-30, 31-60, 61-90 and 90+ days ({count, amount} with ' +
        'amount = sum of amount_remaining), for the account or one tenant, plus the invoices, longest overdue first.',
      request: { query: PastDueQuery },
      responses: { 200: json(PastDueResponseSchema), ...errorResponses },
    }),
    async (c) => {
      const { sql, now } = c.var.deps;
      const q = c.req.valid('query');
      const at = now();
      const filter = { tenantId: q.tenant_id, currency: q.currency };
      const currencies = await pastDueAging(sql, scopeOf(c), at, filter);
      const list = await listPastDue(sql, scopeOf(c), at, { ...filter, limit: q.limit, cursor: q.cursor });
      return c.json({ currencies, ...list }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/past-due/scan',
      tags: ['past-due'],
      description: 'Runs the past-due scan now for this account and mode, notifications included; answers its summary.',
      responses: {
        200: json(ScanResultSchema),
        401: errorResponses[401],
        409: errorResponse('A scan is already running'),
      },
    }),
    async (c) => {
      const { deps } = c.var;
      const outcome = await runPastDueScan(
        {
          sql: deps.sql,
          logger: c.var.log,
          now: deps.now,
          stripe: deps.stripe,
          allowPrivateReceivers: deps.config.NOTIFY_ALLOW_PRIVATE,
          resolve: deps.resolve,
        },
        { scope: scopeOf(c) },
      );
      if (!outcome.ran) throw new ApiError(409, 'scan_running', 'a past-due scan is already running; try again shortly');
      return c.json(outcome.summary, 200);
    },
  );

  return app;
}
