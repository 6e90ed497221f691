import { createRoute, z } from '@hono/zod-openapi';
import { configuredModes } from '../../gateways/stripe/api-client.js';
import { router } from '../openapi.js';
import { json } from '../schemas.js';

const Status = z.object({ status: z.string() });
const Ready = Status.extend({
  stripe_modes: z.array(z.enum(['live', 'test'])).openapi({ description: 'Modes with a Stripe key (STRIPE_SECRET_KEY); never the keys' }),
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
        await Promise.race([c.var.deps.sql`SELECT 1`, timeout]);
        return c.json({ status: 'ready', stripe_modes }, 200);
      } catch {
        return c.json({ status: 'database_unavailable', stripe_modes }, 503);
      }
    },
  );
  return app;
}
