// Payment events as both gateways describe them, and what applying one to the ledger produced.
// Storing (the webhook's one insert) and applying (batches of the applier) are in event-inbox.ts.
import type { Tx } from '../db/client.js';
import type { Scope } from './accounts.js';
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

