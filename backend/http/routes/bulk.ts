// POST /api/invoices/bulk: one action on up to 100 invoices, dry run first, then apply.
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { runBulkAction } from '../../gateways/stripe/bulk-actions.js';
import type { InvoiceAction } from '../../gateways/stripe/invoice-actions.js';
import { BulkRequestSchema, BulkResponseSchema } from '../bulk-schemas.js';
import { router } from '../openapi.js';
import { ErrorSchema, errorResponses, json } from '../schemas.js';
import { actionContext } from './actions.js';

const ACTION_NAMES = { retry: 'retry', void: 'void', 'mark-uncollectible': 'mark_uncollectible', 'send-reminder': 'send_reminder' } as const;

const errorJson = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

export function bulkRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/invoices/bulk',
      tags: ['actions'],
      summary: 'Retry, void, mark uncollectible or send a reminder for up to 100 invoices',
      description:
        'One result per invoice, in request order. `dry_run: true` applies the single actions’ rules and answers ' +
        '`would_apply` or `refused` with the reason (another account’s invoice is `not found`). An apply sends each ' +
        'invoice through the single action (audit row, history), 4 at a time, each with an idempotency key derived ' +
        'from the `Idempotency-Key` header (else from the user, the UTC day and the body), the action and the invoice: ' +
        'repeating the request answers `applied` for what was applied and never acts twice. A Stripe error on one ' +
        'invoice is that invoice’s `failed` result; the others go on.',
      request: { body: { required: true, content: { 'application/json': { schema: BulkRequestSchema } } } },
      responses: {
        200: json(BulkResponseSchema),
        ...errorResponses,
        503: errorJson('stripe_not_configured: STRIPE_SECRET_KEY has no key for the request’s mode (apply only)'),
      },
    }),
    async (c) => {
      const ctx = actionContext(c);
      const body = c.req.valid('json');
      const invoiceIds = body.invoice_ids.map((id) => id.toLowerCase());
      // As for one-time invoices: without the caller's key, the same request by the same user on the
      // same UTC day is a repeat.
      const requestKey =
        ctx.idempotencyKey ??
        createHash('sha256')
          .update(JSON.stringify([ctx.userId, ctx.now.toISOString().slice(0, 10), body.action, invoiceIds]))
          .digest('hex')
          .slice(0, 32);
      const action: InvoiceAction = ACTION_NAMES[body.action];
      const data = await runBulkAction({ ...ctx, idempotencyKey: requestKey }, { action, invoice_ids: invoiceIds, dry_run: body.dry_run });
      return c.json({ data }, 200);
    },
  );
  return app;
}
