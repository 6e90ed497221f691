// Stripe's side of reconciliation: pages an account's events list (GET /v1/events, newest first,
// `created[gt]` a bound) and feeds the events the service never received into the event store
// exactly as a webhook delivery of them would be (same row, same dedupe by account + gateway +
// event id; the applier applies it like any stored event), so a missed webhook repairs itself.
import type Stripe from 'stripe';
import type { Sql } from '../../db/client.js';
import type { Scope } from '../../domain/accounts.js';
import { storeIncomingEvent } from '../../domain/event-inbox.js';
import { isHandled } from './handlers.js';
import { describeStripeEvent } from './process-event.js';

export const EVENTS_PAGE_SIZE = 100;

/** Runs one API request; the caller adds the rate limit and retries. */
export type CallStripe = <T>(request: () => Promise<T>) => Promise<T>;

/** The platform's own account is reached without Stripe-Account; installed (Connect) accounts with it. */
export const accountRequestOptions = (accountId: string, platformAccountId: string | undefined): Stripe.RequestOptions =>
  accountId === platformAccountId ? {} : { stripeAccount: accountId };

export interface EventPage {
  /** events of the types the webhook handles (others were never sent to it) */
  events: Stripe.Event[];
  /** every event the page listed */
  listed: number;
  /** the newest `created` (seconds) the page listed, of any type; null for an empty page */
  newest: number | null;
}

/**
 * The scope's events created after `since`, one page at a time (newest first, as Stripe lists
 * them). Refuses events of the other mode or of another account: the key or account is wrong.
 */
export async function* stripeEventPages(
  stripe: Stripe,
  scope: Scope,
  opts: { since: Date; platformAccountId: string | undefined; call: CallStripe },
): AsyncGenerator<EventPage> {
  const requestOptions = accountRequestOptions(scope.accountId, opts.platformAccountId);
  const gt = Math.floor(opts.since.getTime() / 1000);
  let cursor: string | undefined;
  for (;;) {
    const params: Stripe.EventListParams = {
      limit: EVENTS_PAGE_SIZE,
      created: { gt },
      ...(cursor ? { starting_after: cursor } : {}),
    };
    const page = await opts.call(() => stripe.events.list(params, requestOptions));
    for (const event of page.data) {
      if (event.livemode !== scope.livemode) {
        throw new Error(
          `Stripe listed a ${event.livemode ? 'live' : 'test'}-mode event (${event.id}) to a ` +
            `${scope.livemode ? 'live' : 'test'}-mode reconciliation: STRIPE_SECRET_KEY is for the other mode`,
        );
      }
      if (event.account && event.account !== scope.accountId) {
        throw new Error(`Stripe listed an event of account ${event.account} (${event.id}) for ${scope.accountId}`);
      }
    }
    yield {
      events: page.data.filter((e) => isHandled(e.type)),
      listed: page.data.length,
      newest: page.data.length ? Math.max(...page.data.map((e) => e.created)) : null,
    };
    if (!page.has_more || page.data.length === 0) return;
    cursor = page.data[page.data.length - 1].id;
  }
}

/**
 * Stores one listed event as its webhook delivery would (pending; the applier applies it a moment
 * later); true when it was newly
 * stored (repaired), false when the service already had it (also when a delivery or another run
 * stored it a moment ago: the store's unique key decides, never this check).
 */
export async function feedStripeEvent(sql: Sql, scope: Scope, event: Stripe.Event): Promise<boolean> {
  const result = await storeIncomingEvent(sql, scope, describeStripeEvent(event));
  return !result.duplicate;
}
