// The CSV export of the seeded account's whole invoice list over HTTP: rows/s and the service's
// resident memory while it streams (sampled from /proc every 50 ms), against its RSS before.
import { readFileSync } from 'node:fs';

export interface ExportTiming {
  rows: number;
  bytes: number;
  seconds: number;
  rows_per_second: number;
  rss_before_mb: number | null;
  peak_rss_mb: number | null;
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function benchExport(
  url: string,
  pid: number,
  post: (path: string, body: unknown) => Promise<{ url: string }>,
): Promise<ExportTiming> {
  const link = await post('/api/exports', { kind: 'invoices', filters: {} });
  const before = rssMb(pid);
  let peak = before ?? 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid) ?? 0);
  }, 50);
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  try {
    // the link's origin is the service's own (it answered from `url`)
    const res = await fetch(new URL(new URL(link.url).pathname, url));
    if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  rows -= 1; // the header row
  return {
    rows,
    bytes,
    seconds,
    rows_per_second: rows / seconds,
    rss_before_mb: before,
    peak_rss_mb: before === null ? null : peak,
  };
}
