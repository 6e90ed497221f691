// p50/p95 of every list filter of the contract, the stats, the past-due aging and the collections figures, over HTTP
// against the seeded bench account (sequential requests, each with a varied parameter).
import type { Seeded } from './seed.js';

export interface QueryTiming {
  name: string;
  kind: 'list' | 'stats' | 'aging' | 'collections';
  runs: number;
  p50_ms: number;
  p95_ms: number;
  /** rows on the first page, from the last run (a filter that finds nothing measures nothing) */
  rows: number | null;
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchQueries(
  _url: string,
  seeded: Seeded,
  runs: number,
  get: (method: 'GET', path: string) => Promise<any>,
): Promise<QueryTiming[]> {
  const pick = <T>(list: T[], i: number) => list[i % list.length];
  const newest = seeded.newest.getTime();
  // A 30-day window somewhere in the two years (varies per run), and a year.
  const window = (i: number) => {
    const end = newest - ((i * 37) % 600) * DAY - 3_600_000 * (i % 24);
    return `from=${iso(end - 30 * DAY)}&to=${iso(end)}`;
  };
  let cursor: string | null = null;
  const first = await get('GET', '/api/invoices?limit=25');
  cursor = first.next_cursor;

  const cases: { name: string; kind: QueryTiming['kind']; path: (i: number) => string }[] = [
    { name: 'invoices (no filter)', kind: 'list', path: () => '/api/invoices' },
    { name: 'invoices, page 2 (cursor)', kind: 'list', path: () => `/api/invoices?cursor=${cursor}` },
    { name: 'invoices by tenant', kind: 'list', path: (i) => `/api/invoices?tenant_id=${pick(seeded.tenantIds, i)}` },
    { name: 'invoices status=paid', kind: 'list', path: () => '/api/invoices?status=paid' },
    { name: 'invoices status=open', kind: 'list', path: () => '/api/invoices?status=open' },
    { name: 'invoices status=draft', kind: 'list', path: () => '/api/invoices?status=draft' },
    { name: 'invoices status=past_due', kind: 'list', path: () => '/api/invoices?status=past_due' },
    { name: 'invoices gateway=paypal', kind: 'list', path: () => '/api/invoices?gateway=paypal' },
    { name: 'invoices date range (30 d)', kind: 'list', path: (i) => `/api/invoices?${window(i)}` },
    { name: 'invoices q=number', kind: 'list', path: (i) => `/api/invoices?q=${pick(seeded.numbers, i).slice(-6)}` },
    { name: 'invoices q=customer', kind: 'list', path: (i) => `/api/invoices?q=${pick(seeded.customers, i)}` },
    {
      name: 'invoices tenant+status+range',
      kind: 'list',
      path: (i) => `/api/invoices?tenant_id=${pick(seeded.tenantIds, i)}&status=paid&from=${iso(newest - 365 * DAY)}`,
    },
    { name: 'events (no filter)', kind: 'list', path: () => '/api/events' },
    { name: 'events gateway=paypal', kind: 'list', path: () => '/api/events?gateway=paypal' },
    { name: 'events type=invoice.paid', kind: 'list', path: () => '/api/events?type=invoice.paid' },
    { name: 'events by tenant', kind: 'list', path: (i) => `/api/events?tenant_id=${pick(seeded.tenantIds, i)}` },
    { name: 'events processed=false', kind: 'list', path: () => '/api/events?processed=false' },
    { name: 'events processed=true', kind: 'list', path: () => '/api/events?processed=true' },
    { name: 'events date range (30 d)', kind: 'list', path: (i) => `/api/events?${window(i)}` },
    { name: 'stats (platform-wide)', kind: 'stats', path: () => '/api/stats' },
    { name: 'stats per tenant', kind: 'stats', path: (i) => `/api/stats?tenant_id=${pick(seeded.tenantIds, i)}` },
    { name: 'stats date range (30 d)', kind: 'stats', path: (i) => `/api/stats?${window(i)}` },
    { name: 'stats date range (1 y)', kind: 'stats', path: (i) => `/api/stats?from=${iso(newest - 365 * DAY - i * 3_600_000)}` },
    { name: 'past-due aging', kind: 'aging', path: () => '/api/past-due' },
    { name: 'collections (30 d to now)', kind: 'collections', path: () => '/api/collections' },
    { name: 'collections per tenant', kind: 'collections', path: (i) => `/api/collections?tenant_id=${pick(seeded.tenantIds, i)}` },
    { name: 'collections, 30 d in the past', kind: 'collections', path: (i) => `/api/collections?${window(i)}` },
    { name: 'collections, 1 y window', kind: 'collections', path: (i) => `/api/collections?from=${iso(newest - 365 * DAY - i * 3_600_000)}` },
  ];

  const out: QueryTiming[] = [];
  for (const c of cases) {
    const times: number[] = [];
    let rows: number | null = null;
    const started = performance.now();
    for (let i = -2; i < runs; i++) {
      // A slow case is cut short (10 runs at least) so that the whole bench stays within minutes.
      if (times.length >= 10 && performance.now() - started > 10_000) break;
      const t = performance.now();
      const body = await get('GET', c.path(Math.max(i, 0)));
      if (i >= 0) times.push(performance.now() - t);
      rows = Array.isArray(body.data) ? body.data.length : Array.isArray(body.currencies) ? body.currencies.length : null;
    }
    times.sort((a, b) => a - b);
    out.push({ name: c.name, kind: c.kind, runs: times.length, p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), rows });
  }
  return out;
}
