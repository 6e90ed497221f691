// Stripe App signature auth for /api/*: the view signs {user_id, account_id} with
// fetchStripeSignature(); we verify it with the stripe library against every app secret.
import Stripe from 'stripe';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../env.js';
import { ensureAccount } from '../../domain/accounts.js';

const TOLERANCE_SECONDS = 300;
const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/** True when `signature` signs exactly JSON.stringify({user_id, account_id}) with one of `secrets`. */
export function verifyAppSignature(
  userId: string,
  accountId: string,
  signature: string,
  secrets: string[],
  nowMs?: number,
): boolean {
  // Key order matters: this is byte-for-byte what the Dashboard signed.
  const payload = JSON.stringify({ user_id: userId, account_id: accountId });
  return secrets.some((secret) => {
    try {
      return Stripe.webhooks.signature!.verifyHeader(
        payload,
        signature,
        secret,
        TOLERANCE_SECONDS,
        undefined,
        nowMs,
      );
    } catch {
      return false;
    }
  });
}

export const appAuth = (): MiddlewareHandler<AppEnv> => {
  // Accounts already registered by this app instance: no write on every API call.
  const registered = new Set<string>();
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const { config, now, sql } = c.var.deps;
    const signature = c.req.header('stripe-signature');
    const userId = c.req.header('stripe-user-id');
    const accountId = c.req.header('stripe-account-id');
    const mode = c.req.header('stripe-mode') ?? 'live';
    if (!config.STRIPE_APP_SECRET?.length) {
      throw new ApiError(
        503,
        'app_auth_not_configured',
        "STRIPE_APP_SECRET is not set on the backend: set it to the app's signing secret (absec_…, on the app's page in the Stripe Dashboard) and restart; `npm run preview` runs the app locally without one",
      );
    }
    if (!signature || !userId || !accountId) {
      throw unauthorized('missing stripe-signature, stripe-user-id or stripe-account-id header');
    }
    if (!/^acct_\w{1,64}$/.test(accountId) || !/^\w{1,64}$/.test(userId)) {
      throw unauthorized('malformed stripe-account-id or stripe-user-id header');
    }
    if (!verifyAppSignature(userId, accountId, signature, config.STRIPE_APP_SECRET, now().getTime())) {
      throw unauthorized('invalid or expired app signature');
    }
    if (mode !== 'live' && mode !== 'test') {
      throw new ApiError(400, 'invalid_request', 'stripe-mode must be "live" or "test"');
    }
    if (!registered.has(accountId)) {
      await ensureAccount(sql, accountId);
      registered.add(accountId);
    }
    c.set('caller', { accountId, userId, livemode: mode === 'live' });
    await next();
  };
};
