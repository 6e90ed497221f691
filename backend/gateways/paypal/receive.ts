// A verified PayPal delivery's body -> the event to store (the webhook route's parse step).
import type { IncomingEvent } from '../../domain/events.js';
import { GatewayError } from '../errors.js';
import { parsePaypalEvent } from './parse-event.js';

/** Decodes and parses the raw body; throws GatewayError (unusable_event) or DomainError (invalid). */
export function readPaypalEvent(rawBody: Uint8Array): { eventId: string; incoming: IncomingEvent } {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    throw new GatewayError('unusable_event', 'invalid_json', 'the webhook body is not valid JSON');
  }
  const event = parsePaypalEvent(payload);
  return {
    eventId: event.envelope.id,
    incoming: {
      gateway: 'paypal',
      event_id: event.envelope.id,
      type: event.envelope.event_type,
      object_id: event.object_id,
      customer_id: event.customer_id,
      occurred_at: event.envelope.create_time,
      payload,
    },
  };
}
