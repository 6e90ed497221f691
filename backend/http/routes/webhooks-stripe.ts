// POST /webhooks/stripe: raw body -> signature (every configured secret, for rotation) -> account
// -> the event inserted (pending; with the deliveries arriving meanwhile, domain/event-inbox.ts
// batchedEventStore) -> 200. The applier (jobs/applier.ts) applies it a moment later.
import { createRoute, z } from '@hono/zod-openapi';
import type { EventStore } from '../../domain/event-inbox.js';
import { describeStripeEvent } from '../../gateways/stripe/process-event.js';
import { stripeEventScope, verifyStripeWebhook } from '../../gateways/stripe/verify.js';
import { ApiError } from '../errors.js';
import { router } from '../openapi.js';
import { errorResponse, json } from '../schemas.js';

const Received = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean(),
    processed: z.boolean().openapi({ description: 'already applied (a duplicate of an applied event); a new event is applied a moment later' }),
    state: z.enum(['pending', 'processed', 'ignored', 'failed']),
  })
  .openapi('WebhookReceived');

const route = createRoute({
  method: 'post',
  path: '/webhooks/stripe',
  tags: ['webhooks'],
  summary: 'Stripe webhook endpoint',
  description:
    'Verifies the Stripe-Signature header over the raw body with STRIPE_WEBHOOK_SECRET (comma-separated for ' +
    'rotation). The event belongs to event.account, else STRIPE_ACCOUNT_ID. Answers 200 once the event is durably stored ' +
      '(state pending); it is applied to the ledger a moment later.',
  security: [],
  request: { headers: z.object({ 'stripe-signature': z.string().optional() }) },
  responses: {
    200: json(Received, 'Stored (or already stored)'),
    400: errorResponse(
      'Unreadable or unstorable body (bad JSON, lone surrogates, NUL, nesting over 64 levels, ids over 255 characters), ' +
        'an account that is not an acct_ id, or no account to file the event under; nothing stored',
    ),
    401: errorResponse('Missing or invalid signature'),
    413: errorResponse('Body over 1 MB'),
    503: errorResponse('Webhook secret not configured, or database unavailable (Stripe retries)'),
  },
});

export function stripeWebhookRoutes(storeEvent: EventStore) {
  const app = router();
  app.openapi(route, async (c) => {
    const { config, now } = c.var.deps;
    const secrets = config.STRIPE_WEBHOOK_SECRET ?? [];
    if (secrets.length === 0) {
      throw new ApiError(503, 'webhook_not_configured', 'STRIPE_WEBHOOK_SECRET is not configured');
    }
    const raw = await c.req.text();
    const event = verifyStripeWebhook(raw, c.req.header('stripe-signature'), secrets, now().getTime());
    const scope = stripeEventScope(event, config.STRIPE_ACCOUNT_ID);
    const result = await storeEvent(scope, describeStripeEvent(event), raw.length);
    if (!result.duplicate) c.var.deps.onEventStored?.();
    return c.json({ received: true as const, duplicate: result.duplicate, processed: result.processed, state: result.state }, 200);
  });
  return app;
}
