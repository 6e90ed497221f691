// POST /webhooks/stripe: raw body -> signature (every configured secret, for rotation) -> account
// -> one insert of the event (pending) -> 200. The applier (jobs/applier.ts) applies it a moment later.
import { createRoute, z } from '@hono/zod-openapi';
import Stripe from 'stripe';
import { isAccountId } from '../../domain/accounts.js';
import { storeIncomingEvent } from '../../domain/event-inbox.js';
import { ApiError } from '../../http/errors.js';
import { router } from '../../http/openapi.js';
import { ErrorSchema, json } from '../../http/schemas.js';
import { describeStripeEvent } from './process-event.js';

const Received = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean(),
    processed: z.boolean().openapi({ description: 'already applied (a duplicate of an applied event); a new event is applied a moment later' }),
    state: z.enum(['pending', 'processed', 'ignored', 'failed']),
  })
  .openapi('WebhookReceived');

const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

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
    400: error(
      'Unreadable or unstorable body (bad JSON, lone surrogates, NUL, nesting over 64 levels, ids over 255 characters), ' +
        'an account that is not an acct_ id, or no account to file the event under; nothing stored',
    ),
    401: error('Missing or invalid signature'),
    413: error('Body over 1 MB'),
    503: error('Webhook secret not configured, or database unavailable (Stripe retries)'),
  },
});

const looksLikeEvent = (x: unknown): x is Stripe.Event => {
  const e = x as Partial<Stripe.Event> | null;
  return !!e && typeof e.id === 'string' && typeof e.type === 'string' && typeof e.created === 'number'
    && typeof e.livemode === 'boolean' && typeof e.data === 'object' && e.data !== null;
};

/** Verifies against each secret in turn; a body that is signed but not JSON is a 400. */
function verify(raw: string, header: string, secrets: string[], receivedAtMs: number): unknown {
  for (const secret of secrets) {
    try {
      return Stripe.webhooks.constructEvent(raw, header, secret, undefined, undefined, receivedAtMs);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) continue;
      throw new ApiError(400, 'invalid_json', 'the webhook body is not valid JSON');
    }
  }
  throw new ApiError(401, 'invalid_signature', 'the Stripe-Signature header does not match any webhook secret');
}

export function stripeWebhookRoutes() {
  const app = router();
  app.openapi(route, async (c) => {
    const { config, sql, now } = c.var.deps;
    const secrets = config.STRIPE_WEBHOOK_SECRET ?? [];
    if (secrets.length === 0) {
      throw new ApiError(503, 'webhook_not_configured', 'STRIPE_WEBHOOK_SECRET is not configured');
    }
    const header = c.req.header('stripe-signature');
    if (!header) throw new ApiError(401, 'invalid_signature', 'the Stripe-Signature header is missing');
    const raw = await c.req.text();
    const event = verify(raw, header, secrets, now().getTime());
    if (!looksLikeEvent(event)) {
      throw new ApiError(400, 'invalid_event', 'the webhook body is not a Stripe event');
    }
    const named: unknown = event.account;
    // Only a real account id may become an account row (and a scope for the event).
    if (named !== undefined && named !== null && !isAccountId(named)) {
      throw new ApiError(400, 'invalid_account', 'the event\'s account is not a Stripe account id (acct_…); nothing was stored');
    }
    const accountId = named ?? config.STRIPE_ACCOUNT_ID;
    if (!accountId) {
      throw new ApiError(
        400,
        'account_unresolved',
        'the event names no account and STRIPE_ACCOUNT_ID is not set; nothing was stored',
      );
    }
    const scope = { accountId, livemode: event.livemode };
    const result = await storeIncomingEvent(sql, scope, describeStripeEvent(event));
    if (!result.duplicate) c.var.deps.onEventStored?.();
    return c.json({ received: true as const, duplicate: result.duplicate, processed: result.processed, state: result.state }, 200);
  });
  return app;
}
