import { createRoute, z } from '@hono/zod-openapi';
import { eventBacklog } from '../../domain/event-inbox.js';
import { configuredModes } from '../../gateways/stripe/api-client.js';
import { router } from '../openapi.js';
import { json } from '../schemas.js';

const Status = z.object({ status: z.string() });
const Ready = Status.extend({
  stripe_modes: z.array(z.enum(['live', 'test'])).openapi({ description: 'Modes with a Stripe key (STRIPE_SECRET_KEY); never the keys' }),
  backlog: z
    .object({
      pending: z.number().int().openapi({ description: 'events stored and not yet applied to the ledger (all accounts)' }),
      oldest_pending_age_seconds: z.number().openapi({ description: 'since the oldest pending event was received; 0 when none' }),
    })
    .optional()
    .openapi({ description: 'the event applier\'s backlog (absent when the database is unreachable)' }),
});

export function healthRoutes() {
  const app = router();
  app.openapi(
    createRoute({ method: 'get', path: '/healthz', tags: ['health'], responses: { 200: json(Status, 'Process is up') } }),
    (c) => c.json({ status: 'ok' }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['health'],
      responses: { 200: json(Ready, 'Database reachable'), 503: json(Ready, 'Database unreachable') },
    }),
    async (c) => {
      const stripe_modes = configuredModes(c.var.deps.stripe);
      try {
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
        const backlog = await Promise.race([eventBacklog(c.var.deps.sql, c.var.deps.now()), timeout]);
        return c.json({ status: 'ready', stripe_modes, backlog }, 200);
      } catch {
        return c.json({ status: 'database_unavailable', stripe_modes }, 503);
      }
    },
  );
  return app;
}
