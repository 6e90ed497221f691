// The Stripe API client for backfill and actions: the platform key, pointed at STRIPE_API_URL
// (a local fake in tests). Installed accounts are reached with the `stripeAccount` request option.
import Stripe from 'stripe';
import type { Config } from '../../config.js';

export function createStripeClient(config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_API_URL'>): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const url = new URL(config.STRIPE_API_URL);
  return new Stripe(config.STRIPE_SECRET_KEY, {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
    // Retries are ours (backoff that honours Stripe-Should-Retry), so the library makes none.
    maxNetworkRetries: 0,
    timeout: 20_000,
    appInfo: { name: 'tenant-billing' },
  });
}
