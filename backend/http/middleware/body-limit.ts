// The request body limit. Hono's bodyLimit first reads `c.req.raw.body`, which makes
// @hono/node-server build a web ReadableStream for every request, and `c.req.text()` then reads
// through it instead of the adapter's direct path: a visible share of a webhook's CPU in the ingest
// benchmark's profile. A declared Content-Length is checked from the header alone
// (Node's HTTP parser never delivers more bytes than it declares); a body of undeclared length
// (chunked, or a Request built in-process) goes through Hono's counting bodyLimit.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';

export function bodyLimit(opts: { maxSize: number; onError: (c: Context<AppEnv>) => Response }): MiddlewareHandler<AppEnv> {
  const counting = countingBodyLimit(opts);
  return async (c, next) => {
    const declared = c.req.header('content-length');
    // no declared length (chunked, or a Request made in-process): count what arrives
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    return Number(declared) > opts.maxSize ? opts.onError(c) : next();
  };
}
