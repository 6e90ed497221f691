import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../openapi.js';
import { json } from '../schemas.js';

const Status = z.object({ status: z.string() });

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
      responses: { 200: json(Status, 'Database reachable'), 503: json(Status, 'Database unreachable') },
    }),
    async (c) => {
      try {
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
        await Promise.race([c.var.deps.sql`SELECT 1`, timeout]);
        return c.json({ status: 'ready' }, 200);
      } catch {
        return c.json({ status: 'database_unavailable' }, 503);
      }
    },
  );
  return app;
}
