// createApp(deps): middleware, error rendering, and the routes of each resource.
import { bodyLimit } from './http/middleware/body-limit.js';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from './http/env.js';
import { batchedEventStore } from './domain/event-inbox.js';
import { errorBody, renderError } from './http/errors.js';
import { appAuth } from './http/middleware/app-auth.js';
import { connectionHygiene } from './http/middleware/connection-hygiene.js';
import { queryGuard } from './http/middleware/query-guard.js';
import { requestContext } from './http/middleware/request-context.js';
import { router } from './http/openapi.js';
import { healthRoutes } from './http/routes/health.js';
import { settingsRoutes } from './http/routes/settings.js';
import { tenantRoutes } from './http/routes/tenants.js';
import { syncRoutes } from './http/routes/sync.js';
import { pastDueRoutes } from './http/routes/past-due.js';
import { invoiceRoutes } from './http/routes/invoices.js';
import { eventRoutes } from './http/routes/events.js';
import { statsRoutes } from './http/routes/stats.js';
import { stripeWebhookRoutes } from './http/routes/webhooks-stripe.js';
import { paypalWebhookRoutes } from './http/routes/webhooks-paypal.js';
import { actionRoutes } from './http/routes/actions.js';
import { bulkRoutes } from './http/routes/bulk.js';
import { collectionsRoutes } from './http/routes/collections.js';
import { exportRoutes } from './http/routes/exports.js';
import { reconcileRoutes } from './http/routes/reconcile.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: Deps) {
  const app = router();

  app.use('*', requestContext(deps));
  app.use('*', connectionHygiene());
  app.use('*', secureHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody(c, 'payload_too_large', 'request body exceeds 1 MB'), 413),
    }),
  );
  // The app runs in a sandboxed frame (origin "null"); it authenticates by signature header,
  // never by cookie, so any origin may call /api.
  app.use(
    '/api/*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'stripe-signature', 'stripe-user-id', 'stripe-account-id', 'stripe-mode', 'Idempotency-Key'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    }),
  );
  app.use('/api/*', appAuth());
  app.use('/api/*', queryGuard());

  const exports = exportRoutes();
  app.route('/', healthRoutes());
  app.route('/', exports.download); // the token is the credential, outside /api auth
  // both webhooks store through one batched store: under load one statement serves many deliveries
  const storeEvent = batchedEventStore(deps.sql);
  app.route('/', stripeWebhookRoutes(storeEvent)); // signed by Stripe, outside /api auth
  app.route('/', paypalWebhookRoutes(deps.config, storeEvent)); // signed by PayPal, outside /api auth
  app.route('/api', settingsRoutes());
  app.route('/api', tenantRoutes());
  app.route('/api', syncRoutes());
  app.route('/api', pastDueRoutes());
  app.route('/api', invoiceRoutes());
  app.route('/api', eventRoutes());
  app.route('/api', statsRoutes());
  app.route('/api', bulkRoutes());
  app.route('/api', actionRoutes());
  app.route('/api', collectionsRoutes());
  app.route('/api', exports.api);
  app.route('/api', reconcileRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'StripeAppSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'stripe-signature',
    description:
      'fetchStripeSignature({ livemode }) over JSON.stringify({ livemode, user_id, account_id }), with stripe-user-id, ' +
      'stripe-account-id and stripe-mode headers; the signed livemode must match stripe-mode',
  });
  app.doc('/openapi.json', {
    openapi: '3.0.0',
    info: { title: 'Tenant Billing API', version: '1.0.0' },
    security: [{ StripeAppSignature: [] }],
  });

  app.notFound((c) => c.json(errorBody(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(renderError);
  return app;
}

export type App = ReturnType<typeof createApp>;
