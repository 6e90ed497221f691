// PLACEHOLDER (being replaced in this session): stripe event processing is not built yet.
import type { EventProcessor } from '../../domain/events.js';

export const processStripeEvent: EventProcessor = async () => {
  throw new Error('stripe event processing is not built yet');
};
