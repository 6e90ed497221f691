// The invoice fields the app reads beyond today's backend types: `state`, `dashboard_url`, the
// detail's `lines` and `last_payment_error` (DESIGN.md, App API). Declared optional and intersected
// with the backend's types, so the app compiles before and after those fields land in the schemas.
import type { InvoiceDetailResponse, InvoiceResponse } from './client';

export type InvoiceState = 'draft' | 'open' | 'past_due' | 'failed' | 'paid' | 'uncollectible' | 'void';
export type LineKind = 'subscription' | 'usage' | 'fixed' | 'adjustment' | 'tax' | 'item';

export interface InvoiceLine {
  description: string | null;
  quantity: number | null;
  amount: number;
  currency: string;
  period_start: string | null;
  period_end: string | null;
  kind: LineKind;
}

export type Invoice = InvoiceResponse & { state?: InvoiceState; dashboard_url?: string | null };

export type InvoiceDetail = InvoiceDetailResponse &
  Invoice & { lines?: InvoiceLine[]; last_payment_error?: string | null };
