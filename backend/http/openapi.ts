// OpenAPIHono with the validation hook that renders the contract's 400 shape.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid request';
        throw new ApiError(400, 'invalid_request', message, issues);
      }
    },
  });
}

export const scopeOf = (c: { var: AppEnv['Variables'] }) => ({
  accountId: c.var.caller.accountId,
  livemode: c.var.caller.livemode,
});
