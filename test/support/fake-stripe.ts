// A small local server that speaks the subset of the Stripe REST API the backend uses, so the real
// `stripe` library can be exercised end to end without the network. Objects are typed with the
// library's own types and kept per account (the Stripe-Account header; none = the platform).
//
// Routes are a table (`stripeRoutes`): add an entry for a new endpoint. Faults (429 storms, failed
// pages, latency, a request rate limit, requests that hang) are hooks run before each route.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { eventsRoute } from './fake-stripe-events.js';
import { invoiceLinesRoute } from './fake-stripe-lines.js';

// ---- recorded requests -------------------------------------------------------------------------

export interface FakeRequest {
  method: string;
  /** path without the query string, e.g. /v1/invoices */
  path: string;
  /** query string, parsed like the form body (bracket notation) */
  query: FormValue;
  /** header names lower-cased */
  headers: Record<string, string>;
  /** form body (application/x-www-form-urlencoded), parsed with bracket notation */
  body: FormValue;
  idempotencyKey: string | null;
  /** the Stripe-Account header, or null (the platform's own account) */
  stripeAccount: string | null;
  /** the account whose objects the request reaches */
  accountId: string;
  /** the API key of the Authorization bearer, as sent (null without one) */
  apiKey: string | null;
  /** the mode of that key, when it is one the fake accepts (null otherwise) */
  livemode: boolean | null;
  /** Date.now() when the request arrived */
  at: number;
}

export type FormValue = { [key: string]: FormValue | FormValue[] | string | string[] };

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

// ---- objects kept per account ------------------------------------------------------------------

export interface AccountObjects {
  customers: Map<string, Stripe.Customer>;
  invoices: Map<string, Stripe.Invoice>;
}

export interface RouteContext {
  req: FakeRequest;
  params: Record<string, string>;
  /** objects of the account the request reaches */
  objects: AccountObjects;
  fake: FakeStripe;
}

export interface FakeRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** path with :params, e.g. /v1/invoices/:id */
  path: string;
  handle(ctx: RouteContext): FakeResponse | Promise<FakeResponse>;
}

/** Runs before routing; answering a response short-circuits the request (faults, rate limits). */
export type Fault = (req: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>;

export interface FakeStripeOptions {
  /** the account reached without a Stripe-Account header */
  platformAccountId?: string;
  /** the test-mode key (sk_test_…) */
  secretKey?: string;
  /** the live-mode key (sk_live_…) */
  liveSecretKey?: string;
  /** delay before answering each request */
  latencyMs?: number;
  /** answer 429 above this many requests in any 1-second window */
  rateLimitPerSecond?: number;
  /** more routes, tried before the built-in ones */
  routes?: FakeRoute[];
}

export interface FakeStripe {
  url: string;
  /** the test-mode key the fake accepts */
  secretKey: string;
  /** the live-mode key the fake accepts */
  liveSecretKey: string;
  platformAccountId: string;
  requests: FakeRequest[];
  /** the account's objects (created empty on first use: that registers the account as connected) */
  account(accountId: string): AccountObjects;
  seedCustomers(accountId: string, customers: Stripe.Customer[]): void;
  seedInvoices(accountId: string, invoices: Stripe.Invoice[]): void;
  /** adds a fault hook; returns a function that removes it */
  addFault(fault: Fault): () => void;
  /** the next `count` requests matching `match` answer 429 (optionally with Stripe-Should-Retry) */
  inject429s(count: number, opts?: { shouldRetry?: boolean; match?: (req: FakeRequest) => boolean }): void;
  /** list page `page` (1-based, by position) of `resource` fails `times` times (Infinity: always) */
  failPage(
    resource: 'customers' | 'invoices',
    page: number,
    opts?: { status?: number; shouldRetry?: boolean; times?: number; message?: string },
  ): void;
  /**
   * The next `times` (default 1) requests matching `match` wait until `release()` is called;
   * `reached` resolves when the first arrives.
   */
  hold(match: (req: FakeRequest) => boolean, times?: number): { reached: Promise<FakeRequest>; release(): void };
  setLatency(ms: number): void;
  setRateLimit(perSecond: number | null): void;
  /** the most requests seen in any window of `windowMs` (default 1 s), for rate assertions */
  maxRequestsInWindow(windowMs?: number, filter?: (req: FakeRequest) => boolean): number;
  close(): Promise<void>;
}

// ---- builders (fake-stripe-objects.ts) ----------------------------------------------------------

export { makeCustomer, makeInvoice } from './fake-stripe-objects.js';

// ---- request parsing ---------------------------------------------------------------------------

/**
 * Parses Stripe's form encoding (`a[b][0]=x`, indexed arrays) into nested objects. Hand-written
 * because no qs-style parser is installed and the stripe library itself hand-rolls the encoder.
 */
export function parseForm(text: string): FormValue {
  const root: FormValue = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const [head, ...rest] = rawKey.split('[');
    const keys = [head, ...rest.map((k) => k.replace(/]$/, ''))];
    let node: Record<string, unknown> | unknown[] = root;
    keys.forEach((key, i) => {
      const slot = key === '' && Array.isArray(node) ? String(node.length) : key;
      const target = node as Record<string, unknown>;
      if (i === keys.length - 1) {
        target[slot] = value;
        return;
      }
      target[slot] ??= /^\d*$/.test(keys[i + 1]) ? [] : {};
      node = target[slot] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}

const stripeError = (
  status: number,
  type: string,
  message: string,
  extra: { code?: string; param?: string; headers?: Record<string, string> } = {},
): FakeResponse => ({
  status,
  headers: extra.headers,
  body: { error: { type, message, ...(extra.code ? { code: extra.code } : {}), ...(extra.param ? { param: extra.param } : {}) } },
});

export const errors = {
  rateLimited: (shouldRetry?: boolean) =>
    stripeError(429, 'invalid_request_error', 'Too many requests hit the API too quickly.', {
      code: 'rate_limit',
      headers: shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(shouldRetry) },
    }),
  missing: (what: string, id: string, param = 'id') =>
    stripeError(404, 'invalid_request_error', `No such ${what}: '${id}'`, { code: 'resource_missing', param }),
  invalid: (message: string, param?: string) =>
    stripeError(400, 'invalid_request_error', message, { code: 'parameter_invalid', param }),
  api: (status: number, message: string, shouldRetry?: boolean) =>
    stripeError(status, 'api_error', message, {
      headers: shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(shouldRetry) },
    }),
};

// ---- lists -------------------------------------------------------------------------------------

/**
 * One page of a Stripe list: newest first (created desc, then most recently added first), with
 * limit (1–100, default 10), starting_after / ending_before and has_more.
 */
export function listPage<T extends { id: string; created: number }>(
  req: FakeRequest,
  items: Map<string, T>,
  url: string,
  what: string,
  filter: (item: T) => boolean = () => true,
): FakeResponse {
  const q = req.query as Record<string, string | undefined>;
  const limit = q.limit === undefined ? 10 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return errors.invalid('Invalid integer: limit must be between 1 and 100', 'limit');
  }
  const ordered = [...items.values()].reverse().sort((a, b) => b.created - a.created).filter(filter);
  let start = 0;
  let end = ordered.length;
  if (q.starting_after) {
    const i = ordered.findIndex((x) => x.id === q.starting_after);
    if (i < 0) return errors.missing(what, q.starting_after, 'starting_after');
    start = i + 1;
  } else if (q.ending_before) {
    const i = ordered.findIndex((x) => x.id === q.ending_before);
    if (i < 0) return errors.missing(what, q.ending_before, 'ending_before');
    end = i;
    start = Math.max(0, end - limit);
  }
  const data = ordered.slice(start, Math.min(end, start + limit));
  const hasMore = q.ending_before ? start > 0 : start + data.length < end;
  const list: Stripe.ApiList<T> = { object: 'list', data, has_more: hasMore, url };
  return { status: 200, body: list };
}

/** 1-based page number of a list request, from the position of its starting_after cursor. */
export function pageOf(req: FakeRequest, items: Map<string, { id: string; created: number }>): number {
  const q = req.query as Record<string, string | undefined>;
  const limit = Number(q.limit ?? 10);
  if (!q.starting_after) return 1;
  const ordered = [...items.values()].reverse().sort((a, b) => b.created - a.created);
  const i = ordered.findIndex((x) => x.id === q.starting_after);
  return i < 0 ? 0 : Math.floor((i + 1) / limit) + 1;
}

// ---- the route table ---------------------------------------------------------------------------

export const stripeRoutes: FakeRoute[] = [
  invoiceLinesRoute(),
  eventsRoute(),
  {
    method: 'GET',
    path: '/v1/customers',
    handle: ({ req, objects }) => {
      const email = (req.query as Record<string, string | undefined>).email;
      return listPage(req, objects.customers, '/v1/customers', 'customer', (c) => !email || c.email === email);
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/:id',
    handle: ({ params, objects }) => {
      const customer = objects.customers.get(params.id);
      return customer ? { status: 200, body: customer } : errors.missing('customer', params.id);
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices',
    handle: ({ req, objects }) => {
      const q = req.query as Record<string, string | undefined>;
      const customerOf = (inv: Stripe.Invoice) => (typeof inv.customer === 'string' ? inv.customer : inv.customer?.id);
      return listPage(
        req,
        objects.invoices,
        '/v1/invoices',
        'invoice',
        (inv) => (!q.customer || customerOf(inv) === q.customer) && (!q.status || inv.status === q.status),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id',
    handle: ({ params, objects }) => {
      const invoice = objects.invoices.get(params.id);
      return invoice ? { status: 200, body: invoice } : errors.missing('invoice', params.id);
    },
  },
];

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return null;
  }
  return params;
}

// ---- the server --------------------------------------------------------------------------------

export async function startFakeStripe(opts: FakeStripeOptions = {}): Promise<FakeStripe> {
  const secretKey = opts.secretKey ?? `sk_test_fake_${randomBytes(12).toString('hex')}`;
  const liveSecretKey = opts.liveSecretKey ?? `sk_live_fake_${randomBytes(12).toString('hex')}`;
  const platformAccountId = opts.platformAccountId ?? 'acct_fakeplatform';
  const accounts = new Map<string, AccountObjects>();
  const faults: Fault[] = [];
  const routes = [...(opts.routes ?? []), ...stripeRoutes];
  const requests: FakeRequest[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  let rateLimit: number | null = opts.rateLimitPerSecond ?? null;
  const recentAt: number[] = [];
  const open = new Set<ServerResponse>();
  const releases = new Set<() => void>();

  const account = (id: string): AccountObjects => {
    let objects = accounts.get(id);
    if (!objects) {
      objects = { customers: new Map(), invoices: new Map() };
      accounts.set(id, objects);
    }
    return objects;
  };
  account(platformAccountId);

  const send = (res: ServerResponse, r: FakeResponse) => {
    res.writeHead(r.status, {
      'Content-Type': 'application/json',
      'Request-Id': `req_${randomBytes(8).toString('hex')}`,
      ...r.headers,
    });
    res.end(JSON.stringify(r.body));
  };

  async function handle(req: IncomingMessage): Promise<FakeResponse> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const stripeAccount = headers['stripe-account'] || null;
    const apiKey = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice('Bearer '.length) : null;
    const recorded: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: parseForm(url.search.slice(1)),
      headers,
      body: parseForm(Buffer.concat(chunks).toString('utf8')),
      idempotencyKey: headers['idempotency-key'] || null,
      stripeAccount,
      accountId: stripeAccount ?? platformAccountId,
      apiKey,
      livemode: apiKey === liveSecretKey ? true : apiKey === secretKey ? false : null,
      at,
    };
    requests.push(recorded);

    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));

    if (recorded.livemode === null) {
      return stripeError(401, 'invalid_request_error', 'Invalid API Key provided.');
    }
    if (rateLimit !== null) {
      while (recentAt.length && recentAt[0] <= recorded.at - 1000) recentAt.shift();
      if (recentAt.length >= rateLimit) return errors.rateLimited();
      recentAt.push(recorded.at);
    }
    for (const fault of [...faults]) {
      const answer = await fault(recorded);
      if (answer) return answer;
    }
    const objects = accounts.get(recorded.accountId);
    if (!objects) {
      return stripeError(
        403,
        'invalid_request_error',
        `The provided key does not have access to account '${recorded.accountId}' (or that account does not exist).`,
        { code: 'account_invalid' },
      );
    }
    for (const route of routes) {
      if (route.method !== recorded.method) continue;
      const params = matchPath(route.path, recorded.path);
      if (params) return route.handle({ req: recorded, params, objects, fake });
    }
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${recorded.method}: ${recorded.path}).`);
  }

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(req).then(
      (r) => send(res, r),
      (err) => send(res, errors.api(500, `fake server error: ${(err as Error).message}`)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeStripe = {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    liveSecretKey,
    platformAccountId,
    requests,
    account,
    seedCustomers(accountId, customers) {
      const objects = account(accountId);
      for (const c of customers) objects.customers.set(c.id, c);
    },
    seedInvoices(accountId, invoices) {
      const objects = account(accountId);
      for (const inv of invoices) objects.invoices.set(inv.id, inv);
    },
    addFault(fault) {
      faults.push(fault);
      return () => {
        const i = faults.indexOf(fault);
        if (i >= 0) faults.splice(i, 1);
      };
    },
    inject429s(count, o = {}) {
      let left = count;
      const remove = fake.addFault((req) => {
        if (left <= 0 || (o.match && !o.match(req))) return undefined;
        if (--left === 0) remove();
        return errors.rateLimited(o.shouldRetry);
      });
    },
    failPage(resource, page, o = {}) {
      let left = o.times ?? 1;
      const remove = fake.addFault((req) => {
        if (left <= 0 || req.method !== 'GET' || req.path !== `/v1/${resource}`) return undefined;
        const objects = accounts.get(req.accountId);
        if (!objects || pageOf(req, objects[resource]) !== page) return undefined;
        if (--left === 0) remove();
        return errors.api(o.status ?? 500, o.message ?? `injected failure on ${resource} page ${page}`, o.shouldRetry);
      });
    },
    hold(match, times = 1) {
      let left = times;
      let reachedResolve!: (req: FakeRequest) => void;
      const reached = new Promise<FakeRequest>((r) => (reachedResolve = r));
      let releaseAll!: () => void;
      const released = new Promise<void>((r) => (releaseAll = r));
      releases.add(releaseAll);
      const remove = fake.addFault(async (req) => {
        if (left <= 0 || !match(req)) return undefined;
        left--;
        reachedResolve(req);
        await released;
        return undefined;
      });
      return {
        reached,
        release() {
          remove();
          releases.delete(releaseAll);
          releaseAll();
        },
      };
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setRateLimit(perSecond) {
      rateLimit = perSecond;
      recentAt.length = 0;
    },
    maxRequestsInWindow(windowMs = 1000, filter = () => true) {
      const times = requests.filter(filter).map((r) => r.at).sort((a, b) => a - b);
      let max = 0;
      let lo = 0;
      for (let hi = 0; hi < times.length; hi++) {
        while (times[hi] - times[lo] >= windowMs) lo++;
        max = Math.max(max, hi - lo + 1);
      }
      return max;
    },
    async close() {
      for (const release of releases) release();
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
