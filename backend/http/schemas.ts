// Request and response schemas of the app API: they validate input, generate /openapi.json, and
// their inferred types are imported (type-only) by the Stripe App's client.
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      request_id: z.string().nullable(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** An error answer of a route, in the one error shape. */
export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

export const errorResponses = {
  400: errorResponse('Invalid request'),
  401: errorResponse('Missing or invalid app signature'),
  404: errorResponse('Not found (or another account’s)'),
} as const;

export const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-01T12:00:00.000Z' });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

// --- settings ---------------------------------------------------------------------------------

export const SettingsSchema = z
  .object({
    paypal_webhook_id: z.string().nullable(),
    tenant_metadata_key: z.string().nullable(),
    notify_url: z.string().nullable(),
    past_due_grace_days: z.number().int(),
    reminder_steps: z.array(z.number().int()),
    daily_digest: z.boolean().openapi({ description: 'one summary message a day to notify_url after the past-due scan (opt-in)' }),
    notify_secret: z.string().openapi({ description: 'HMAC key that signs past-due notifications' }),
  })
  .openapi('Settings');

export const SettingsUpdateSchema = z
  .object({
    paypal_webhook_id: z
      .string()
      .regex(/^[A-Z0-9]{1,64}$/, 'a PayPal webhook id is upper-case letters and digits')
      .nullable(),
    tenant_metadata_key: z
      .string()
      .regex(/^[\w.-]{1,40}$/, 'a metadata key is 1–40 letters, digits, "_", "." or "-"')
      .nullable(),
    // The address rules need the configuration (NOTIFY_ALLOW_PRIVATE): the route applies them.
    notify_url: z
      .string()
      .max(2048)
      .refine((u) => URL.canParse(u), 'notify_url must be a URL')
      .nullable()
      .openapi({ description: 'https to a public address; loopback, private, link-local and metadata addresses are refused' }),
    past_due_grace_days: z.number().int().min(0).max(365),
    reminder_steps: z
      .array(z.number().int().min(0).max(365))
      .max(10)
      .refine((s) => new Set(s).size === s.length, 'reminder_steps must not repeat')
      .transform((s) => [...s].sort((a, b) => a - b)),
    daily_digest: z.boolean(),
  })
  .partial()
  .strict()
  .openapi('SettingsUpdate');

// --- tenants ----------------------------------------------------------------------------------

export const GatewaySchema = z.enum(['stripe', 'paypal']);

export const TenantLinkSchema = z
  .object({ id: z.string(), gateway: GatewaySchema, external_id: z.string(), created_at: timestamp })
  .openapi('TenantLink');

/** POST /api/tenants/:id/links: the link, and whether the identity was checked with the gateway. */
export const LinkCreatedSchema = TenantLinkSchema.extend({
  checked: z.boolean().openapi({ description: 'true when the Stripe customer was found through the Stripe API' }),
  unchecked_reason: z
    .string()
    .nullable()
    .openapi({ description: 'why the identity could not be checked (no Stripe key for the mode; PayPal ids)' }),
}).openapi('LinkCreated');

export const ReminderToneSchema = z.enum(['friendly', 'firm', 'final']);
export const ReminderStepSchema = z
  .object({ days: z.number().int().min(0).max(365), tone: ReminderToneSchema })
  .strict()
  .openapi('ReminderStep');

export const TenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    external_ref: z.string().nullable(),
    customer_reminders: z.boolean(),
    reminder_steps: z.array(ReminderStepSchema).nullable().openapi({
      description:
        'the tenant’s own reminder escalation (days past due and tone); null: the account’s reminder_steps with tones ' +
        'friendly, firm, final by position',
    }),
    created_at: timestamp,
    updated_at: timestamp,
    links: z.array(TenantLinkSchema),
  })
  .openapi('Tenant');

const tenantName = z.string().trim().min(1, 'name is required').max(200);
const externalRef = z.string().trim().min(1).max(127).nullable();

const reminderSteps = z
  .array(ReminderStepSchema)
  .min(1, 'reminder_steps needs at least one step (null for the account’s)')
  .max(10)
  .refine((s) => new Set(s.map((x) => x.days)).size === s.length, 'reminder_steps must not repeat a day')
  .transform((s) => [...s].sort((a, b) => a.days - b.days))
  .nullable();

export const TenantCreateSchema = z
  .object({
    name: tenantName,
    external_ref: externalRef.optional(),
    customer_reminders: z.boolean().optional(),
    reminder_steps: reminderSteps.optional(),
  })
  .strict()
  .openapi('TenantCreate');

export const TenantUpdateSchema = TenantCreateSchema.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('TenantUpdate');

export const LinkCreateSchema = z
  .object({ gateway: GatewaySchema, external_id: z.string().trim().min(1).max(128) })
  .strict()
  .superRefine((v, ctx) => {
    const ok =
      v.gateway === 'stripe'
        ? /^cus_[A-Za-z0-9]+$/.test(v.external_id)
        : /^I-[A-Z0-9]+$/.test(v.external_id) || /^[A-Z0-9]{8,20}$/.test(v.external_id);
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['external_id'],
        message:
          v.gateway === 'stripe'
            ? 'a Stripe link is a customer id (cus_…)'
            : 'a PayPal link is a subscription id (I-…) or a payer id',
      });
    }
  })
  .openapi('LinkCreate');

export const TenantListQuery = ListQuery.extend({
  q: z.string().trim().max(200).optional().openapi({ description: 'search in name and external_ref' }),
  link: z.string().trim().max(128).optional().openapi({ description: 'only the tenant linked to this gateway identity (cus_…, I-…)' }),
});

export type SettingsResponse = z.infer<typeof SettingsSchema>;
export type SettingsUpdate = z.input<typeof SettingsUpdateSchema>;
export type TenantResponse = z.infer<typeof TenantSchema>;
export type TenantLinkResponse = z.infer<typeof TenantLinkSchema>;
export type TenantUpdate = z.input<typeof TenantUpdateSchema>;
export type ReminderStep = z.infer<typeof ReminderStepSchema>;
export type LinkCreatedResponse = z.infer<typeof LinkCreatedSchema>;
export type List<T> = { data: T[]; next_cursor: string | null };
