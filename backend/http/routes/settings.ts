import { createRoute } from '@hono/zod-openapi';
import { getSettings, updateSettings } from '../../domain/settings.js';
import { notifyUrlProblem } from '../../gateways/notify/public-address.js';
import { ApiError } from '../errors.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponses, json, SettingsSchema, SettingsUpdateSchema } from '../schemas.js';

export function settingsRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settings',
      tags: ['settings'],
      responses: { 200: json(SettingsSchema), 401: errorResponses[401] },
    }),
    async (c) => c.json(await getSettings(c.var.deps.sql, scopeOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/settings',
      tags: ['settings'],
      description: 'Sets the given fields; fields left out keep their value. Unknown fields are refused.',
      request: { body: { required: true, content: { 'application/json': { schema: SettingsUpdateSchema } } } },
      responses: { 200: json(SettingsSchema), 400: errorResponses[400], 401: errorResponses[401] },
    }),
    async (c) => {
      const update = c.req.valid('json');
      if (update.notify_url) {
        const problem = notifyUrlProblem(update.notify_url, { allowPrivate: c.var.deps.config.NOTIFY_ALLOW_PRIVATE });
        if (problem) {
          const message = `notify_url ${problem}`;
          throw new ApiError(400, 'invalid_request', `notify_url: ${message}`, [{ path: 'notify_url', message }]);
        }
      }
      return c.json(await updateSettings(c.var.deps.sql, scopeOf(c), update), 200);
    },
  );

  return app;
}
