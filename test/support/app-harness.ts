// Builds the real app on the test database, with a fresh account per test and signed app headers.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { inject } from 'vitest';
import { createApp } from '../../backend/app.js';
import { loadConfig, type Config } from '../../backend/config.js';
import { connectUrl, type Sql } from '../../backend/db/client.js';
import { createLogger } from '../../backend/logger.js';
import { createStripeClients } from '../../backend/gateways/stripe/api-client.js';
import { appSignaturePayload } from '../../backend/http/middleware/app-auth.js';
import { drainPending } from '../../backend/jobs/applier.js';

export const APP_SECRET = 'absec_test_primary_0123456789';
export const OLD_APP_SECRET = 'absec_test_rotated_9876543210';

let shared: Sql | undefined;
/** One pool per test file, closed by vitest when the worker ends. */
export function testSql(): Sql {
  shared ??= connectUrl(inject('databaseUrl'), 5).sql;
  return shared;
}

export const engine = () => inject('databaseEngine');

export const newAccountId = () => `acct_${randomBytes(8).toString('hex')}`;

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ STRIPE_APP_SECRET: `${APP_SECRET},${OLD_APP_SECRET}`, LOG_LEVEL: 'silent', ...env });
}

export interface Clock {
  now: () => Date;
  set(d: Date | string): void;
  advance(ms: number): void;
}

export function fakeClock(start: Date | string = new Date()): Clock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/**
 * The headers the app sends: a signature as fetchStripeSignature({ livemode }) makes it (over
 * JSON.stringify({ livemode, user_id, account_id })) and stripe-mode. Mode `test` unless given.
 */
export function signAppHeaders(
  accountId: string,
  userId = 'usr_test',
  opts: { secret?: string; timestamp?: number; mode?: string } = {},
): Record<string, string> {
  const mode = opts.mode ?? 'test';
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: appSignaturePayload(mode === 'live', userId, accountId),
    secret: opts.secret ?? APP_SECRET,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return {
    'stripe-signature': signature,
    'stripe-user-id': userId,
    'stripe-account-id': accountId,
    'stripe-mode': mode,
  };
}

export interface Harness {
  app: ReturnType<typeof createApp>;
  sql: Sql;
  config: Config;
  accountId: string;
  clock: Clock;
  /** JSON request through app.request() as the harness account (mode 'test' unless given). */
  api(
    method: string,
    path: string,
    body?: unknown,
    opts?: { mode?: string; accountId?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /**
   * Runs the applier over the pending events of the harness account (or `accountId`) until none
   * is due, as the service's applier would: webhooks only store events.
   */
  drain(accountId?: string): Promise<{ claimed: number; failed: number }>;
}

export function createHarness(opts: { env?: Record<string, string>; clock?: Clock } = {}): Harness {
  const sql = testSql();
  const config = testConfig(opts.env);
  const clock = opts.clock ?? fakeClock();
  const app = createApp({ config, sql, logger: createLogger('silent'), now: clock.now, stripe: createStripeClients(config) });
  const accountId = newAccountId();
  return {
    app,
    sql,
    config,
    accountId,
    clock,
    drain: (account = accountId) =>
      drainPending({ sql, logger: createLogger('silent'), now: clock.now }, { accountIds: [account] }),
    async api(method, path, body, o = {}) {
      const headers: Record<string, string> = signAppHeaders(o.accountId ?? accountId, 'usr_test', {
        mode: o.mode ?? 'test',
        timestamp: Math.floor(clock.now().getTime() / 1000),
      });
      if (body !== undefined) headers['content-type'] = 'application/json';
      Object.assign(headers, o.headers);
      return app.request(path, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
  };
}
