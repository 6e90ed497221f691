// The payment-event log and the webhook pipeline shared by both gateways:
// store the event (unique per gateway event id and account) -> process it in the same
// transaction -> commit. Only a committed event is acknowledged.
import type { Sql, Tx } from '../db/client.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { Scope } from './accounts.js';
import { invalid, notFound } from './errors.js';
import { checkEventIds, checkStorablePayload } from './event-limits.js';
import type { Gateway } from './tenants.js';

export interface IncomingEvent {
  gateway: Gateway;
  event_id: string;
  type: string;
  object_id: string | null;
  customer_id: string | null;
  occurred_at: Date;
  /** the raw body, parsed */
  payload: unknown;
}

/** What processing an event produced: the tenant and invoice it links to, or that it was ignored. */
export type ProcessOutcome =
  | { ignored: true; tenant_id?: string | null; invoice_id?: string | null }
  | { ignored?: false; tenant_id: string | null; invoice_id: string | null };

/** Turns a stored event into ledger changes; runs inside the event's transaction. */
export type EventProcessor = (tx: Tx, scope: Scope, event: IncomingEvent) => Promise<ProcessOutcome>;

export interface IngestResult {
  id: string;
  duplicate: boolean;
  processed: boolean;
  error: string | null;
}

/** untranslatable_character, character_not_in_repertoire */
const UNSTORABLE_TEXT = new Set(['22P05', '22021']);

/** Error text as stored on the event (bounded). */
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

async function markProcessed(tx: Tx, scope: Scope, eventRowId: string, outcome: ProcessOutcome): Promise<void> {
  await tx`
    UPDATE payment_events SET processed = true, ignored = ${!!outcome.ignored}, error = NULL, processed_at = now(),
      tenant_id = COALESCE(${outcome.tenant_id ?? null}::uuid, tenant_id),
      invoice_id = COALESCE(${outcome.invoice_id ?? null}::uuid, invoice_id)
    WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${eventRowId}`;
}

/** Replay: processing of a stored event, in a savepoint so a failure keeps the event and its new error. */
async function runProcessor(
  tx: Tx,
  scope: Scope,
  eventRowId: string,
  event: IncomingEvent,
  process: EventProcessor,
): Promise<{ processed: boolean; error: string | null }> {
  try {
    const outcome = await tx.savepoint((sp) => process(sp as unknown as Tx, scope, event));
    await markProcessed(tx, scope, eventRowId, outcome);
    return { processed: true, error: null };
  } catch (err) {
    // the database itself failing aborts the whole call (no 2xx); anything else is the event's error
    if (isDatabaseUnavailable(err)) throw err;
    const error = errorText(err);
    await tx`
      UPDATE payment_events SET processed = false, error = ${error}
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${eventRowId}`;
    return { processed: false, error };
  }
}

/** A processor's failure, carried out of the transaction so that its ledger changes roll back. */
class ProcessingFailed extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Inserts the event (and its account, in the same statement); null when it is already stored.
 * A failed first processing is stored with its error.
 */
async function storeEvent(tx: Tx, scope: Scope, event: IncomingEvent, error: string | null): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    WITH account AS (INSERT INTO accounts (id) VALUES (${scope.accountId}) ON CONFLICT (id) DO NOTHING)
    INSERT INTO payment_events (account_id, livemode, gateway, event_id, type, object_id, customer_id, payload, occurred_at,
                                error)
    VALUES (${scope.accountId}, ${scope.livemode}, ${event.gateway}, ${event.event_id}, ${event.type},
            ${event.object_id}, ${event.customer_id}, ${tx.json(event.payload as never)}, ${event.occurred_at}, ${error})
    ON CONFLICT (account_id, gateway, event_id) DO NOTHING
    RETURNING id`.catch((err) => {
    // NUL characters (\u0000) are valid JSON but cannot be stored in text or jsonb.
    if (UNSTORABLE_TEXT.has((err as { code?: string }).code ?? '')) {
      throw invalid('the event contains characters that cannot be stored (NUL); nothing was stored');
    }
    throw err;
  });
  return row?.id ?? null;
}

async function duplicateOf(tx: Tx, scope: Scope, event: IncomingEvent): Promise<IngestResult> {
  const [existing] = await tx<{ id: string; processed: boolean; error: string | null }[]>`
    SELECT id, processed, error FROM payment_events
    WHERE account_id = ${scope.accountId} AND gateway = ${event.gateway} AND event_id = ${event.event_id}`;
  return { id: existing.id, duplicate: true, processed: existing.processed, error: existing.error };
}

/**
 * Stores and processes one verified event. A duplicate (same gateway event id for the account,
 * also when delivered concurrently) changes nothing and reports duplicate.
 *
 * The happy path is one transaction of few statements (webhook throughput is bound by round
 * trips). When processing fails, that transaction rolls back whole and a second one stores the
 * event with its error: the same outcome as a savepoint, without two extra round trips per event.
 */
export async function ingestEvent(
  sql: Sql,
  scope: Scope,
  event: IncomingEvent,
  process: EventProcessor,
): Promise<IngestResult> {
  // Found by fuzzing: a signed body can still hold what the table cannot (a time out of range).
  if (Number.isNaN(event.occurred_at.getTime())) throw invalid('the event time is not a valid date; nothing was stored');
  checkEventIds({ event_id: event.event_id, type: event.type, object_id: event.object_id, customer_id: event.customer_id });
  checkStorablePayload(event.payload);
  try {
    return await sql.begin(async (tx) => {
      const id = await storeEvent(tx, scope, event, null);
      if (!id) return duplicateOf(tx, scope, event);
      let outcome: ProcessOutcome;
      try {
        outcome = await process(tx, scope, event);
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err;
        throw new ProcessingFailed(err);
      }
      await markProcessed(tx, scope, id, outcome);
      return { id, duplicate: false, processed: true, error: null };
    });
  } catch (err) {
    if (!(err instanceof ProcessingFailed)) throw err;
    const message = errorText(err);
    return sql.begin(async (tx) => {
      const id = await storeEvent(tx, scope, event, message);
      // Stored meanwhile by a concurrent delivery of the same event.
      if (!id) return duplicateOf(tx, scope, event);
      return { id, duplicate: false, processed: false, error: message };
    });
  }
}

/** Re-runs processing of a stored event (after a fix, or a failed first attempt). */
export async function replayEvent(
  sql: Sql,
  scope: Scope,
  id: string,
  processorFor: (gateway: Gateway) => EventProcessor,
): Promise<{ processed: boolean; error: string | null }> {
  return sql.begin(async (tx) => {
    const [row] = await tx<(IncomingEvent & { id: string })[]>`
      SELECT id, gateway, event_id, type, object_id, customer_id, occurred_at, payload FROM payment_events
      WHERE account_id = ${scope.accountId} AND livemode = ${scope.livemode} AND id = ${id}
      FOR UPDATE`;
    if (!row) throw notFound('event');
    return runProcessor(tx, scope, row.id, row, processorFor(row.gateway));
  });
}
