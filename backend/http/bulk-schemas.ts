// Schemas of POST /api/invoices/bulk.
import { z } from '@hono/zod-openapi';
import { InvoiceSchema } from './ledger-schemas.js';

export const BulkRequestSchema = z
  .object({
    action: z.enum(['retry', 'void', 'mark-uncollectible', 'send-reminder']),
    invoice_ids: z
      .array(z.string().uuid('each invoice id must be a uuid'))
      .min(1, 'invoice_ids needs at least one id')
      .max(100, 'at most 100 invoices per request')
      .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, 'invoice_ids must not repeat'),
    dry_run: z.boolean().default(false).openapi({ description: 'true: only say what would happen to each invoice' }),
  })
  .strict()
  .openapi('BulkActionRequest');

export const BulkResultSchema = z
  .object({
    invoice_id: z.string(),
    number: z.string().nullable(),
    outcome: z.enum(['would_apply', 'applied', 'refused', 'failed']),
    reason: z.string().nullable().openapi({ description: 'why it was refused or failed; null otherwise' }),
    invoice: InvoiceSchema.nullable().openapi({ description: 'the invoice now; null when not found' }),
  })
  .openapi('BulkActionResult');

export const BulkResponseSchema = z.object({ data: z.array(BulkResultSchema) }).openapi('BulkActionResponse');

export type BulkActionRequest = z.input<typeof BulkRequestSchema>;
export type BulkActionResponse = z.infer<typeof BulkResponseSchema>;
