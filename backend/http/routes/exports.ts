// POST /api/exports (a short-lived link) and GET /exports/:token (the CSV, outside /api auth: the
// app opens it in a new tab, since the Dashboard's frame cannot download files).
import { createRoute } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_COLUMNS, exportRows } from '../../domain/exports.js';
import { ApiError } from '../errors.js';
import { EXPORT_LINK_TTL_MS, signExportLink, verifyExportLink } from '../export-links.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponse, errorResponses, json } from '../schemas.js';
import { ExportLinkSchema, ExportRequestSchema, ExportTokenParams, parseExportFilters } from './exports-schemas.js';

function secretsOf(config: { STRIPE_APP_SECRET?: string[] }): string[] {
  if (!config.STRIPE_APP_SECRET?.length) {
    throw new ApiError(503, 'app_auth_not_configured', 'STRIPE_APP_SECRET is not set on the backend');
  }
  return config.STRIPE_APP_SECRET;
}

/** The origin the caller reached us at (a TLS-terminating proxy says https in X-Forwarded-Proto). */
function publicOrigin(url: string, forwardedProto: string | undefined): string {
  const u = new URL(url);
  const proto = forwardedProto?.split(',')[0].trim();
  if (proto === 'https' || proto === 'http') u.protocol = `${proto}:`;
  return u.origin;
}

/** The export routes: `api` is mounted under /api (app auth), `download` at the root. */
export function exportRoutes() {
  const api = router();
  api.openapi(
    createRoute({
      method: 'post',
      path: '/exports',
      tags: ['exports'],
      description:
        'A link to a CSV of the invoice list, the event log or the past-due list with the given filters (validated ' +
        'as the list validates them), bound to this account, mode, kind and filters, valid for 10 minutes. The CSV ' +
        'has a header row, amounts in major units of the currency column (JPY 0 decimals, KWD 3), ISO 8601 UTC ' +
        'times and tenant names, every matching row in the list’s order.',
      request: { body: { content: { 'application/json': { schema: ExportRequestSchema } }, required: true } },
      responses: { 200: json(ExportLinkSchema), ...errorResponses },
    }),
    async (c) => {
      const { kind, filters } = c.req.valid('json');
      const check = parseExportFilters(kind, filters);
      if (!check.ok) {
        const [first] = check.issues;
        throw new ApiError(400, 'invalid_request', `${first.path}: ${first.message}`, check.issues);
      }
      const { deps } = c.var;
      const scope = scopeOf(c);
      const expiresAt = new Date(deps.now().getTime() + EXPORT_LINK_TTL_MS);
      const token = signExportLink(secretsOf(deps.config), {
        accountId: scope.accountId,
        livemode: scope.livemode,
        kind,
        filters,
        expiresAt,
      });
      const url = `${publicOrigin(c.req.url, c.req.header('x-forwarded-proto'))}/exports/${token}`;
      return c.json({ url, expires_at: expiresAt.toISOString() }, 200);
    },
  );

  const download = router();
  download.openapi(
    createRoute({
      method: 'get',
      path: '/exports/{token}',
      tags: ['exports'],
      security: [],
      description:
        'The CSV of an export link (text/csv attachment), streamed. No app headers: the token is the credential. ' +
        'An expired link answers 410; a malformed or tampered one 404 (indistinguishable from no link).',
      request: { params: ExportTokenParams },
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        404: errorResponse('Not an export link (malformed, tampered, or a tenant no longer there)'),
        410: errorResponse('The link expired: ask the app for a new one'),
      },
    }),
    async (c) => {
      const { deps } = c.var;
      const now = deps.now();
      const link = verifyExportLink(secretsOf(deps.config), c.req.valid('param').token, now);
      if (!link.ok) {
        if (link.reason === 'expired') throw new ApiError(410, 'export_expired', 'this export link has expired; export again from the app');
        throw new ApiError(404, 'not_found', 'export link not found');
      }
      const { claims } = link;
      const check = parseExportFilters(claims.kind, claims.filters);
      if (!check.ok) throw new ApiError(404, 'not_found', 'export link not found');
      const scope = { accountId: claims.accountId, livemode: claims.livemode };
      const rows = await exportRows(deps.sql, scope, claims.kind, check.filters, now);
      const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS[claims.kind]] });
      // Backpressure end to end: the cursor is read only as fast as the client takes the CSV; a
      // client that goes away ends the pipeline, which closes the cursor.
      pipeline(Readable.from(rows), csv).catch((err: Error) => {
        if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') c.var.log.error({ err }, 'export stream failed');
      });
      const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '');
      const filename = `tenant-billing-${claims.kind.replace('_', '-')}-${claims.livemode ? 'live' : 'test'}-${stamp}Z.csv`;
      return new Response(Readable.toWeb(csv) as ReadableStream, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${filename}"`,
          'cache-control': 'no-store',
          'x-request-id': c.var.requestId,
        },
      });
    },
  );

  return { api, download };
}
