// GET /api/collections: DSO, overdue, days to pay, recoveries and the most overdue tenants, per currency.
import { createRoute } from '@hono/zod-openapi';
import { getCollections } from '../../domain/collections.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponses, json } from '../schemas.js';
import { CollectionsQuery, CollectionsSchema } from './collections-schemas.js';

export function collectionsRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/collections',
      tags: ['collections'],
      description:
        'Per currency, never summed across currencies. Window [from, to) on the invoices’ dates, default the 30 days ' +
        'ending now. dso_days = receivables at `to` / credit sales issued in the window × window days. overdue_amount = ' +
        'amount_remaining of invoices past due now (the past-due rule at the clock); overdue_ratio = overdue_amount / ' +
        'amount_remaining of all open invoices now. average_days_to_pay = mean of paid_at − created_at over invoices ' +
        'paid in the window. recovered = invoices paid in the window after a failed payment, by cause. tenants = the ' +
        '10 tenants with most overdue now with aging buckets. tenant_id narrows everything to one tenant (404 if not ' +
        'one of this account and mode).',
      request: { query: CollectionsQuery },
      responses: { 200: json(CollectionsSchema), ...errorResponses },
    }),
    async (c) => {
      const { sql, now } = c.var.deps;
      return c.json(await getCollections(sql, scopeOf(c), now(), c.req.valid('query')), 200);
    },
  );

  return app;
}
