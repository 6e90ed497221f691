// The one API client of the app: every request is signed with fetchStripeSignature({ livemode })
// (the mode is signed, so a signature made in one mode never acts in the other) and carries the
// contract's headers (stripe-signature, stripe-user-id, stripe-account-id, stripe-mode); the
// backend's base URL comes from the manifest's constants.BACKEND_URL. Response types are imported
// type-only from the backend, so a contract change fails the type check.
import { fetchStripeSignature } from '@stripe/ui-extension-sdk/utils';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import type {
  ActionResult,
  BulkActionRequest,
  BulkActionResponse,
  CollectionsResponse,
  EventDetailResponse,
  EventListParams,
  EventResponse,
  ExportLinkResponse,
  ExportRequest,
  InvoiceDetailResponse,
  InvoiceListParams,
  InvoiceResponse,
  LinkCreatedResponse,
  List,
  OneTimeInvoiceRequest,
  OneTimeInvoiceResponse,
  PastDueResponse,
  ReconcileListResponse,
  ReconcileRunResponse,
  SettingsResponse,
  SettingsUpdate,
  StatsParams,
  StatsResponse,
  SyncRunResponse,
  SyncStatusResponse,
  TenantResponse,
  TenantUpdate,
} from './contract';

export type * from './contract';

// Request parameters are the backend's own query schemas' input types (see contract.ts).
export type Gateway = NonNullable<InvoiceListParams['gateway']>;
export type InvoiceStatusFilter = NonNullable<InvoiceListParams['status']>;
export type InvoiceAction = 'retry' | 'void' | 'mark-uncollectible' | 'send-reminder';

export interface PageParams {
  limit?: number;
  cursor?: string | null;
}
export type InvoiceFilters = Omit<InvoiceListParams, 'limit' | 'cursor'>;
/** `processed` is sent as the query string's true/false */
export type EventFilters = Omit<EventListParams, 'limit' | 'cursor' | 'processed'> & { processed?: boolean };
export type StatsFilters = StatsParams;

/** One field's validation message from a 400 answer. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A failed call: the backend's {error:{code,message,request_id}} or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Context = Pick<ExtensionContextValue, 'userContext' | 'environment'>;
type Query = Record<string, string | number | boolean | null | undefined>;

/** The backend's base URL from the manifest's constants, without a trailing slash. */
export function backendUrl(environment: Context['environment']): string {
  const constants = environment.constants as { BACKEND_URL?: unknown } | null | undefined;
  const url = constants?.BACKEND_URL;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new ApiError(0, 'not_configured', 'The app has no BACKEND_URL constant in its manifest.');
  }
  return url.replace(/\/+$/, '');
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function readError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: string; message?: string; request_id?: string | null; details?: unknown } })
    ?.error;
  const issues = Array.isArray(error?.details)
    ? (error.details as FieldIssue[]).filter((i) => typeof i?.message === 'string')
    : [];
  return new ApiError(
    res.status,
    error?.code ?? 'http_error',
    error?.message ?? `The backend answered ${res.status}.`,
    error?.request_id ?? null,
    issues,
  );
}

/** A fresh idempotency key (the sandboxed frame has Web Crypto). */
export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function createApiClient(context: Context) {
  const { userContext, environment } = context;

  async function request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; idempotencyKey?: string } = {},
  ): Promise<T> {
    const url = `${backendUrl(environment)}/api${path}${queryString(options.query)}`;
    const signature = await fetchStripeSignature({ livemode: environment.mode === 'live' });
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          'stripe-signature': signature,
          'stripe-user-id': userContext.id ?? '',
          'stripe-account-id': userContext.account.id,
          'stripe-mode': environment.mode,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      });
    } catch (err) {
      throw new ApiError(0, 'network_error', `Could not reach the backend: ${(err as Error).message}`);
    }
    if (!res.ok) throw await readError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  const id = encodeURIComponent;

  return {
    /** the signed-in Dashboard user (history entries of this user read "you") */
    userId: userContext.id ?? null,

    stats: (filters: StatsFilters = {}) => request<StatsResponse>('GET', '/stats', { query: { ...filters } }),

    listInvoices: (filters: InvoiceFilters & PageParams = {}) =>
      request<List<InvoiceResponse>>('GET', '/invoices', { query: { ...filters } }),
    getInvoice: (invoiceId: string) => request<InvoiceDetailResponse>('GET', `/invoices/${id(invoiceId)}`),
    /** The ledger invoice of a gateway invoice id (the Dashboard gives the Stripe id in_…), or null. */
    async findInvoiceByExternalId(externalId: string): Promise<InvoiceResponse | null> {
      const page = await request<List<InvoiceResponse>>('GET', '/invoices', { query: { q: externalId, limit: 100 } });
      return page.data.find((inv) => inv.external_id === externalId) ?? null;
    },
    /** One key per confirmed action: a resent request (double click, network retry) acts once. */
    invoiceAction: (invoiceId: string, action: InvoiceAction, idempotencyKey = newIdempotencyKey()) =>
      request<ActionResult>('POST', `/invoices/${id(invoiceId)}/${action}`, { body: {}, idempotencyKey }),
    /**
     * One action on up to 100 invoices: `dry_run: true` first (what would happen to each), then the
     * apply with one key for the confirmed batch (each invoice gets its own key derived from it, so a
     * resent request never acts twice).
     */
    bulkInvoiceAction: (body: BulkActionRequest, idempotencyKey = newIdempotencyKey()) =>
      request<BulkActionResponse>('POST', '/invoices/bulk', { body, idempotencyKey }),
    createOneTimeInvoices: (body: OneTimeInvoiceRequest, idempotencyKey = newIdempotencyKey()) =>
      request<OneTimeInvoiceResponse>('POST', '/one-time-invoices', { body, idempotencyKey }),

    listEvents: (filters: EventFilters & PageParams = {}) =>
      request<List<EventResponse>>('GET', '/events', { query: { ...filters } }),
    getEvent: (eventId: string) => request<EventDetailResponse>('GET', `/events/${id(eventId)}`),

    pastDue: (params: { tenant_id?: string } & PageParams = {}) =>
      request<PastDueResponse>('GET', '/past-due', { query: { ...params } }),

    collections: (filters: StatsFilters = {}) =>
      request<CollectionsResponse>('GET', '/collections', { query: { ...filters } }),
    /** A short-lived CSV link for a list with its filters (the app opens it in a new tab). */
    createExport: (body: ExportRequest) => request<ExportLinkResponse>('POST', '/exports', { body }),

    listTenants: (params: { q?: string } & PageParams = {}) =>
      request<List<TenantResponse>>('GET', '/tenants', { query: { ...params } }),
    getTenant: (tenantId: string) => request<TenantResponse>('GET', `/tenants/${id(tenantId)}`),
    createTenant: (body: { name: string; external_ref?: string | null }) =>
      request<TenantResponse>('POST', '/tenants', { body }),
    /** `reminder_steps`: the tenant's own escalation [{ days, tone }], or null for the account's. */
    updateTenant: (tenantId: string, body: TenantUpdate) =>
      request<TenantResponse>('PATCH', `/tenants/${id(tenantId)}`, { body }),
    addLink: (tenantId: string, body: { gateway: Gateway; external_id: string }) =>
      request<LinkCreatedResponse>('POST', `/tenants/${id(tenantId)}/links`, { body }),
    removeLink: (tenantId: string, linkId: string) =>
      request<void>('DELETE', `/tenants/${id(tenantId)}/links/${id(linkId)}`),
    /** The tenant linked to a gateway identity (e.g. a Stripe customer), or null. */
    async findTenantByLink(gateway: Gateway, externalId: string): Promise<TenantResponse | null> {
      const page = await request<List<TenantResponse>>('GET', '/tenants', { query: { link: externalId, limit: 1 } });
      return page.data.find((t) => t.links.some((l) => l.gateway === gateway && l.external_id === externalId)) ?? null;
    },

    getSettings: () => request<SettingsResponse>('GET', '/settings'),
    updateSettings: (body: SettingsUpdate) => request<SettingsResponse>('PUT', '/settings', { body }),

    /** the latest import, or { state: 'never_run' } before the first */
    syncStatus: () => request<SyncStatusResponse>('GET', '/sync'),
    startSync: () => request<SyncRunResponse>('POST', '/sync', { body: {} }),

    /** Reconciliation runs, newest first, and whether PayPal is reconciled. */
    reconcileRuns: (params: PageParams = {}) => request<ReconcileListResponse>('GET', '/reconcile', { query: { ...params } }),
    /** Starts a check of Stripe's event list for events the backend never received (runs in the background). */
    startReconcile: () => request<ReconcileRunResponse>('POST', '/reconcile', { body: {} }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
