// The Markdown table of a bench report: one row per figure, a column per engine, the target
// (PostgreSQL, this 2-core machine) and whether PostgreSQL meets it.
import type { Drain, ReadAfterAck } from './read-after-ack.js';
import type { EngineResult } from './run.js';

interface Report {
  started_at: string;
  quick: boolean;
  seconds: number;
  connections: number;
  machine: { cores: number; memory_gb: number; cpu: string; node: string; load_average_at_start: number[] };
  results: EngineResult[];
}

type Row = { figure: string; target: string; ok?: (r: EngineResult) => boolean | null; value: (r: EngineResult) => string };

const n0 = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en-US'));
const ms = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
const pct = (x: number | null | undefined) => (x == null ? '–' : `${Math.round(x * 100)}%`);
/** the backlog left by a load and how long it took to empty, or what was still pending at the deadline */
const drained = (d: Drain) =>
  d.left_at_deadline > 0
    ? `${n0(d.backlog_at_end)}, ${n0(d.left_at_deadline)} still pending after ${d.seconds_after_load.toFixed(0)} s`
    : `${n0(d.backlog_at_end)} in ${d.seconds_after_load.toFixed(1)} s`;

const readAfterAck = (a: ReadAfterAck) =>
  `${ms(a.p50_ms)} / ${ms(a.p99_ms)} (${a.samples}${a.timeouts ? `, ${a.timeouts} timed out` : ''})`;

export function renderTable(report: Report): string {
  const rows: Row[] = [
    {
      figure: 'Stripe ingest, events/s',
      target: '≥ 1,500',
      value: (r) => n0(r.ingest?.stripe.per_second),
      ok: (r) => (r.ingest ? r.ingest.stripe.per_second >= 1500 : null),
    },
    { figure: 'Stripe ingest p50 / p99', target: 'p99 ≤ 50 ms', value: (r) => (r.ingest ? `${ms(r.ingest.stripe.p50_ms)} / ${ms(r.ingest.stripe.p99_ms)}` : '–'), ok: (r) => (r.ingest ? r.ingest.stripe.p99_ms <= 50 : null) },
    { figure: 'Floor (verify + 1 insert), events/s', target: '', value: (r) => n0(r.ingest?.floor.per_second) },
    { figure: 'Floor p50 / p99', target: '', value: (r) => (r.ingest ? `${ms(r.ingest.floor.p50_ms)} / ${ms(r.ingest.floor.p99_ms)}` : '–') },
    { figure: 'Ingest / floor', target: '≥ 60%', value: (r) => pct(r.ingest?.ratio), ok: (r) => (r.ingest ? r.ingest.ratio >= 0.6 : null) },
    {
      figure: 'Non-2xx answers during ingest',
      target: '0',
      value: (r) => (r.ingest ? `${r.ingest.stripe.non_2xx + r.ingest.stripe.errors}` : '–'),
      ok: (r) => (r.ingest ? r.ingest.stripe.non_2xx + r.ingest.stripe.errors === 0 : null),
    },
    {
      figure: 'Stripe acknowledged / floor (issue 15)',
      target: '≥ 80%',
      value: (r) => pct(r.ingest?.ratio),
      ok: (r) => (r.ingest ? r.ingest.ratio >= 0.8 : null),
    },
    {
      figure: 'Stripe ack p99 / floor p99',
      target: '≤ 1.5×',
      value: (r) => (r.ingest ? `${(r.ingest.stripe.p99_ms / Math.max(1, r.ingest.floor.p99_ms)).toFixed(2)}×` : '–'),
      ok: (r) => (r.ingest ? r.ingest.stripe.p99_ms <= 1.5 * r.ingest.floor.p99_ms : null),
    },
    {
      figure: 'Stripe applied as fast as answered, events/s; backlog drained in',
      target: '',
      value: (r) => (r.ingest?.applied ? `${n0(r.ingest.applied.applied_per_second)}; ${drained(r.ingest.applied)}` : '–'),
    },
    {
      figure: 'Stripe read-after-ack as fast as answered, p50 / p99 (samples)',
      target: '',
      value: (r) => (r.ingest?.read_after_ack ? readAfterAck(r.ingest.read_after_ack) : '–'),
    },
    {
      figure: 'Stripe at a fixed rate a little over half the floor: offered / acknowledged, events/s; ack p99',
      target: '',
      value: (r) =>
        r.ingest?.sustained
          ? `${n0(r.ingest.sustained.offered_per_second)} / ${n0(r.ingest.sustained.load.per_second)}; ${ms(r.ingest.sustained.load.p99_ms)}`
          : '–',
    },
    {
      figure: 'Stripe at that rate: applied, events/s, over the load and the drain (share of the floor)',
      target: '≥ 50% of the floor',
      value: (r) =>
        r.ingest?.sustained
          ? `${n0(r.ingest.sustained.applied.applied_per_second)} (${pct(r.ingest.sustained.applied.applied_per_second / r.ingest.floor.per_second)})`
          : '–',
      ok: (r) => (r.ingest?.sustained ? r.ingest.sustained.applied.applied_per_second >= 0.5 * r.ingest.floor.per_second : null),
    },
    {
      figure: 'Stripe at that rate: backlog at the end of the load, drained in',
      target: '≤ 5 s',
      value: (r) => (r.ingest?.sustained ? drained(r.ingest.sustained.applied) : '–'),
      ok: (r) => (r.ingest?.sustained ? r.ingest.sustained.applied.left_at_deadline === 0 && r.ingest.sustained.applied.seconds_after_load <= 5 : null),
    },
    {
      figure: 'Stripe at that rate: read-after-ack p50 / p99 (samples)',
      target: 'p99 ≤ 1 s',
      value: (r) => (r.ingest?.sustained ? readAfterAck(r.ingest.sustained.read_after_ack) : '–'),
      ok: (r) => (r.ingest?.sustained ? r.ingest.sustained.read_after_ack.p99_ms <= 1000 && !r.ingest.sustained.read_after_ack.timeouts : null),
    },
    { figure: 'PayPal ingest, events/s', target: '', value: (r) => n0(r.paypal?.per_second) },
    {
      figure: 'PayPal applied, events/s; backlog drained in',
      target: '',
      value: (r) => (r.paypal?.applied ? `${n0(r.paypal.applied.applied_per_second)}; ${drained(r.paypal.applied)}` : '–'),
    },
    {
      figure: 'PayPal read-after-ack p50 / p99 (samples)',
      target: 'p99 ≤ 1 s',
      value: (r) => (r.paypal?.read_after_ack ? readAfterAck(r.paypal.read_after_ack) : '–'),
      ok: (r) => (r.paypal?.read_after_ack ? r.paypal.read_after_ack.p99_ms <= 1000 && !r.paypal.read_after_ack.timeouts : null),
    },
    { figure: 'PayPal p50 / p99', target: 'p99 ≤ 50 ms', value: (r) => (r.paypal ? `${ms(r.paypal.p50_ms)} / ${ms(r.paypal.p99_ms)}` : '–'), ok: (r) => (r.paypal ? r.paypal.p99_ms <= 50 : null) },
    // issue 15's target (the export's own row below keeps issue 16's measure)
    { figure: 'Peak RSS of the service', target: '≤ 200 MB', value: (r) => (r.rss_mb == null ? '–' : `${r.rss_mb} MB`), ok: (r) => (r.rss_mb == null ? null : r.rss_mb <= 200) },
    {
      figure: 'Query seed (invoices / events / tenants)',
      target: '1M / 3M / 10k',
      value: (r) => (r.seed ? `${n0(r.seed.invoices)} / ${n0(r.seed.events)} / ${n0(r.seed.tenants)} (${Math.round(r.seed.seconds)} s)` : '–'),
    },
  ];
  const names = [...new Set(report.results.flatMap((r) => (r.queries ?? []).map((q) => q.name)))];
  for (const name of names) {
    const kind = report.results.flatMap((r) => r.queries ?? []).find((q) => q.name === name)!.kind;
    const limit = kind === 'list' ? 20 : 50;
    const q = (r: EngineResult) => r.queries?.find((x) => x.name === name);
    rows.push({
      figure: `${name}, p50 / p95`,
      target: `p95 ≤ ${limit} ms`,
      value: (r) => (q(r) ? `${ms(q(r)!.p50_ms)} / ${ms(q(r)!.p95_ms)}` : '–'),
      ok: (r) => (q(r) ? q(r)!.p95_ms <= limit : null),
    });
  }
  rows.push(
    {
      figure: 'CSV export of every invoice, rows/s',
      target: '',
      value: (r) => (r.export ? `${n0(r.export.rows_per_second)} (${n0(r.export.rows)} rows in ${r.export.seconds.toFixed(1)} s)` : '–'),
    },
    {
      figure: 'Service RSS while exporting: peak (before)',
      target: '≤ 300 MB',
      value: (r) => (r.export ? `${r.export.peak_rss_mb ?? '–'} MB (${r.export.rss_before_mb ?? '–'} MB)` : '–'),
      ok: (r) => (r.export?.peak_rss_mb == null ? null : r.export.peak_rss_mb <= 300),
    },
    {
      figure: 'Daily past-due scan, first run (invoices marked)',
      target: '≤ 10 s',
      value: (r) => (r.scan ? `${r.scan.first_seconds.toFixed(2)} s (${n0(r.scan.first_entered)} of ${n0(r.scan.invoices)})` : '–'),
      ok: (r) => (r.scan ? r.scan.first_seconds <= 10 : null),
    },
    {
      figure: 'Daily past-due scan, next day',
      target: '≤ 10 s',
      value: (r) => (r.scan ? `${r.scan.next_seconds.toFixed(2)} s` : '–'),
      ok: (r) => (r.scan ? r.scan.next_seconds <= 10 : null),
    },
    {
      figure: 'Backfill, objects/s (share of bound)',
      target: '≥ 90% of bound',
      value: (r) =>
        r.backfill
          ? `${n0(r.backfill.per_second)} of ${n0(r.backfill.bound_per_second)} (${pct(r.backfill.share)})${r.backfill.state === 'succeeded' ? '' : ` ${r.backfill.state}`}`
          : '–',
      ok: (r) => (r.backfill ? r.backfill.share >= 0.9 : null),
    },
  );

  const engines = report.results;
  const head = `| figure | target (PostgreSQL) | ${engines.map((e) => e.engine).join(' | ')} |`;
  const sep = `|---|---|${engines.map(() => '---|').join('')}`;
  const pg = engines.find((e) => e.engine === 'postgres');
  const body = rows.map((row) => {
    const mark = pg && row.ok ? (row.ok(pg) === null ? '' : row.ok(pg) ? ' ✓' : ' ✗') : '';
    return `| ${row.figure} | ${row.target}${mark} | ${engines.map((e) => row.value(e)).join(' | ')} |`;
  });
  const m = report.machine;
  const notes = engines.flatMap((e) => e.notes.map((x) => `- ${e.engine}: ${x}`));
  return [
    `Machine: ${m.cores} cores, ${m.memory_gb} GB (${m.cpu}), Node ${m.node}; load average at start ${m.load_average_at_start.join(' / ')}.`,
    `Ingest: ${report.connections} connections for ${report.seconds} s per figure${report.quick ? ' (quick run: small seed, short load)' : ''}.`,
    '',
    head,
    sep,
    ...body,
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}
