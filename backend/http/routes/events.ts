// GET /api/events, /api/events/:id and POST /api/events/:id/replay: the payment-event log.
import { createRoute } from '@hono/zod-openapi';
import { getEventDetail, listEvents } from '../../domain/event-queries.js';
import { notFound } from '../../domain/errors.js';
import { replayEvent } from '../../domain/events.js';
import { isUuid } from '../../domain/query-input.js';
import { processorFor } from '../../gateways/processors.js';
import { EventDetailSchema, EventListQuery, EventSchema, IdParams } from '../ledger-schemas.js';
import { router, scopeOf } from '../openapi.js';
import { errorResponses, json, listOf } from '../schemas.js';

export function eventRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events',
      tags: ['events'],
      description: 'Payment events of the account and mode, newest first (occurred_at), with keyset pagination.',
      request: { query: EventListQuery },
      responses: { 200: json(listOf(EventSchema)), ...errorResponses },
    }),
    async (c) => c.json(await listEvents(c.var.deps.sql, scopeOf(c), c.req.valid('query'), c.var.deps.now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events/{id}',
      tags: ['events'],
      description: 'One event with its payload and linked invoice.',
      request: { params: IdParams },
      responses: { 200: json(EventDetailSchema), ...errorResponses },
    }),
    async (c) => c.json(await getEventDetail(c.var.deps.sql, scopeOf(c), c.req.valid('param').id, c.var.deps.now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/events/{id}/replay',
      tags: ['events'],
      description:
        'Runs the processing of a stored event again (after a failure or a fix) and answers the event as it is ' +
        'afterwards: a replay that fails again answers 200 with processed=false and the new error.',
      request: { params: IdParams },
      responses: { 200: json(EventDetailSchema), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // replayEvent compares the id with a uuid column: anything else is simply not an event.
      if (!isUuid(id)) throw notFound('event');
      const { sql } = c.var.deps;
      await replayEvent(sql, scopeOf(c), id, processorFor);
      return c.json(await getEventDetail(sql, scopeOf(c), id, c.var.deps.now()), 200);
    },
  );

  return app;
}
