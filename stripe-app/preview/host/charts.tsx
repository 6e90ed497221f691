// Small SVG stand-ins for the SDK's charts (ui: BarChart, LineChart, Sparkline with x/y/color
// channels; ui/next: BarChart, LineChart, SparkLineChart, MeterChart with {x, y, name} data).
// They draw the data honestly (axes, series, legend) without trying to copy Stripe's visuals.
import type { ReactNode } from 'react';

type Row = Record<string, unknown>;
type ChannelSpec = string | number | { value?: string | number; label?: string } | undefined;

const PALETTE = ['#635bff', '#0ea5e9', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#ec4899'];

const keyOf = (c: ChannelSpec): string | undefined =>
  c === undefined ? undefined : typeof c === 'object' ? (c.value === undefined ? undefined : String(c.value)) : String(c);

function label(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v ?? '');
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0;
}

export interface Series {
  name: string;
  points: { x: unknown; y: number }[];
}

/** Groups rows into series by the color/z channel (ui) or by `name` (ui/next). */
export function toSeries(data: Row[], x: ChannelSpec, y: ChannelSpec, group: ChannelSpec): Series[] {
  const xKey = keyOf(x) ?? 'x';
  const yKey = keyOf(y) ?? 'y';
  const gKey = keyOf(group);
  const byName = new Map<string, Series>();
  for (const row of data ?? []) {
    const name = gKey ? label(row[gKey]) : label(row.name ?? '');
    if (!byName.has(name)) byName.set(name, { name, points: [] });
    byName.get(name)!.points.push({ x: row[xKey], y: num(row[yKey]) });
  }
  return [...byName.values()];
}

function Legend({ series }: { series: Series[] }) {
  if (series.length < 2 && !series[0]?.name) return null;
  return (
    <div className="chart-legend">
      {series.map((s, i) => (
        <span key={s.name}>
          <i style={{ background: PALETTE[i % PALETTE.length] }} />
          {s.name || '—'}
        </span>
      ))}
    </div>
  );
}

function Frame({ kind, children, series, empty }: { kind: string; children: ReactNode; series: Series[]; empty: boolean }) {
  return (
    <div data-component={kind} className="chart">
      {empty ? <div className="chart-empty">No data</div> : children}
      <Legend series={series} />
    </div>
  );
}

const W = 560;
const H = 200;
const PAD = { l: 56, r: 8, t: 8, b: 28 };

function scaleY(max: number, min: number) {
  const span = max - min || 1;
  return (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - (v - min) / span);
}

function compact(v: number): string {
  return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

function Axes({ max, min, xs }: { max: number; min: number; xs: string[] }) {
  const y = scaleY(max, min);
  const ticks = [min, (min + max) / 2, max];
  const step = Math.max(1, Math.ceil(xs.length / 8));
  const band = (W - PAD.l - PAD.r) / Math.max(xs.length, 1);
  return (
    <g className="chart-axes">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} />
          <text x={PAD.l - 6} y={y(t) + 4} textAnchor="end">{compact(t)}</text>
        </g>
      ))}
      {xs.map((x, i) =>
        i % step === 0 ? (
          <text key={x + i} x={PAD.l + band * i + band / 2} y={H - 8} textAnchor="middle">{x}</text>
        ) : null,
      )}
    </g>
  );
}

export function BarChartStandIn({ series, kind }: { series: Series[]; kind: string }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => label(p.x))))];
  const values = series.flatMap((s) => s.points.map((p) => p.y));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const y = scaleY(max, min);
  const band = (W - PAD.l - PAD.r) / Math.max(xs.length, 1);
  const barW = (band * 0.7) / Math.max(series.length, 1);
  return (
    <Frame kind={kind} series={series} empty={values.length === 0}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="bar chart">
        <Axes max={max} min={min} xs={xs} />
        {series.map((s, si) =>
          s.points.map((p) => {
            const i = xs.indexOf(label(p.x));
            const top = y(Math.max(p.y, 0));
            return (
              <rect
                key={`${si}-${i}`}
                x={PAD.l + band * i + band * 0.15 + barW * si}
                y={top}
                width={barW}
                height={Math.abs(y(p.y) - y(0))}
                fill={PALETTE[si % PALETTE.length]}
              >
                <title>{`${s.name ? `${s.name} · ` : ''}${label(p.x)}: ${p.y}`}</title>
              </rect>
            );
          }),
        )}
      </svg>
    </Frame>
  );
}

export function LineChartStandIn({ series, kind, small }: { series: Series[]; kind: string; small?: boolean }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => label(p.x))))];
  const values = series.flatMap((s) => s.points.map((p) => p.y));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const y = scaleY(max, min);
  const band = (W - PAD.l - PAD.r) / Math.max(xs.length, 1);
  const svg = (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="line chart" className={small ? 'sparkline' : undefined}>
      {!small && <Axes max={max} min={min} xs={xs} />}
      {series.map((s, si) => (
        <polyline
          key={s.name}
          fill="none"
          strokeWidth={small ? 6 : 2}
          stroke={PALETTE[si % PALETTE.length]}
          points={s.points.map((p) => `${PAD.l + band * xs.indexOf(label(p.x)) + band / 2},${y(p.y)}`).join(' ')}
        />
      ))}
    </svg>
  );
  if (small) return <span data-component={kind} className="chart chart-small">{svg}</span>;
  return (
    <Frame kind={kind} series={series} empty={values.length === 0}>
      {svg}
    </Frame>
  );
}

export function MeterChartStandIn({ data }: { data: { label: string; value: number }[] }) {
  const total = data.reduce((sum, d) => sum + Math.max(0, d.value), 0) || 1;
  return (
    <div data-component="MeterChart" className="chart">
      <div className="meter">
        {data.map((d, i) => (
          <span key={d.label} title={`${d.label}: ${d.value}`} style={{ width: `${(Math.max(0, d.value) / total) * 100}%`, background: PALETTE[i % PALETTE.length] }} />
        ))}
      </div>
      <Legend series={data.map((d) => ({ name: `${d.label}: ${d.value}`, points: [] }))} />
    </div>
  );
}
