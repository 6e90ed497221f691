// The only reader of process.env. Parsed once at start; a bad value stops start-up naming the variable.
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN } from './domain/accounts.js';

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const secretList = (prefix: string) =>
  csv.refine((list) => list.every((s) => s.startsWith(prefix)), {
    message: `every entry must start with ${prefix}`,
  });

export type StripeMode = 'live' | 'test';
export type StripeKeys = Record<StripeMode, string | null>;

/** A key's mode from its prefix (sk_live_/rk_live_, sk_test_/rk_test_); null for anything else. */
export function stripeKeyMode(key: string): StripeMode | null {
  const match = /^(?:sk|rk)_(live|test)_/.exec(key);
  return match ? (match[1] as StripeMode) : null;
}

/** At most one key per mode; the messages name positions and modes, never a key. */
function stripeKeysByMode(list: string[], ctx: z.RefinementCtx): StripeKeys {
  const keys: StripeKeys = { live: null, test: null };
  list.forEach((key, i) => {
    const mode = stripeKeyMode(key);
    if (!mode) {
      ctx.addIssue({ code: 'custom', message: `entry ${i + 1} must start with sk_live_, rk_live_, sk_test_ or rk_test_` });
    } else if (keys[mode]) {
      ctx.addIssue({ code: 'custom', message: `more than one ${mode}-mode key; give at most one key per mode` });
    } else {
      keys[mode] = key;
    }
  });
  return keys;
}

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4242),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  STRIPE_SECRET_KEY: csv.transform(stripeKeysByMode).optional().transform((keys) => keys ?? { live: null, test: null }),
  STRIPE_API_URL: z.string().url().default('https://api.stripe.com'),
  STRIPE_WEBHOOK_SECRET: secretList('whsec_').optional(),
  STRIPE_APP_SECRET: secretList('absec_').optional(),
  STRIPE_ACCOUNT_ID: z.string().regex(ACCOUNT_ID_PATTERN, 'must look like acct_…').optional(),
  PAYPAL_CERT_URL_PREFIXES: csv
    .refine((list) => list.length > 0 && list.every((p) => /^https?:\/\/[^/]+\/.+/.test(p)), {
      message: 'each prefix must be a URL with a host and a path',
    })
    .default([
      'https://api.paypal.com/v1/notifications/certs/',
      'https://api.sandbox.paypal.com/v1/notifications/certs/',
    ]),
  PAYPAL_MAX_CLOCK_SKEW_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  PAST_DUE_SCHEDULE: z.string().min(1).default('0 6 * * *'),
  // reconciliation of missed Stripe events for every installed account (cron, UTC): hourly
  RECONCILE_SCHEDULE: z.string().min(1).default('0 * * * *'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SYNC_MAX_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100).default(20),
  // Lets notify_url reach loopback/private receivers (local development, tests); never in production.
  NOTIFY_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  NODE_ENV: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parse an environment (process.env by default). Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const input = Object.fromEntries(
    known.map((k) => [k, env[k] === '' ? undefined : env[k]]).filter(([, v]) => v !== undefined),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    // Name the variable and the rule, never the value: it may be a secret.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.NOTIFY_ALLOW_PRIVATE && parsed.data.NODE_ENV === 'production') {
    throw new ConfigError(
      'invalid configuration:\n  NOTIFY_ALLOW_PRIVATE: must not be true with NODE_ENV=production (it lets notify_url reach internal addresses)',
    );
  }
  return parsed.data;
}

/** loadConfig for entry points (npm start, sync, migrate): a bad value is printed, naming the variable, and answers null. */
export function loadConfigOrReport(env: Record<string, string | undefined> = process.env): Config | null {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return null;
  }
}
