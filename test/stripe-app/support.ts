// Test support for the app's views: a fake backend behind a stubbed global fetch (answers like the
// App API, records every request), mock context props, and fixtures typed with the backend's types.
import { isRemoteFragment } from '@remote-ui/core';
import { getMockContextProps } from '@stripe/ui-extension-sdk/testing';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import type {
  ActionResult,
  EventResponse,
  InvoiceDetailResponse,
  InvoiceResponse,
  PastDueResponse,
  StatsResponse,
  SyncRunResponse,
  TenantResponse,
} from '../../stripe-app/src/api/contract';

export const BACKEND_URL = 'https://billing.test.example';

export interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = unknown | { status: number; body: unknown } | Promise<never>;
type Handler = (req: Recorded) => Answer | Promise<Answer>;

/** An answer with an explicit status (anything else answers 200 with itself as the body). */
export const reply = (status: number, body: unknown) => ({ __status: status, body });
export const apiError = (status: number, code: string, message: string, details?: unknown) =>
  reply(status, { error: { code, message, request_id: 'req_test', ...(details ? { details } : {}) } });
/** Never answers: the view stays in its loading state. */
export const pending = () => new Promise<never>(() => {});

/**
 * Stubs global fetch. Routes are "METHOD /api/path" (exact path, query ignored); an unknown route
 * answers 404 in the API's error shape so a test sees unexpected calls.
 */
export function fakeBackend(routes: Record<string, Handler>) {
  const calls: Recorded[] = [];
  const fetchStub = vi.fn(async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const req: Recorded = {
      method: init?.method ?? 'GET',
      url,
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(req);
    const handler = routes[`${req.method} ${url.pathname}`];
    const answer = handler
      ? await handler(req)
      : { __status: 404, body: { error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}`, request_id: null } } };
    const { status, body } =
      answer && typeof answer === 'object' && '__status' in answer
        ? { status: (answer as unknown as { __status: number }).__status, body: (answer as unknown as { body: unknown }).body }
        : { status: 200, body: answer };
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: status === 204 ? {} : { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchStub);
  return {
    calls,
    /** requests to a path, e.g. "/api/invoices" */
    to: (method: string, path: string) => calls.filter((c) => c.method === method && c.url.pathname === path),
    last: (method: string, path: string) => {
      const hits = calls.filter((c) => c.method === method && c.url.pathname === path);
      return hits[hits.length - 1];
    },
  };
}

export function context(
  viewportID: string,
  opts: { objectId?: string; object?: string; mode?: 'live' | 'test'; locale?: string } = {},
): ExtensionContextValue {
  return getMockContextProps({
    userContext: { id: 'usr_admin', locale: opts.locale ?? 'en-US', account: { id: 'acct_platform' } },
    environment: {
      mode: opts.mode ?? 'test',
      viewportID,
      objectContext: opts.objectId ? { id: opts.objectId, object: opts.object ?? '' } : undefined,
      constants: { BACKEND_URL: `${BACKEND_URL}/` },
    },
  });
}

/** Lets fetches, JSON parsing and re-renders finish. */
export async function settle(update: () => Promise<void>, rounds = 4) {
  for (let i = 0; i < rounds; i++) await update();
}

export const list = <T>(data: T[], next_cursor: string | null = null) => ({ data, next_cursor });

export const TENANT_ID = '11111111-1111-4111-8111-111111111111';

export function tenant(over: Partial<TenantResponse> = {}): TenantResponse {
  return {
    id: TENANT_ID,
    name: 'Acme Studio',
    external_ref: 'ws_acme',
    customer_reminders: true,
    reminder_steps: null,
    created_at: '2026-01-05T10:00:00.000Z',
    updated_at: '2026-01-05T10:00:00.000Z',
    links: [],
    ...over,
  };
}

/**
 * The badge the backend derives (backend/domain/past-due-rule.ts): an open invoice is past_due when
 * past due, else its status. A failed payment cannot be told from these fields: tests pass `state: 'failed'`.
 */
function stateOf(over: Partial<InvoiceResponse>): InvoiceResponse['state'] {
  if (over.state) return over.state;
  const status = over.status ?? 'open';
  return status === 'open' && over.past_due ? 'past_due' : status;
}

export function invoice(over: Partial<InvoiceResponse> = {}): InvoiceResponse {
  return {
    id: '22222222-2222-4222-8222-222222222222',
    gateway: 'stripe',
    external_id: 'in_1Abc',
    number: 'INV-0042',
    tenant: { id: TENANT_ID, name: 'Acme Studio' },
    customer_id: 'cus_Acme',
    currency: 'usd',
    total: 123456,
    tax: 2345,
    amount_due: 123456,
    amount_paid: 0,
    amount_remaining: 123456,
    amount_refunded: 0,
    status: 'open',
    state: stateOf(over),
    past_due: false,
    days_past_due: 0,
    due_date: '2026-03-01T00:00:00.000Z',
    created_at: '2026-02-01T00:00:00.000Z',
    hosted_url: 'https://invoice.stripe.com/i/acct/test_inv',
    pdf_url: 'https://pay.stripe.com/invoice/acct/test_inv/pdf',
    dashboard_url: 'https://dashboard.stripe.com/test/invoices/in_1Abc',
    ...over,
  };
}

export function invoiceDetail(over: Partial<InvoiceDetailResponse> = {}): InvoiceDetailResponse {
  return {
    ...invoice(),
    state: stateOf(over),
    subscription_id: null,
    collection_method: 'charge_automatically',
    attempt_count: 1,
    last_payment_error: null,
    lines: [],
    history: [],
    events: [],
    ...over,
  };
}

export function actionResult(action: ActionResult['action'], over: Partial<InvoiceDetailResponse> = {}): ActionResult {
  return { action, invoice: invoiceDetail(over) };
}

export function syncRun(over: Partial<SyncRunResponse> = {}): SyncRunResponse {
  return {
    id: 's1',
    state: 'succeeded',
    phase: 'done',
    cursor: null,
    counts: { customers: 3, invoices: 12, pages: 2, errors: 0 },
    error: null,
    resumed_from: null,
    started_at: '2026-03-01T10:00:00.000Z',
    heartbeat_at: '2026-03-01T10:05:00.000Z',
    finished_at: '2026-03-01T10:05:00.000Z',
    ...over,
  };
}

export function event(over: Partial<EventResponse> = {}): EventResponse {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    gateway: 'stripe',
    type: 'invoice.paid',
    event_id: 'evt_1',
    tenant: { id: TENANT_ID, name: 'Acme Studio' },
    processed: true,
    state: 'processed',
    ignored: false,
    error: null,
    received_at: '2026-02-02T10:00:00.000Z',
    occurred_at: '2026-02-02T10:00:00.000Z',
    invoice: null,
    ...over,
  };
}

export function stats(over: Partial<StatsResponse> = {}): StatsResponse {
  return {
    currencies: [
      { currency: 'usd', total_revenue: 1234567, total_refunded: 5000, pending_amount: 250000, invoice_count: 12 },
      { currency: 'jpy', total_revenue: 150000, total_refunded: 0, pending_amount: 3000, invoice_count: 3 },
    ],
    invoice_count: 15,
    monthly: [
      { month: '2026-01', currency: 'usd', revenue: 600000 },
      { month: '2026-02', currency: 'usd', revenue: 634567 },
      { month: '2026-02', currency: 'jpy', revenue: 150000 },
    ],
    ...over,
  };
}

export const emptyStats = (): StatsResponse => ({ currencies: [], invoice_count: 0, monthly: [] });

export function pastDue(over: Partial<PastDueResponse> = {}): PastDueResponse {
  const zero = { count: 0, amount: 0 };
  return {
    currencies: [
      {
        currency: 'eur',
        buckets: { '1-30': { count: 2, amount: 30000 }, '31-60': zero, '61-90': { count: 1, amount: 9900 }, '90+': zero },
        total: { count: 3, amount: 39900 },
      },
    ],
    data: [],
    next_cursor: null,
    ...over,
  };
}

// --- reading and pressing what is rendered -----------------------------------------------------
// The SDK's test wrapper only walks children; components given as props (Banner actions, FocusView
// and ContextView actions) live in remote fragments. These helpers walk the remote tree itself,
// fragments included.

interface RemoteNode {
  type?: unknown;
  text?: string;
  props?: Record<string, unknown>;
  children?: readonly RemoteNode[];
}
interface Wrapper {
  instance: unknown;
  act<T>(action: () => T): T;
}

function walk(node: RemoteNode, visit: (n: RemoteNode) => void) {
  visit(node);
  for (const value of Object.values(node.props ?? {})) {
    if (isRemoteFragment(value)) for (const child of (value as RemoteNode).children ?? []) walk(child, visit);
  }
  for (const child of node.children ?? []) walk(child, visit);
}

/** The text content of a rendered node (its text children, fragments excluded). */
function textOf(node: RemoteNode): string {
  if (typeof node.text === 'string' && !node.type) return node.text;
  return (node.children ?? []).map(textOf).join('');
}

/** Every rendered component of a type (e.g. Button), wherever it sits. */
export function findAll(wrapper: Wrapper, type: string): { props: Record<string, any>; text: string }[] {
  const found: { props: Record<string, any>; text: string }[] = [];
  walk(wrapper.instance as RemoteNode, (n) => {
    if (n.type === type) found.push({ props: n.props ?? {}, text: textOf(n) });
  });
  return found;
}

/** Calls a prop of the one component of `type` matching `where`, inside act(). */
export function trigger(wrapper: Wrapper, type: string, where: (c: { props: Record<string, any>; text: string }) => boolean, prop: string, ...args: unknown[]) {
  const hits = findAll(wrapper, type).filter(where);
  if (hits.length !== 1) throw new Error(`${hits.length} ${type} matched; on screen:\n${seen(wrapper)}`);
  return wrapper.act(() => hits[0].props[prop](...args));
}

/** Presses the button (or link) labelled `label`. */
export const press = (wrapper: Wrapper, label: string) =>
  trigger(wrapper, 'Button', (b) => b.text === label, 'onPress');

const TEXT_PROPS = ['title', 'description', 'label', 'value', 'secondaryTitle', 'error', 'statusMessage', 'emptyMessage', 'placeholder'];

/**
 * Everything a user reads on screen: text, plus the string props that components render as text
 * (Banner title/description, ListItem titles, PropertyListItem label/value, field errors, DataTable
 * cells…), fragments included.
 */
export function seen(wrapper: Wrapper): string {
  const parts: string[] = [];
  walk(wrapper.instance as RemoteNode, (n) => {
    // adjacent text children read as one string ("Past due for " "12" " days")
    let run = '';
    for (const child of n.children ?? []) {
      if (!child.type && typeof child.text === 'string') run += child.text;
      else if (run) {
        parts.push(run);
        run = '';
      }
    }
    if (run) parts.push(run);
    const props = n.props ?? {};
    for (const key of TEXT_PROPS) {
      const v = props[key];
      if (typeof v === 'string' || typeof v === 'number') parts.push(String(v));
    }
    if (Array.isArray(props.items)) {
      for (const item of props.items as Record<string, unknown>[]) parts.push(Object.values(item).map(String).join(' · '));
    }
  });
  return parts.join('\n');
}
