// The backend's request and response types, imported type-only so a contract change fails the
// app's type check. The only file of the app that reaches into backend/ (the upload bundle replaces it with a
// snapshot of these types; see stripe-app/scripts/bundle.ts).
export type {
  LinkCreatedResponse,
  List,
  ReminderStep,
  SettingsResponse,
  SettingsUpdate,
  TenantLinkResponse,
  TenantResponse,
  TenantUpdate,
} from '../../../backend/http/schemas';
export type { BulkActionRequest, BulkActionResponse } from '../../../backend/http/bulk-schemas';
export type {
  EventDetailResponse,
  EventResponse,
  HistoryEntry,
  InvoiceDetailResponse,
  InvoiceResponse,
  EventListParams,
  InvoiceListParams,
  StatsParams,
  StatsResponse,
} from '../../../backend/http/ledger-schemas';
export type {
  ActionResult,
  AuditEntry,
  OneTimeInvoiceRequest,
  OneTimeInvoiceResponse,
} from '../../../backend/http/action-schemas';
export type { PastDueResponse } from '../../../backend/http/past-due-schemas';
export type { CollectionsResponse } from '../../../backend/http/routes/collections-schemas';
export type { ExportLinkResponse, ExportRequest } from '../../../backend/http/routes/exports-schemas';
export type { SyncRunResponse, SyncStatusResponse } from '../../../backend/http/sync-schemas';
export type {
  ReconcileListResponse,
  ReconcileRunResponse,
} from '../../../backend/http/routes/reconcile-schemas';
