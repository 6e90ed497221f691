// Does a Stripe customer exist in the account (and mode of the key)? Used before linking a
// customer to a tenant, so a typo (`cus_NewSakuraBranch`) is refused instead of stored.
import Stripe from 'stripe';

export type CustomerCheck = 'exists' | 'missing' | 'deleted';

/**
 * Retrieves the customer; Stripe answers 404 (resource_missing) for an id it does not know and a
 * `deleted: true` stub for a deleted one. Any other failure (auth, network, rate limit) is thrown
 * as Stripe's error for the caller to report.
 */
export async function checkStripeCustomer(
  stripe: Stripe,
  customerId: string,
  stripeAccount: string | null,
): Promise<CustomerCheck> {
  try {
    const customer = await stripe.customers.retrieve(customerId, {}, stripeAccount ? { stripeAccount } : {});
    return (customer as Stripe.DeletedCustomer).deleted ? 'deleted' : 'exists';
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && (err.statusCode === 404 || err.code === 'resource_missing')) {
      return 'missing';
    }
    throw err;
  }
}
