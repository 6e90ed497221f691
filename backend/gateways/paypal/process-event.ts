// PLACEHOLDER (being replaced in this session): paypal event processing is not built yet.
import type { EventProcessor } from '../../domain/events.js';

export const processPaypalEvent: EventProcessor = async () => {
  throw new Error('paypal event processing is not built yet');
};
