// A stored Stripe event -> its handler (webhook delivery and replay alike).
import type Stripe from 'stripe';
import type { EventProcessor, IncomingEvent } from '../../domain/events.js';
import { handlers, isHandled, type EventOf, type Handler, type HandledType } from './handlers.js';
import { idOf } from './mapping.js';

type ObjectFields = { id?: string; object?: string; customer?: string | { id: string } | null };

/** The row the pipeline stores for a verified Stripe event. */
export function describeStripeEvent(event: Stripe.Event): IncomingEvent {
  const object = (event.data?.object ?? {}) as ObjectFields;
  const customerId = object.object === 'customer' ? (object.id ?? null) : idOf(object.customer);
  return {
    gateway: 'stripe',
    event_id: event.id,
    type: event.type,
    object_id: object.id ?? null,
    customer_id: customerId,
    occurred_at: new Date(event.created * 1000),
    payload: event,
  };
}

export const processStripeEvent: EventProcessor = async (tx, scope, incoming) => {
  const event = incoming.payload as Stripe.Event;
  // Unknown types are kept as ignored; objects without an id (upcoming invoices) have nothing to apply.
  if (!isHandled(event.type) || !(event.data?.object as ObjectFields | undefined)?.id) return { ignored: true };
  const handler = handlers[event.type] as Handler<EventOf<HandledType>>;
  const source = { time: incoming.occurred_at, eventId: incoming.event_id, label: `event:${incoming.event_id}` };
  return handler({ tx, scope, source }, event as EventOf<HandledType>);
};
