// Acting on invoices from the app: retry, void, mark uncollectible, send reminder, one-time
// invoices for several tenants, and the audit log of every action.
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { listAdminActions } from '../../domain/admin-actions.js';
import { getInvoiceDetail } from '../../domain/invoice-queries.js';
import { performInvoiceAction, type ActionContext, type InvoiceAction } from '../../gateways/stripe/invoice-actions.js';
import { createOneTimeInvoices } from '../../gateways/stripe/one-time-invoices.js';
import { stripeFor } from '../../gateways/stripe/api-client.js';
import {
  ActionResultSchema,
  AuditEntrySchema,
  AuditQuery,
  OneTimeInvoiceResponseSchema,
  OneTimeInvoiceSchema,
} from '../action-schemas.js';
import type { AppEnv } from '../env.js';
import { IdParams } from '../ledger-schemas.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponse, errorResponses, json, listOf } from '../schemas.js';

const IDEMPOTENCY_KEY = /^[\w:.-]{1,200}$/;

const actionErrors = {
  ...errorResponses,
  402: errorResponse('The card was declined (Stripe’s message and request id in details)'),
  409: errorResponse('The action is not valid for the invoice’s status or gateway'),
  429: errorResponse('Stripe rate limit'),
  502: errorResponse('Stripe failed or could not be reached'),
  503: errorResponse('stripe_not_configured: STRIPE_SECRET_KEY has no key for the request’s mode'),
};

export function actionContext(c: Context<AppEnv>): ActionContext {
  const { deps, caller } = c.var;
  const key = c.req.header('idempotency-key');
  return {
    sql: deps.sql,
    stripe: stripeFor(deps.stripe, caller.livemode),
    scope: scopeOf(c),
    userId: caller.userId,
    now: deps.now(),
    // The platform's own account is called directly; installed accounts through Stripe-Account.
    stripeAccount: caller.accountId === deps.config.STRIPE_ACCOUNT_ID ? null : caller.accountId,
    idempotencyKey: key && IDEMPOTENCY_KEY.test(key) ? key : undefined,
  };
}

const ACTIONS: { path: string; action: InvoiceAction; summary: string }[] = [
  { path: 'retry', action: 'retry', summary: 'Pay the invoice now with the customer’s default payment method' },
  { path: 'void', action: 'void', summary: 'Void an open or uncollectible invoice' },
  { path: 'mark-uncollectible', action: 'mark_uncollectible', summary: 'Mark an open invoice uncollectible' },
  { path: 'send-reminder', action: 'send_reminder', summary: 'Email the invoice to the customer again (send_invoice collection)' },
];

export function actionRoutes() {
  const app = router();

  for (const { path, action, summary } of ACTIONS) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/invoices/{id}/${path}`,
        tags: ['actions'],
        summary,
        description:
          'Through the Stripe API on behalf of the signed account, with an idempotency key (the optional ' +
          '`Idempotency-Key` header, else one derived from the invoice state) so a double click acts once. ' +
          'The invoice is updated from Stripe’s answer at once; history and audit log record the user.',
        request: { params: IdParams },
        responses: { 200: json(ActionResultSchema), ...actionErrors },
      }),
      async (c) => {
        const ctx = actionContext(c);
        const id = await performInvoiceAction(ctx, c.req.valid('param').id, action);
        return c.json({ action, invoice: await getInvoiceDetail(ctx.sql, ctx.scope, id, ctx.now) }, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/one-time-invoices',
      tags: ['actions'],
      summary: 'Bill one-off work to several tenants at once',
      description:
        'For each tenant, its linked Stripe customer gets an invoice with the lines, finalized and sent with ' +
        '`days_until_due`. One result per tenant (invoice or error). Send an `Idempotency-Key` header: a retried ' +
        'request with the same key creates nothing twice. Without one, an identical request by the same user on ' +
        'the same UTC day counts as a retry.',
      request: { body: { required: true, content: { 'application/json': { schema: OneTimeInvoiceSchema } } } },
      responses: { 200: json(OneTimeInvoiceResponseSchema), ...actionErrors },
    }),
    async (c) => {
      const ctx = actionContext(c);
      const body = c.req.valid('json');
      const requestKey =
        ctx.idempotencyKey ??
        createHash('sha256')
          .update(JSON.stringify([ctx.userId, ctx.now.toISOString().slice(0, 10), body]))
          .digest('hex')
          .slice(0, 32);
      return c.json({ results: await createOneTimeInvoices(ctx, body, requestKey) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['actions'],
      summary: 'The admin-action audit log, newest first',
      request: { query: AuditQuery },
      responses: { 200: json(listOf(AuditEntrySchema)), ...errorResponses },
    }),
    async (c) => c.json(await listAdminActions(c.var.deps.sql, scopeOf(c), c.req.valid('query')), 200),
  );

  return app;
}

