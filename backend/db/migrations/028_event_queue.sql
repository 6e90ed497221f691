-- The applier's queue of stored events not yet applied, apart from the events themselves. The
-- pending events were found through a partial index of payment_events ordered by occurrence; the
-- applier takes the oldest first, so every applied event left a dead entry at the index's old end,
-- and each search for work walked all of them until a VACUUM of payment_events (3M rows, nine
-- indexes): 15 ms to find nothing after a few hundred thousand applied events. The queue is small
-- (only what waits), an applied event's row is deleted, and the applier vacuums it often and cheaply.
CREATE TABLE event_queue (
  account_id text NOT NULL,
  event_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  next_attempt_at timestamptz,
  -- No foreign key to payment_events: a row is written only with its event, in the webhook's one
  -- statement, and events are never deleted; the key's check locked each new event row (a 15 s
  -- webhook load on the bench database: 2,049-2,051 events/s with it, 2,124-2,131 without).
  PRIMARY KEY (account_id, event_id)
);
-- the oldest due events over every account (which account next), then one account's in order
CREATE INDEX event_queue_oldest ON event_queue (occurred_at, event_id) INCLUDE (account_id, next_attempt_at);
CREATE INDEX event_queue_account ON event_queue (account_id, occurred_at, event_id) INCLUDE (next_attempt_at);
INSERT INTO event_queue (account_id, event_id, occurred_at, received_at, next_attempt_at)
  SELECT account_id, id, occurred_at, received_at, next_attempt_at FROM payment_events WHERE state = 'pending';
DROP INDEX payment_events_pending;
