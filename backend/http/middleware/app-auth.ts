// Stripe App signature auth for /api/*: the view signs its mode with
// fetchStripeSignature({ livemode }); Stripe signs that payload followed by the user and account,
// so we verify exactly JSON.stringify({ livemode, user_id, account_id }) with the stripe library
// against every app secret. A signature made in one mode never passes for the other.
import Stripe from 'stripe';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../env.js';
import { ensureAccount } from '../../domain/accounts.js';

const TOLERANCE_SECONDS = 300;
/** Clock skew allowed for a signature dated ahead of our clock; the library checks only the past. */
const MAX_FUTURE_SECONDS = 60;
const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/** The exact string the Dashboard signs for fetchStripeSignature({ livemode }): payload keys first. */
export const appSignaturePayload = (livemode: boolean, userId: string, accountId: string) =>
  JSON.stringify({ livemode, user_id: userId, account_id: accountId });

/**
 * The timestamp verifyHeader checked the signature over. The library exposes no parser, so this
 * reads the header exactly as it does: comma-separated `k=v`, the last `t` wins, parseInt.
 */
function signedTimestamp(signature: string): number | null {
  let t: number | null = null;
  for (const item of signature.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') t = parseInt(value, 10);
  }
  return t !== null && Number.isFinite(t) ? t : null;
}

/**
 * True when `signature` signs exactly JSON.stringify({ livemode, user_id, account_id }) with one of
 * `secrets`, is at most 300 s old and at most 60 s in the future.
 */
export function verifyAppSignature(
  livemode: boolean,
  userId: string,
  accountId: string,
  signature: string,
  secrets: string[],
  nowMs: number = Date.now(),
): boolean {
  // Key order matters: this is byte-for-byte what the Dashboard signed.
  const payload = appSignaturePayload(livemode, userId, accountId);
  const verified = secrets.some((secret) => {
    try {
      return Stripe.webhooks.signature!.verifyHeader(payload, signature, secret, TOLERANCE_SECONDS, undefined, nowMs);
    } catch {
      return false;
    }
  });
  if (!verified) return false;
  const t = signedTimestamp(signature);
  return t !== null && t - nowMs / 1000 <= MAX_FUTURE_SECONDS;
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
    const mode = c.req.header('stripe-mode');
    if (!config.STRIPE_APP_SECRET?.length) {
      throw new ApiError(503, 'app_auth_not_configured', 'STRIPE_APP_SECRET is not set on the backend');
    }
    if (!signature || !userId || !accountId || !mode) {
      throw unauthorized('missing stripe-signature, stripe-user-id, stripe-account-id or stripe-mode header');
    }
    if (!/^acct_\w{1,64}$/.test(accountId) || !/^\w{1,64}$/.test(userId)) {
      throw unauthorized('malformed stripe-account-id or stripe-user-id header');
    }
    // The mode is part of what was signed: an unknown one cannot have been signed by the Dashboard.
    if (mode !== 'live' && mode !== 'test') throw unauthorized('stripe-mode must be "live" or "test"');
    if (!verifyAppSignature(mode === 'live', userId, accountId, signature, config.STRIPE_APP_SECRET, now().getTime())) {
      throw unauthorized('invalid or expired app signature, or one made for the other mode');
    }
    if (!registered.has(accountId)) {
      await ensureAccount(sql, accountId);
      registered.add(accountId);
    }
    c.set('caller', { accountId, userId, livemode: mode === 'live' });
    await next();
  };
};
