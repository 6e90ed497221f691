// The durable inbox of payment events: a webhook stores its event (state 'pending', and a row in
// the applier's queue, event_queue) in one statement and is answered; the applier
// (jobs/applier.ts) claims queued events in batches, one account at a time under the account's
// advisory lock (the equivalent of FOR UPDATE SKIP LOCKED: any number of instances share the work
// and none applies an event twice), and records each event's outcome, leaving the queue, in the
// same transaction as its ledger changes.
//   pending -> processed | ignored           applied (processed = true)
//   pending -> pending (attempts + 1)        failed; retried after a backoff
//   pending -> failed                        failed MAX_ATTEMPTS times: left for POST /api/events/:id/replay
import type { Sql, Tx } from '../db/client.js';
import type { Scope } from './accounts.js';
import { invalid, notFound } from './errors.js';
import { checkEventIds, checkStorablePayload } from './event-limits.js';
import { coalesce } from '../db/coalesce.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { EventProcessor, IncomingEvent, ProcessOutcome } from './events.js';
import type { Gateway } from './tenants.js';

export type EventState = 'pending' | 'processed' | 'ignored' | 'failed';

/** Waits before the 2nd, 3rd, ... attempt; after the last, the event is failed. */
export const RETRY_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
export const MAX_ATTEMPTS = 5;

/** untranslatable_character, character_not_in_repertoire */
const UNSTORABLE_TEXT = new Set(['22P05', '22021']);

/** The channel stored events are announced on (LISTEN/NOTIFY where the engine delivers it; jobs/applier.ts). */
export const EVENTS_CHANNEL = 'payment_events';

/**
 * Store statements the webhooks run at the same time; more deliveries wait and go in the next one.
 * Measured (15 s webhook loads, 32 connections): 1 or 2 in flight store alike (1,590-1,690/s),
 * 4 and 8 fewer (1,510-1,550 and 1,260/s: smaller batches); 2 keeps one slow statement from holding every delivery.
 */
const STORE_IN_FLIGHT = 2;

export interface StoredEvent extends IncomingEvent {
  id: string;
  account_id: string;
  livemode: boolean;
  attempts: number;
  state: EventState;
}

export interface StoreResult {
  id: string;
  duplicate: boolean;
  state: EventState;
  /** processed or ignored (the API's `processed`) */
  processed: boolean;
}

/** Error text as stored on the event (bounded). */
export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** Refuses, before any SQL, what a stored event may not hold (invalid input, nothing stored). */
function checkStorable(event: IncomingEvent): void {
  // Found by fuzzing: a signed body can still hold what the table cannot (a time out of range).
  if (Number.isNaN(event.occurred_at.getTime())) throw invalid('the event time is not a valid date; nothing was stored');
  checkEventIds({ event_id: event.event_id, type: event.type, object_id: event.object_id, customer_id: event.customer_id });
  checkStorablePayload(event.payload);
}

export interface EventToStore {
  scope: Scope;
  event: IncomingEvent;
}

const eventKey = (accountId: string, gateway: string, eventId: string) => `${accountId}\u0000${gateway}\u0000${eventId}`;

/**
 * Stores checked events in one statement (their accounts' rows with them), nothing else, and
 * answers per event in their order. A duplicate (same gateway event id for the account, also one
 * stored concurrently or earlier in the same batch) changes nothing and answers with the stored
 * event. A batch the database refuses is stored event by event, so only the event at fault fails.
 */
async function storeChecked(sql: Sql | Tx, items: EventToStore[]): Promise<(StoreResult | Error)[]> {
  const rows = items.map(({ scope, event }, ord) => ({
    ord,
    account_id: scope.accountId,
    livemode: scope.livemode,
    gateway: event.gateway,
    event_id: event.event_id,
    type: event.type,
    object_id: event.object_id,
    customer_id: event.customer_id,
    payload: event.payload,
    occurred_at: event.occurred_at,
  }));
  let inserted: { id: string; account_id: string; gateway: string; event_id: string }[];
  try {
    inserted = await sql<{ id: string; account_id: string; gateway: string; event_id: string }[]>`
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${sql.json(rows as never)}) AS r (
          ord integer, account_id text, livemode boolean, gateway text, event_id text, type text,
          object_id text, customer_id text, payload jsonb, occurred_at timestamptz)
      ),
      account AS (INSERT INTO accounts (id) SELECT DISTINCT account_id FROM input ON CONFLICT (id) DO NOTHING),
      stored AS (
        INSERT INTO payment_events (account_id, livemode, gateway, event_id, type, object_id, customer_id, payload, occurred_at)
        SELECT account_id, livemode, gateway, event_id, type, object_id, customer_id, payload, occurred_at FROM input ORDER BY ord
        ON CONFLICT (account_id, gateway, event_id) DO NOTHING
        RETURNING id, account_id, gateway, event_id, occurred_at, received_at
      ),
      queued AS (
        INSERT INTO event_queue (account_id, event_id, occurred_at, received_at)
        SELECT account_id, id, occurred_at, received_at FROM stored
      )
      SELECT id, account_id, gateway, event_id FROM stored`;
  } catch (err) {
    if (items.length > 1 && !isDatabaseUnavailable(err)) {
      return Promise.all(items.map(async (item) => (await storeChecked(sql, [item]))[0]));
    }
    // NUL characters (\u0000) are valid JSON but cannot be stored in text or jsonb.
    if (UNSTORABLE_TEXT.has((err as { code?: string }).code ?? '')) {
      return [invalid('the event contains characters that cannot be stored (NUL); nothing was stored')];
    }
    throw err;
  }
  const fresh = new Map(inserted.map((r) => [eventKey(r.account_id, r.gateway, r.event_id), r.id]));
  const results: (StoreResult | null)[] = items.map(({ scope, event }) => {
    const key = eventKey(scope.accountId, event.gateway, event.event_id);
    const id = fresh.get(key);
    if (id === undefined) return null;
    fresh.delete(key); // a later copy in the batch is a duplicate of this one
    return { id, duplicate: false, state: 'pending', processed: false };
  });
  const missing = items.filter((_, i) => results[i] === null);
  if (missing.length === 0) return results as StoreResult[];
  const keys = missing.map(({ scope, event }) => ({ account_id: scope.accountId, gateway: event.gateway, event_id: event.event_id }));
  const existing = await sql<{ id: string; state: EventState; account_id: string; gateway: string; event_id: string }[]>`
    SELECT e.id, e.state, e.account_id, e.gateway, e.event_id
    FROM jsonb_to_recordset(${sql.json(keys as never)}) AS k (account_id text, gateway text, event_id text)
    JOIN payment_events e ON e.account_id = k.account_id AND e.gateway = k.gateway AND e.event_id = k.event_id`;
  const stored = new Map(existing.map((r) => [eventKey(r.account_id, r.gateway, r.event_id), r]));
  return items.map(({ scope, event }, i) => {
    if (results[i]) return results[i];
    const row = stored.get(eventKey(scope.accountId, event.gateway, event.event_id))!;
    return { id: row.id, duplicate: true, state: row.state, processed: row.state === 'processed' || row.state === 'ignored' };
  });
}

/**
 * Stores a verified event: one statement (the account row with it), nothing else. A duplicate
 * (same gateway event id for the account, also when delivered concurrently) changes nothing.
 */
export async function storeIncomingEvent(sql: Sql | Tx, scope: Scope, event: IncomingEvent): Promise<StoreResult> {
  checkStorable(event);
  const [result] = await storeChecked(sql, [{ scope, event }]);
  if (result instanceof Error) throw result;
  return result;
}

/**
 * The webhooks' store: each event is checked at once (bad input is refused before any SQL), then
 * stored together with the events other requests are storing at the same moment (db/coalesce.ts):
 * under load one statement and one commit serve many webhooks; each is answered once its own event
 * is durably stored. `bodySize` is the length of the delivery's body (a batch holds at most about 1 MB of bodies).
 */
export function batchedEventStore(sql: Sql) {
  const store = coalesce<EventToStore & { bodySize: number }, StoreResult>((items) => storeChecked(sql, items), {
    maxInFlight: STORE_IN_FLIGHT,
    maxItems: 200,
    weight: (item) => item.bodySize,
    maxWeight: 1024 * 1024,
  });
  return (scope: Scope, event: IncomingEvent, bodySize: number): Promise<StoreResult> => {
    checkStorable(event);
    return store({ scope, event, bodySize });
  };
}

export type EventStore = ReturnType<typeof batchedEventStore>;

const EVENT_COLUMNS = (tx: Tx) =>
  tx`e.id, e.account_id, e.livemode, e.gateway, e.event_id, e.type, e.object_id, e.customer_id, e.occurred_at, e.payload, e.attempts, e.state`;

/** Advisory lock namespace of "an applier works on this account" (migrate.ts uses 7_301_001). */
const APPLY_LOCK = 7_301_002;

/**
 * Claims up to `limit` queued events that are due, of one account, oldest occurrence first, for
 * this transaction. One applier at a time works on an account (a transaction-level
 * advisory lock; others take other accounts): concurrent appliers then never apply an invoice's
 * events out of the order they were stored in, so its history is the same however many instances
 * run. The account is the one with the oldest due events whose lock is free; `accountIds` names
 * the candidates (tests, a drain); `ids` narrows to given events. `busy`: none was claimed because
 * another applier holds an account with due events.
 */
export async function claimPending(
  tx: Tx,
  opts: { limit: number; now: Date; accountIds?: string[]; ids?: string[] },
): Promise<{ events: StoredEvent[]; busy: boolean }> {
  const due = tx`(q.next_attempt_at IS NULL OR q.next_attempt_at <= ${opts.now})`;
  const only = opts.ids ? tx`AND q.event_id = ANY(${opts.ids}::uuid[])` : tx``;
  const candidates = opts.accountIds
    ? opts.accountIds
    : (
        await tx<{ account_id: string }[]>`
          SELECT DISTINCT account_id FROM (
            SELECT q.account_id FROM event_queue q WHERE ${due} ${only}
            ORDER BY q.occurred_at, q.event_id LIMIT 1000
          ) oldest`
      ).map((r) => r.account_id);
  let busy = false;
  for (const accountId of candidates) {
    const [{ locked }] = await tx<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(${APPLY_LOCK}, hashtext(${accountId})) AS locked`;
    if (!locked) {
      busy = true;
      continue;
    }
    // No row locks: the account's lock keeps every other applier (and a replay) off its events.
    // The events are joined on the queue's own account column, not the constant: given the
    // constant, a new account's few rows in the statistics made the planner walk all of the
    // account's events through another index for each queued one (0.5 s for 600 events).
    const events = await tx<StoredEvent[]>`
      SELECT ${EVENT_COLUMNS(tx)} FROM (
        SELECT q.account_id, q.event_id, q.occurred_at FROM event_queue q
        WHERE q.account_id = ${accountId} AND ${due} ${only}
        ORDER BY q.occurred_at, q.event_id
        LIMIT ${opts.limit}
      ) q
      JOIN payment_events e ON e.account_id = q.account_id AND e.id = q.event_id
      ORDER BY q.occurred_at, q.event_id`;
    // (an account named in accountIds may have none due: try the next)
    if (events.length > 0) return { events, busy: false };
  }
  return { events: [], busy };
}

export type EventOutcome =
  | { id: string; ok: true; outcome: ProcessOutcome }
  | { id: string; ok: false; error: string; attempts: number; state: 'pending' | 'failed'; next_attempt_at: Date | null };

/** A failed attempt: retried after its backoff, or failed for good after MAX_ATTEMPTS. */
export function failedAttempt(event: StoredEvent, err: unknown, now: Date, opts: { final?: boolean } = {}): EventOutcome {
  const attempts = event.attempts + 1;
  const final = opts.final || attempts >= MAX_ATTEMPTS;
  return {
    id: event.id,
    ok: false,
    error: errorText(err),
    attempts,
    state: final ? 'failed' : 'pending',
    next_attempt_at: final ? null : new Date(now.getTime() + RETRY_BACKOFF_MS[Math.min(attempts, RETRY_BACKOFF_MS.length) - 1]),
  };
}

/** Records the outcomes of a batch of one account's events: one statement (by the key, account first). */
export async function recordOutcomes(tx: Tx, accountId: string, outcomes: EventOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((o) =>
    o.ok
      ? {
          id: o.id,
          state: o.outcome.ignored ? 'ignored' : 'processed',
          error: null,
          attempts: null,
          next_attempt_at: null,
          tenant_id: o.outcome.tenant_id ?? null,
          invoice_id: o.outcome.invoice_id ?? null,
        }
      : { id: o.id, state: o.state, error: o.error, attempts: o.attempts, next_attempt_at: o.next_attempt_at, tenant_id: null, invoice_id: null },
  );
  await tx`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${tx.json(rows as never)}) AS r (
        id uuid, state text, error text, attempts integer, next_attempt_at timestamptz, tenant_id uuid, invoice_id uuid)
    ),
    recorded AS (
      UPDATE payment_events e SET
        state = r.state,
        processed = r.state IN ('processed', 'ignored'),
        ignored = r.state = 'ignored',
        error = r.error,
        attempts = COALESCE(r.attempts, e.attempts),
        next_attempt_at = r.next_attempt_at,
        processed_at = CASE WHEN r.state IN ('processed', 'ignored') THEN now() ELSE e.processed_at END,
        tenant_id = COALESCE(r.tenant_id, e.tenant_id),
        invoice_id = COALESCE(r.invoice_id, e.invoice_id)
      FROM r
      WHERE e.account_id = ${accountId} AND e.id = r.id
    ),
    retried AS (
      UPDATE event_queue q SET next_attempt_at = r.next_attempt_at
      FROM r WHERE r.state = 'pending' AND q.account_id = ${accountId} AND q.event_id = r.id
    )
    DELETE FROM event_queue q USING r
    WHERE r.state <> 'pending' AND q.account_id = ${accountId} AND q.event_id = r.id`;
}

/**
 * The slow path: each event in its own savepoint, so a failing one is isolated (its changes roll
 * back, the others' stay). Database-unavailable errors abort the whole batch.
 */
export async function applyIsolated(
  tx: Tx,
  events: StoredEvent[],
  processorFor: (gateway: Gateway) => EventProcessor,
  now: Date,
  opts: { final?: boolean } = {},
): Promise<EventOutcome[]> {
  const outcomes: EventOutcome[] = [];
  for (const event of events) {
    const scope = { accountId: event.account_id, livemode: event.livemode };
    try {
      const outcome = await tx.savepoint((sp) => processorFor(event.gateway)(sp as unknown as Tx, scope, event));
      outcomes.push({ id: event.id, ok: true, outcome });
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      outcomes.push(failedAttempt(event, err, now, opts));
    }
  }
  return outcomes;
}

/**
 * Replays one stored event of the scope, whatever its state, through the isolated path: a
 * failure is recorded and leaves the event failed (an admin replays it again after a fix).
 */
export async function replayEvent(
  sql: Sql,
  scope: Scope,
  id: string,
  processorFor: (gateway: Gateway) => EventProcessor,
  now: Date = new Date(),
): Promise<{ processed: boolean; error: string | null }> {
  return sql.begin(async (tx) => {
    // the account's applier lock: no applier applies this event meanwhile (claimPending)
    await tx`SELECT pg_advisory_xact_lock(${APPLY_LOCK}, hashtext(${scope.accountId}))`;
    const [event] = await tx<StoredEvent[]>`
      SELECT ${EVENT_COLUMNS(tx)} FROM payment_events e
      WHERE e.account_id = ${scope.accountId} AND e.livemode = ${scope.livemode} AND e.id = ${id}`;
    if (!event) throw notFound('event');
    const [outcome] = await applyIsolated(tx, [event], processorFor, now, { final: true });
    await recordOutcomes(tx, scope.accountId, [outcome]);
    return outcome.ok ? { processed: true, error: null } : { processed: false, error: outcome.error };
  });
}

export interface Backlog {
  /** events stored and not yet applied (retries waiting for their backoff included) */
  pending: number;
  /** seconds since the oldest pending event was received; 0 without a backlog */
  oldest_pending_age_seconds: number;
}

/** The backlog over every account (a count and an age, no account data). */
export async function eventBacklog(sql: Sql, now: Date = new Date()): Promise<Backlog> {
  const [row] = await sql<{ pending: number; oldest: Date | null }[]>`
    SELECT count(*)::bigint AS pending, min(received_at) AS oldest FROM event_queue`;
  const age = row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0;
  return { pending: row.pending, oldest_pending_age_seconds: Math.round(age * 1000) / 1000 };
}

/**
 * Vacuums the queue: applied events leave dead rows and index entries at its old end, which every
 * search for work walks until a VACUUM (autovacuum visits at most once a minute, and not at all on
 * the embedded engine). Small, so cheap; skipped while another instance vacuums it.
 */
export async function vacuumQueue(sql: Sql): Promise<void> {
  await sql`VACUUM (SKIP_LOCKED) event_queue`;
}
