// Invoice types the app reads, from the backend's response types (DESIGN.md, App API): `state`,
// `dashboard_url` and the detail's `lines` are always sent. `last_payment_error` is not produced
// by the backend yet, so it stays optional until it lands.
import type { InvoiceDetailResponse, InvoiceResponse } from './client';

export type InvoiceState = InvoiceResponse['state'];
export type InvoiceLine = InvoiceDetailResponse['lines'][number];
export type LineKind = InvoiceLine['kind'];

export type Invoice = InvoiceResponse;

export type InvoiceDetail = InvoiceDetailResponse & { last_payment_error?: string | null };
