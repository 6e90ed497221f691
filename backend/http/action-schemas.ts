// Schemas of the invoice actions, one-time invoices and the audit log.
import { z } from '@hono/zod-openapi';
import { instant, InvoiceDetailSchema } from './ledger-schemas.js';
import { ListQuery } from './schemas.js';

export const ActionNameSchema = z.enum(['retry', 'void', 'mark_uncollectible', 'send_reminder', 'one_time_invoice']);

export const AuditQuery = ListQuery.extend({
  action: ActionNameSchema.optional(),
  user_id: z.string().max(100).optional(),
  invoice_id: z.string().uuid('invoice_id must be a uuid').optional(),
  outcome: z.enum(['succeeded', 'failed']).optional(),
  from: instant.optional(),
  to: instant.optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    action: ActionNameSchema,
    invoice_id: z.string().nullable(),
    target: z.string().nullable(),
    outcome: z.enum(['succeeded', 'failed']),
    detail: z.record(z.string(), z.unknown()),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AuditEntry');

const currencyCode = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, 'currency is a three-letter ISO code')
  .transform((c) => c.toLowerCase());

export const OneTimeInvoiceSchema = z
  .object({
    tenant_ids: z.array(z.string().uuid('each tenant id must be a uuid')).min(1).max(50)
      .refine((ids) => new Set(ids).size === ids.length, 'tenant_ids must not repeat'),
    currency: currencyCode,
    lines: z
      .array(
        z.object({
          description: z.string().trim().min(1, 'description is required').max(500),
          amount: z.number().int('amount is an integer in the minor unit').positive('amount must be positive').max(99_999_999),
        }).strict(),
      )
      .min(1)
      .max(50),
    days_until_due: z.number().int().min(0).max(365),
  })
  .strict()
  .openapi('OneTimeInvoiceRequest');

export const OneTimeInvoiceResultSchema = z.object({
  tenant_id: z.string(),
  invoice_id: z.string().nullable(),
  stripe_invoice_id: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const OneTimeInvoiceResponseSchema = z
  .object({ results: z.array(OneTimeInvoiceResultSchema) })
  .openapi('OneTimeInvoiceResponse');

export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type OneTimeInvoiceRequest = z.input<typeof OneTimeInvoiceSchema>;
export type OneTimeInvoiceResponse = z.infer<typeof OneTimeInvoiceResponseSchema>;

export const ActionResultSchema = z
  .object({
    action: ActionNameSchema,
    invoice: InvoiceDetailSchema,
  })
  .openapi('ActionResult');

export type ActionResult = z.infer<typeof ActionResultSchema>;
