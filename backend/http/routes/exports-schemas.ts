// Schemas of the CSV exports: the request names a list and that list's own filters, which are
// validated with the list route's query schema (the same messages and limits as the list).
import { z } from '@hono/zod-openapi';
import { EXPORT_KINDS, type ExportFilters, type ExportKind } from '../../domain/exports.js';
import { EventListQuery, InvoiceListQuery } from '../ledger-schemas.js';
import { PastDueQuery } from '../past-due-schemas.js';

export const ExportRequestSchema = z
  .object({
    kind: z.enum(EXPORT_KINDS),
    filters: z
      .record(z.string(), z.string().max(500))
      .default({})
      .openapi({
        description:
          'the list’s own query parameters as strings (invoices: tenant_id, status, gateway, from, to, q; events: ' +
          'gateway, type, tenant_id, from, to, processed; past_due: tenant_id, currency); limit and cursor are not filters',
        example: { status: 'past_due', from: '2026-01-01' },
      }),
  })
  .strict()
  .openapi('ExportRequest');

export const ExportLinkSchema = z
  .object({
    url: z.string().openapi({ description: 'GET it without app headers within 10 minutes: a CSV attachment' }),
    expires_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ExportLink');

export type ExportRequest = z.input<typeof ExportRequestSchema>;
export type ExportLinkResponse = z.infer<typeof ExportLinkSchema>;

export const ExportTokenParams = z.object({ token: z.string().max(4096).openapi({ param: { name: 'token', in: 'path' } }) });

const LIST_QUERY = { invoices: InvoiceListQuery, events: EventListQuery, past_due: PastDueQuery } as const;
const NOT_FILTERS = new Set(['limit', 'cursor']);

export type FilterCheck<K extends ExportKind> =
  | { ok: true; filters: ExportFilters[K] }
  | { ok: false; issues: { path: string; message: string }[] };

/** The list's schema over the filters (unknown keys refused); the domain's filter shape on success. */
export function parseExportFilters<K extends ExportKind>(kind: K, raw: Record<string, string>): FilterCheck<K> {
  const schema = LIST_QUERY[kind];
  const known = new Set(Object.keys(schema.shape).filter((k) => !NOT_FILTERS.has(k)));
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    return {
      ok: false,
      issues: unknown.map((k) => ({ path: `filters.${k}`, message: `not a filter of the ${kind} list (${[...known].join(', ')})` })),
    };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: ['filters', ...i.path].join('.'), message: i.message })) };
  }
  const { limit: _l, cursor: _c, ...rest } = parsed.data as Record<string, unknown>;
  if (kind === 'past_due') {
    const p = rest as { tenant_id?: string; currency?: string };
    return { ok: true, filters: { tenantId: p.tenant_id, currency: p.currency } as ExportFilters[K] };
  }
  return { ok: true, filters: rest as ExportFilters[K] };
}
