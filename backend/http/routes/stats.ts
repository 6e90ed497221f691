// GET /api/stats: the dashboard figures, per currency, with a monthly revenue series.
import { createRoute } from '@hono/zod-openapi';
import { getStats } from '../../domain/stats.js';
import { StatsQuery, StatsSchema } from '../ledger-schemas.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponses, json } from '../schemas.js';

export function statsRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      tags: ['stats'],
      description:
        'Per currency (never summed across currencies): total_revenue = amount_paid of paid invoices, ' +
        'total_refunded = amount_refunded, pending_amount = amount_remaining of open invoices, invoice_count = ' +
        'invoices in scope. tenant_id and the from/to range (on created_at) narrow the scope. The monthly series ' +
        'is the revenue of paid invoices per month of their created_at (UTC).',
      request: { query: StatsQuery },
      responses: { 200: json(StatsSchema), 400: errorResponses[400], 401: errorResponses[401] },
    }),
    async (c) => c.json(await getStats(c.var.deps.sql, scopeOf(c), c.req.valid('query'), c.var.deps.now()), 200),
  );

  return app;
}
