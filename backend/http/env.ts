// The Hono environment shared by every route: dependencies and per-request values on c.var.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Sql } from '../db/client.js';
import type { StripeClients } from '../gateways/stripe/api-client.js';
import type { Resolver } from '../gateways/notify/public-address.js';

export interface Deps {
  config: Config;
  sql: Sql;
  logger: Logger;
  /** Injectable clock: tests move time, the service uses the wall clock. */
  now: () => Date;
  /** Stripe API clients per mode (platform keys); a mode without a key is null. Pick with stripeFor(). */
  stripe: StripeClients;
  /** DNS resolver for outbound notifications (tests inject one; default dns.lookup) */
  resolve?: Resolver;
}

/** Who is calling /api: set by the app-signature middleware, trusted only after verification. */
export interface Caller {
  accountId: string;
  userId: string;
  livemode: boolean;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    log: Logger;
    caller: Caller;
  };
};
