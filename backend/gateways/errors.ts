// What goes wrong at a gateway, said without HTTP: http/errors.ts maps each kind to a status.
import Stripe from 'stripe';
import { notConfiguredMessage } from './stripe/api-client.js';

export type GatewayErrorKind =
  /** a webhook's signature does not verify */
  | 'invalid_signature'
  /** a signed body that cannot be stored as an event */
  | 'unusable_event'
  /** the backend lacks the key or secret the call needs */
  | 'not_configured'
  /** the gateway declined a payment */
  | 'declined'
  | 'rate_limited'
  | 'conflict'
  | 'not_found'
  | 'invalid_request'
  /** the gateway failed, refused our key, or could not be reached */
  | 'upstream';

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** STRIPE_SECRET_KEY has no key for the request's mode. */
export class StripeNotConfigured extends GatewayError {
  constructor(livemode: boolean) {
    super('not_configured', 'stripe_not_configured', notConfiguredMessage(livemode));
  }
}

/** Stripe refused or failed a call; carries Stripe's message and request id. */
export class StripeApiError extends GatewayError {}

/** Classifies whatever a Stripe call threw (anything that is not a Stripe error means Stripe was not reached). */
export function toStripeApiError(err: unknown): StripeApiError {
  if (!(err instanceof Stripe.errors.StripeError)) {
    return new StripeApiError('upstream', 'stripe_unreachable', 'Stripe could not be reached; try again');
  }
  const details = { stripe_request_id: err.requestId ?? null, stripe_code: err.code ?? null, type: err.type };
  if (err instanceof Stripe.errors.StripeCardError) return new StripeApiError('declined', 'card_declined', err.message, details);
  if (err instanceof Stripe.errors.StripeRateLimitError) return new StripeApiError('rate_limited', 'stripe_rate_limited', err.message, details);
  if (err instanceof Stripe.errors.StripeIdempotencyError) return new StripeApiError('conflict', 'idempotency_conflict', err.message, details);
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    const kind = err.statusCode === 404 ? 'not_found' : err.statusCode === 409 ? 'conflict' : 'invalid_request';
    return new StripeApiError(kind, 'stripe_invalid_request', err.message, details);
  }
  if (err instanceof Stripe.errors.StripeAuthenticationError || err instanceof Stripe.errors.StripePermissionError) {
    return new StripeApiError('upstream', 'stripe_not_authorized', 'the platform key may not act on this account', details);
  }
  if (err instanceof Stripe.errors.StripeConnectionError) {
    return new StripeApiError('upstream', 'stripe_unreachable', 'Stripe could not be reached; try again', details);
  }
  return new StripeApiError('upstream', 'stripe_error', err.message, details);
}

/** The Stripe client of the request's mode, or StripeNotConfigured. */
export function requireStripe(stripe: Stripe | null, livemode: boolean): Stripe {
  if (!stripe) throw new StripeNotConfigured(livemode);
  return stripe;
}
