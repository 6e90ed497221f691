// Query-string values PostgreSQL cannot hold (NUL) are refused for every /api route in one place,
// documented parameter or not, before any handler can pass them to SQL.
import type { MiddlewareHandler } from 'hono';
import { hasNul } from '../../domain/query-input.js';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../env.js';

export const queryGuard = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (hasNul(name) || values.some(hasNul)) {
      throw new ApiError(400, 'invalid_request', 'query parameters must not contain NUL characters');
    }
  }
  await next();
};
