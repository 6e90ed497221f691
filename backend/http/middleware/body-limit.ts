// The request body limit. Hono's bodyLimit first reads `c.req.raw.body`, which makes
// @hono/node-server build a web ReadableStream for every request, and `c.req.text()` then reads
// through it instead of the adapter's direct path: in the ingest benchmark's CPU profile that was
// the largest single cost of a webhook. A declared Content-Length is checked from the header alone
// (Node's HTTP parser never delivers more bytes than it declares); only a chunked body, whose size
// is unknown until read, goes through Hono's counting bodyLimit.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';

export function bodyLimit(opts: { maxSize: number; onError: (c: Context<AppEnv>) => Response }): MiddlewareHandler<AppEnv> {
  const counting = countingBodyLimit(opts);
  return async (c, next) => {
    if (c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    const declared = c.req.header('content-length');
    // without either header a request has no body (RFC 9112 6.3)
    if (declared === undefined) return next();
    return Number(declared) > opts.maxSize ? opts.onError(c) : next();
  };
}
