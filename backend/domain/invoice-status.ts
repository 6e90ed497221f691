// The ledger's status rules and the shapes gateways hand it (invoices.ts re-exports them): which
// status changes are allowed, how same-second sources rank, and what an admin sees.
import type { Gateway } from './tenants.js';

/** The gateway statuses of an invoice (Stripe's; PayPal's are mapped onto them): the one list. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** What an admin sees: an open invoice that is past due shows as past_due. */
export type DisplayStatus = InvoiceStatus | 'past_due';

/** The list's status filter: a gateway status, every past-due invoice, or the failed ones. */
export const INVOICE_STATUS_FILTERS = [...INVOICE_STATUSES, 'past_due', 'failed'] as const;
export type InvoiceStatusFilter = (typeof INVOICE_STATUS_FILTERS)[number];

/** Tie-break rank for sources with the same timestamp: draft < open < the final statuses. */
export const STATUS_RANK: Record<InvoiceStatus, number> = { draft: 0, open: 1, uncollectible: 2, paid: 3, void: 3 };
const FINAL = new Set<InvoiceStatus>(['paid', 'uncollectible', 'void']);
/** Moves out of a final status that the gateways allow (an uncollectible invoice can still be paid or voided). */
const FINAL_EXITS: Record<string, InvoiceStatus[]> = { uncollectible: ['paid', 'void'], paid: [], void: [] };

export function allowedStatusChange(from: InvoiceStatus, to: InvoiceStatus): boolean {
  if (from === to) return true;
  if (!FINAL.has(from)) return STATUS_RANK[to] >= STATUS_RANK[from];
  return FINAL_EXITS[from].includes(to);
}

export const displayStatus = (status: InvoiceStatus, pastDue: boolean): DisplayStatus =>
  status === 'open' && pastDue ? 'past_due' : status;

export interface InvoiceSnapshot {
  gateway: Gateway;
  external_id: string;
  number: string | null;
  customer_id: string | null;
  subscription_id: string | null;
  tenant_id: string | null;
  currency: string;
  total: number;
  tax: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  /** undefined keeps the stored figure (refunds arrive through their own events) */
  amount_refunded?: number;
  status: InvoiceStatus;
  collection_method: string | null;
  attempt_count: number;
  due_date: Date | null;
  hosted_url: string | null;
  pdf_url: string | null;
  created_at: Date;
  deleted?: boolean;
  /**
   * an automatic payment failed: the open invoice is Failed (and past due) until it leaves open
   * (paid, void, uncollectible); later snapshots without it keep it
   */
  payment_failed?: boolean;
}

/** Where a change came from: its time orders it; label is 'event:<id>', 'user:<id>' or 'job:<name>'. */
export interface ChangeSource {
  time: Date;
  /** gateway event id, the deterministic tie-break between sources of the same time */
  eventId: string | null;
  label: string;
}

export interface ApplyResult {
  invoiceId: string;
  /** false when the source was older than the stored state and nothing changed */
  applied: boolean;
  /** the invoice's tenant after the change */
  tenantId: string | null;
}
