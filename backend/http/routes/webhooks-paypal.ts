// POST /webhooks/paypal/:accountId — raw body -> offline signature check against the account's
// PayPal webhook ids (the one that verifies decides the mode) -> parse -> one insert (pending) -> 200.
import { createRoute, z } from '@hono/zod-openapi';
import type { Config } from '../../config.js';
import { isAccountId } from '../../domain/accounts.js';
import type { EventStore } from '../../domain/event-inbox.js';
import { paypalWebhookIds } from '../../domain/settings.js';
import { createCertificateStore, type CertificateStoreOptions } from '../../gateways/paypal/certificates.js';
import { readPaypalEvent } from '../../gateways/paypal/receive.js';
import { readTransmission, VerificationError, verifyTransmission } from '../../gateways/paypal/verify.js';
import { router } from '../openapi.js';
import { errorResponse, json } from '../schemas.js';

const ReceivedSchema = z
  .object({
    received: z.literal(true),
    id: z.string().openapi({ description: 'the stored payment event' }),
    duplicate: z.boolean(),
    processed: z.boolean().openapi({ description: 'already applied (a duplicate of an applied event); a new event is applied a moment later' }),
    state: z.enum(['pending', 'processed', 'ignored', 'failed']),
  })
  .openapi('PaypalWebhookReceived');

export function paypalWebhookRoutes(config: Config, storeEvent: EventStore, certOptions: Partial<CertificateStoreOptions> = {}) {
  // One certificate cache per app (bounded; see certificates.ts).
  const certificates = createCertificateStore({ prefixes: config.PAYPAL_CERT_URL_PREFIXES, ...certOptions });
  const app = router();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/paypal/{accountId}',
      tags: ['webhooks'],
      security: [],
      description:
        'PayPal webhook delivery, verified offline (paypal-transmission-* headers, paypal-cert-url, paypal-auth-algo) ' +
        'against the PayPal webhook id saved in the account settings of either mode.',
      request: { params: z.object({ accountId: z.string() }) },
      responses: {
        200: json(ReceivedSchema, 'Stored (or already stored: duplicate)'),
        400: errorResponse('Signed, but not a usable PayPal event; nothing stored'),
        401: errorResponse('Verification failed, or no PayPal webhook id is configured for this account; nothing stored'),
        413: errorResponse('Body larger than 1 MB'),
        503: errorResponse('Database unavailable; PayPal retries'),
      },
    }),
    async (c) => {
      const { deps, log } = c.var;
      const accountId = c.req.param('accountId');
      const rawBody = new Uint8Array(await c.req.arrayBuffer());

      let livemode: boolean;
      try {
        const transmission = readTransmission((name) => c.req.header(name));
        // An unknown account has no webhook ids: refused like an unconfigured one.
        const webhooks = isAccountId(accountId) ? await paypalWebhookIds(deps.sql, accountId) : [];
        ({ livemode } = await verifyTransmission({
          transmission,
          rawBody,
          webhooks,
          certificates,
          now: deps.now(),
          maxSkewMinutes: deps.config.PAYPAL_MAX_CLOCK_SKEW_MINUTES,
        }));
      } catch (err) {
        if (err instanceof VerificationError) log.warn({ reason: err.message }, 'paypal webhook refused');
        throw err;
      }

      const { incoming } = readPaypalEvent(rawBody);
      const result = await storeEvent({ accountId, livemode }, incoming, rawBody.length);
      if (!result.duplicate) deps.onEventStored?.();
      return c.json(
        { received: true as const, id: result.id, duplicate: result.duplicate, processed: result.processed, state: result.state },
        200,
      );
    },
  );

  return app;
}
