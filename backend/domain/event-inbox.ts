// The durable inbox of payment events: a webhook stores its event (state 'pending') in one
// statement and is answered; the applier (jobs/applier.ts) claims pending events in batches with
// FOR UPDATE SKIP LOCKED, so any number of instances share the work and none applies an event
// twice, and records each event's outcome in the same transaction as its ledger changes.
//   pending -> processed | ignored           applied (processed = true)
//   pending -> pending (attempts + 1)        failed; retried after a backoff
//   pending -> failed                        failed MAX_ATTEMPTS times: left for POST /api/events/:id/replay
import type { Sql, Tx } from '../db/client.js';
import type { Scope } from './accounts.js';
import { invalid, notFound } from './errors.js';
import { checkEventIds, checkStorablePayload } from './event-limits.js';
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

/**
 * Stores a verified event: one statement (the account row with it), nothing else. A duplicate
 * (same gateway event id for the account, also when delivered concurrently) changes nothing.
 */
export async function storeIncomingEvent(sql: Sql | Tx, scope: Scope, event: IncomingEvent): Promise<StoreResult> {
  // Found by fuzzing: a signed body can still hold what the table cannot (a time out of range).
  if (Number.isNaN(event.occurred_at.getTime())) throw invalid('the event time is not a valid date; nothing was stored');
  checkEventIds({ event_id: event.event_id, type: event.type, object_id: event.object_id, customer_id: event.customer_id });
  checkStorablePayload(event.payload);
  const [row] = await sql<{ id: string }[]>`
    WITH account AS (INSERT INTO accounts (id) VALUES (${scope.accountId}) ON CONFLICT (id) DO NOTHING),
    stored AS (
      INSERT INTO payment_events (account_id, livemode, gateway, event_id, type, object_id, customer_id, payload, occurred_at)
      VALUES (${scope.accountId}, ${scope.livemode}, ${event.gateway}, ${event.event_id}, ${event.type},
              ${event.object_id}, ${event.customer_id}, ${sql.json(event.payload as never)}, ${event.occurred_at})
      ON CONFLICT (account_id, gateway, event_id) DO NOTHING
      RETURNING id
    )
    SELECT id FROM stored`.catch((err) => {
    // NUL characters (\u0000) are valid JSON but cannot be stored in text or jsonb.
    if (UNSTORABLE_TEXT.has((err as { code?: string }).code ?? '')) {
      throw invalid('the event contains characters that cannot be stored (NUL); nothing was stored');
    }
    throw err;
  });
  if (row) return { id: row.id, duplicate: false, state: 'pending', processed: false };
  const [existing] = await sql<{ id: string; state: EventState }[]>`
    SELECT id, state FROM payment_events
    WHERE account_id = ${scope.accountId} AND gateway = ${event.gateway} AND event_id = ${event.event_id}`;
  return {
    id: existing.id,
    duplicate: true,
    state: existing.state,
    processed: existing.state === 'processed' || existing.state === 'ignored',
  };
}

const EVENT_COLUMNS = (tx: Tx) =>
  tx`id, account_id, livemode, gateway, event_id, type, object_id, customer_id, occurred_at, payload, attempts, state`;

/** Advisory lock namespace of "an applier works on this account" (migrate.ts uses 7_301_001). */
const APPLY_LOCK = 7_301_002;

/**
 * Claims up to `limit` pending events that are due, of one account, oldest occurrence first,
 * locked for this transaction. One applier at a time works on an account (a transaction-level
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
  const due = tx`state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ${opts.now})`;
  const candidates = opts.accountIds
    ? opts.accountIds
    : (
        await tx<{ account_id: string }[]>`
          SELECT DISTINCT account_id FROM (
            SELECT account_id FROM payment_events WHERE ${due}
              ${opts.ids ? tx`AND id = ANY(${opts.ids}::uuid[])` : tx``}
            ORDER BY occurred_at, id LIMIT 1000
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
    const events = await tx<StoredEvent[]>`
      SELECT ${EVENT_COLUMNS(tx)} FROM payment_events
      WHERE ${due} AND account_id = ${accountId}
        ${opts.ids ? tx`AND id = ANY(${opts.ids}::uuid[])` : tx``}
      ORDER BY occurred_at, id
      LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED`;
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
    FROM jsonb_to_recordset(${tx.json(rows as never)}) AS r (
      id uuid, state text, error text, attempts integer, next_attempt_at timestamptz, tenant_id uuid, invoice_id uuid)
    WHERE e.account_id = ${accountId} AND e.id = r.id`;
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
    const [event] = await tx<StoredEvent[]>`
      SELECT ${EVENT_COLUMNS(tx)} FROM payment_events
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${id}
      FOR UPDATE`;
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
    SELECT count(*)::bigint AS pending, min(received_at) AS oldest FROM payment_events WHERE state = 'pending'`;
  const age = row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0;
  return { pending: row.pending, oldest_pending_age_seconds: Math.round(age * 1000) / 1000 };
}
