// GET /api/invoices and /api/invoices/:id: the ledger as the app reads it.
import { createRoute } from '@hono/zod-openapi';
import { getInvoiceDetail, listInvoices } from '../../domain/invoice-queries.js';
import { isUuid } from '../../domain/query-input.js';
import { completeTruncatedStripeLines } from '../../gateways/stripe/invoice-lines.js';
import { stripeFor } from '../../gateways/stripe/api-client.js';
import { IdParams, InvoiceDetailSchema, InvoiceListQuery, InvoiceSchema } from '../ledger-schemas.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponses, json, listOf } from '../schemas.js';

export function invoiceRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/invoices',
      tags: ['invoices'],
      description:
        'Invoices of the account and mode, newest first (created_at), with keyset pagination. ' +
        '`status=open` lists every open invoice including past-due ones; `status=past_due` only the past-due ones. ' +
        'Deleted drafts are left out.',
      request: { query: InvoiceListQuery },
      responses: { 200: json(listOf(InvoiceSchema)), ...errorResponses },
    }),
    async (c) =>
      c.json(await listInvoices(c.var.deps.sql, scopeOf(c), c.req.valid('query'), c.var.deps.now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/invoices/{id}',
      tags: ['invoices'],
      description: 'One invoice with its status history (oldest first) and its latest 20 events.',
      request: { params: IdParams },
      responses: { 200: json(InvoiceDetailSchema), ...errorResponses },
    }),
    async (c) => {
      const { deps } = c.var;
      const scope = scopeOf(c);
      const { id } = c.req.valid('param');
      // A list the webhook payload cut short is completed through the API on first read.
      if (isUuid(id)) {
        await completeTruncatedStripeLines({ sql: deps.sql, stripe: stripeFor(deps.stripe, scope.livemode), logger: c.var.log }, scope, id);
      }
      return c.json(await getInvoiceDetail(deps.sql, scope, id, deps.now()), 200);
    },
  );

  return app;
}
