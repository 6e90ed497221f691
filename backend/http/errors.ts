// One error shape for every failure: { error: { code, message, request_id } }. The one place where
// domain, gateway and database errors become HTTP statuses.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.js';
import { DomainError } from '../domain/errors.js';
import { InvalidCursorError } from '../domain/pagination.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { GatewayError, type GatewayErrorKind } from '../gateways/errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const GATEWAY_STATUS: Record<GatewayErrorKind, ContentfulStatusCode> = {
  invalid_signature: 401,
  unusable_event: 400,
  not_configured: 503,
  declined: 402,
  rate_limited: 429,
  conflict: 409,
  not_found: 404,
  invalid_request: 400,
  upstream: 502,
};

export function errorBody(c: Context<AppEnv>, code: string, message: string, details?: unknown) {
  const error: Record<string, unknown> = { code, message, request_id: c.get('requestId') ?? null };
  if (details !== undefined) error.details = details;
  return { error };
}

export function renderError(err: Error, c: Context<AppEnv>) {
  const log = c.get('log');
  if (err instanceof ApiError) {
    return c.json(errorBody(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof GatewayError) {
    return c.json(errorBody(c, err.code, err.message, err.details), GATEWAY_STATUS[err.kind]);
  }
  if (err instanceof DomainError) {
    const status = err.kind === 'not_found' ? 404 : err.kind === 'conflict' ? 409 : 400;
    return c.json(errorBody(c, err.kind === 'invalid' ? 'invalid_request' : err.kind, err.message), status);
  }
  if (err instanceof InvalidCursorError) return c.json(errorBody(c, 'invalid_request', err.message), 400);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 413) return c.json(errorBody(c, 'payload_too_large', 'request body exceeds 1 MB'), 413);
    if (status === 400) return c.json(errorBody(c, 'invalid_request', err.message || 'malformed request'), 400);
    return c.json(errorBody(c, 'http_error', err.message || 'request failed'), status);
  }
  if (isDatabaseUnavailable(err)) {
    log?.error({ code: (err as { code?: string }).code }, 'database unavailable');
    return c.json(errorBody(c, 'database_unavailable', 'the database is unavailable; retry later'), 503);
  }
  log?.error({ err }, 'unhandled error');
  return c.json(errorBody(c, 'internal_error', 'internal error'), 500);
}
