// Events for the fake Stripe API: GET /v1/events lists the events seeded for the account the request
// reaches, newest first, with Stripe's `created` filter (an exact value or gt / gte / lt / lte),
// `type`, limit and starting_after / ending_before pagination, as stripe.events.list reads it.
// Registered in fake-stripe.ts's route table; kept apart so that file stays small.
import type Stripe from 'stripe';
import { errors, listPage, type AccountObjects, type FakeRoute, type FakeStripe, type FormValue } from './fake-stripe.js';

const eventsByAccount = new WeakMap<AccountObjects, Map<string, Stripe.Event>>();

/** The events of an account's object store (created empty on first use). */
export function accountEvents(objects: AccountObjects): Map<string, Stripe.Event> {
  let events = eventsByAccount.get(objects);
  if (!events) {
    events = new Map();
    eventsByAccount.set(objects, events);
  }
  return events;
}

/** Adds events to an account as Stripe would have recorded them (in the order given). */
export function seedEvents(fake: FakeStripe, accountId: string, events: Stripe.Event[]): void {
  const store = accountEvents(fake.account(accountId));
  for (const event of events) store.set(event.id, event);
}

type Bound = (created: number) => boolean;

/** The `created` filter: `created=N` or `created[gt|gte|lt|lte]=N`; a string on a bad value. */
function createdFilter(value: FormValue[string] | undefined): Bound | string {
  if (value === undefined) return () => true;
  const int = (s: unknown) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : NaN);
  if (typeof value === 'string') {
    const n = int(value);
    return Number.isNaN(n) ? 'created' : (c) => c === n;
  }
  if (Array.isArray(value)) return 'created';
  const tests: Bound[] = [];
  for (const [op, raw] of Object.entries(value)) {
    const n = int(raw);
    if (Number.isNaN(n)) return `created[${op}]`;
    if (op === 'gt') tests.push((c) => c > n);
    else if (op === 'gte') tests.push((c) => c >= n);
    else if (op === 'lt') tests.push((c) => c < n);
    else if (op === 'lte') tests.push((c) => c <= n);
    else return `created[${op}]`;
  }
  return (c) => tests.every((t) => t(c));
}

export function eventsRoute(): FakeRoute {
  return {
    method: 'GET',
    path: '/v1/events',
    handle: ({ req, objects }) => {
      const q = req.query as Record<string, FormValue[string] | undefined>;
      const created = createdFilter(q.created);
      if (typeof created === 'string') return errors.invalid(`Invalid ${created}: must be an integer`, created);
      const type = typeof q.type === 'string' ? q.type : undefined;
      // A live key lists live events only, a test key test events only.
      return listPage(
        req,
        accountEvents(objects),
        '/v1/events',
        'event',
        (e) => e.livemode === req.livemode && created(e.created) && (!type || e.type === type),
      );
    },
  };
}
