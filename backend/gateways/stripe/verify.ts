// A Stripe webhook delivery: signature (every configured secret, for rotation), event shape, and
// the account it belongs to. Throws GatewayError; http/routes/webhooks-stripe.ts renders it.
import Stripe from 'stripe';
import type { Scope } from '../../domain/accounts.js';
import { isAccountId } from '../../domain/accounts.js';
import { GatewayError } from '../errors.js';

const invalidSignature = (message: string) => new GatewayError('invalid_signature', 'invalid_signature', message);
const unusable = (code: string, message: string) => new GatewayError('unusable_event', code, message);

const looksLikeEvent = (x: unknown): x is Stripe.Event => {
  const e = x as Partial<Stripe.Event> | null;
  return !!e && typeof e.id === 'string' && typeof e.type === 'string' && typeof e.created === 'number'
    && typeof e.livemode === 'boolean' && typeof e.data === 'object' && e.data !== null;
};

/** Verifies against each secret in turn; a body that is signed but not JSON (or not an event) is unusable. */
export function verifyStripeWebhook(
  raw: string,
  header: string | undefined,
  secrets: string[],
  receivedAtMs: number,
): Stripe.Event {
  if (!header) throw invalidSignature('the Stripe-Signature header is missing');
  for (const secret of secrets) {
    let event: unknown;
    try {
      event = Stripe.webhooks.constructEvent(raw, header, secret, undefined, undefined, receivedAtMs);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) continue;
      throw unusable('invalid_json', 'the webhook body is not valid JSON');
    }
    if (!looksLikeEvent(event)) throw unusable('invalid_event', 'the webhook body is not a Stripe event');
    return event;
  }
  throw invalidSignature('the Stripe-Signature header does not match any webhook secret');
}

/** The event's account and mode: event.account, else the endpoint's own account (STRIPE_ACCOUNT_ID). */
export function stripeEventScope(event: Stripe.Event, ownAccount: string | undefined): Scope {
  const named: unknown = event.account;
  // Only a real account id may become an account row (and a scope for the event).
  if (named !== undefined && named !== null && !isAccountId(named)) {
    throw unusable('invalid_account', 'the event\'s account is not a Stripe account id (acct_…); nothing was stored');
  }
  const accountId = named ?? ownAccount;
  if (!accountId) {
    throw unusable('account_unresolved', 'the event names no account and STRIPE_ACCOUNT_ID is not set; nothing was stored');
  }
  return { accountId, livemode: event.livemode };
}
