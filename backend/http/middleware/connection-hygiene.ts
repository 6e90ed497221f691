// An early answer (413 from the body limit, 401 before the body is read, any error) may leave part
// of the request body unread on the socket. The server adapter then closes that socket a moment
// later, while the answer said keep-alive: a client reusing it fails. So an error answer to a
// request that carries a body says `Connection: close`, and the client opens a fresh connection.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

const carriesBody = (headers: Headers) =>
  headers.has('transfer-encoding') || Number(headers.get('content-length') ?? 0) > 0;

export const connectionHygiene = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (c.res.status >= 400 && carriesBody(c.req.raw.headers)) c.res.headers.set('Connection', 'close');
};
