// Request id (echoed in X-Request-Id and every error body) and one access-log line per request.
import type { MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import type { AppEnv, Deps } from '../env.js';

const REQUEST_ID = /^[\w.-]{1,100}$/;

export const requestContext = (deps: Deps): MiddlewareHandler<AppEnv> => async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : `req_${randomUUID()}`;
  const log = deps.logger.child({ request_id: requestId });
  c.set('deps', deps);
  c.set('requestId', requestId);
  c.set('log', log);
  c.header('X-Request-Id', requestId);
  const started = performance.now();
  await next();
  // Path only: query strings may carry search terms, and headers may carry signatures. An export
  // link's token is a credential for its minutes: it is not logged either.
  const path = c.req.path.startsWith('/exports/') ? '/exports/[token]' : c.req.path;
  log.info(
    { method: c.req.method, path, status: c.res.status, ms: Math.round(performance.now() - started) },
    'request',
  );
};
