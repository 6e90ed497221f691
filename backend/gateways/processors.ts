// Which processor turns a stored event of each gateway into ledger changes (webhooks and replay).
import type { EventProcessor } from '../domain/events.js';
import type { Gateway } from '../domain/tenants.js';
import { processPaypalEvent } from './paypal/process-event.js';
import { processStripeEvent } from './stripe/process-event.js';

export function processorFor(gateway: Gateway): EventProcessor {
  return gateway === 'stripe' ? processStripeEvent : processPaypalEvent;
}
