// The asynchronous half of ingest: how fast the applier empties the backlog (from /readyz), and the
// read-after-ack delay (from a delivery's 2xx until its invoice is visible in GET /api/invoices),
// probed one delivery at a time while the load runs.
import type { Delivery } from './load.js';

export interface Drain {
  /** after the load ended, until /readyz reported no pending event */
  seconds_after_load: number;
  /** acknowledged events / (load seconds + drain seconds) */
  applied_per_second: number;
  /** the largest backlog seen after the load */
  backlog_at_end: number;
  /** still pending at the deadline (0: drained); the run goes on and the table says so */
  left_at_deadline: number;
}

export interface ReadAfterAck {
  samples: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** probes whose invoice did not show within the deadline */
  timeouts: number;
}

/** Polls /readyz until the backlog is empty (or the deadline), from the end of a load. */
export async function waitDrained(url: string, acknowledged: number, loadSeconds: number, deadlineMs = 300_000): Promise<Drain> {
  const start = performance.now();
  let first: number | null = null;
  let left = 0;
  for (;;) {
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { backlog?: { pending: number } };
    const pending = ready.backlog?.pending ?? 0;
    first ??= pending;
    if (pending === 0) break;
    if (performance.now() - start > deadlineMs) {
      left = pending;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const after = (performance.now() - start) / 1000;
  return {
    seconds_after_load: after,
    applied_per_second: (acknowledged - left) / (loadSeconds + after),
    backlog_at_end: first ?? 0,
    left_at_deadline: left,
  };
}

/**
 * Posts a delivery; sent again once when the server had closed the pooled connection (its
 * keep-alive ran out while the bench presigned PayPal deliveries): a webhook resent is stored once.
 */
async function postOnce(target: string, delivery: Delivery): Promise<Response> {
  const send = () => fetch(target, { method: 'POST', headers: delivery.headers, body: delivery.body });
  try {
    return await send();
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw err;
    return send();
  }
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : 0);

/**
 * Until `until` resolves: posts one delivery (made by `next`, which also names the invoice's
 * external id), and after its 2xx polls the invoice list until the invoice shows.
 */
export async function probeReadAfterAck(
  url: string,
  path: string,
  next: () => { delivery: Delivery; externalId: string } | null,
  visible: (externalId: string) => Promise<boolean>,
  until: Promise<unknown>,
  deadlineMs = 10_000,
): Promise<ReadAfterAck> {
  let done = false;
  void until.finally(() => (done = true));
  const delays: number[] = [];
  let timeouts = 0;
  while (!done) {
    const probe = next();
    if (!probe) break;
    const res = await postOnce(`${url}${path}`, probe.delivery);
    await res.arrayBuffer();
    if (res.status !== 200) continue;
    const acked = performance.now();
    for (;;) {
      if (await visible(probe.externalId)) {
        delays.push(performance.now() - acked);
        break;
      }
      if (performance.now() - acked > deadlineMs) {
        timeouts++;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const sorted = [...delays].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    samples: delays.length,
    p50_ms: round(pct(sorted, 50)),
    p99_ms: round(pct(sorted, 99)),
    max_ms: round(sorted.at(-1) ?? 0),
    timeouts,
  };
}
