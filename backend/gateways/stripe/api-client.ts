// The Stripe API clients for backfill, actions and reminders: one per mode, each with that mode's
// platform key from STRIPE_SECRET_KEY, pointed at STRIPE_API_URL (a local fake in tests). A call
// always uses the client of the request's mode. Installed accounts are reached with the
// `stripeAccount` request option.
import Stripe from 'stripe';
import type { Config, StripeKeys, StripeMode } from '../../config.js';

/** One client per mode; null where STRIPE_SECRET_KEY has no key for that mode. */
export type StripeClients = Record<StripeMode, Stripe | null>;

export const modeOf = (livemode: boolean): StripeMode => (livemode ? 'live' : 'test');

function createClient(key: string, apiUrl: string): Stripe {
  const url = new URL(apiUrl);
  return new Stripe(key, {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
    // Retries are ours (backoff that honours Stripe-Should-Retry), so the library makes none.
    maxNetworkRetries: 0,
    timeout: 20_000,
    appInfo: { name: 'tenant-billing' },
  });
}

export function createStripeClients(config: { STRIPE_SECRET_KEY: StripeKeys; STRIPE_API_URL: Config['STRIPE_API_URL'] }): StripeClients {
  const { live, test } = config.STRIPE_SECRET_KEY;
  return {
    live: live ? createClient(live, config.STRIPE_API_URL) : null,
    test: test ? createClient(test, config.STRIPE_API_URL) : null,
  };
}

/** The client of a mode, or null when that mode has no key. */
export const stripeFor = (clients: StripeClients, livemode: boolean): Stripe | null => clients[modeOf(livemode)];

/** Which modes have a key, for /readyz and the start-up log (never the keys). */
export const configuredModes = (clients: StripeClients): StripeMode[] =>
  (['live', 'test'] as const).filter((mode) => clients[mode] !== null);

/** The message of the 503 stripe_not_configured answer for a mode. */
export const notConfiguredMessage = (livemode: boolean) =>
  `no Stripe key for ${modeOf(livemode)} mode: STRIPE_SECRET_KEY has no ${modeOf(livemode)}-mode key (sk_${modeOf(livemode)}_… or rk_${modeOf(livemode)}_…)`;

/** A client for one key (scripts and tests that hold a single key). */
export function createStripeClient(config: { STRIPE_SECRET_KEY: string | undefined; STRIPE_API_URL: string }): Stripe | null {
  return config.STRIPE_SECRET_KEY ? createClient(config.STRIPE_SECRET_KEY, config.STRIPE_API_URL) : null;
}
