// Small SVG stand-ins for the SDK's charts (ui: BarChart, LineChart, Sparkline with x/y/color
// channels; ui/next: BarChart, LineChart, SparkLineChart, MeterChart with {x, y, name} data).
// They draw the data honestly (axes, series, legend) without trying to copy Stripe's visuals, and
// honour what the SDK's Channel props ask for: axis labels, value/tick formats (currency), tick
// count on a nice scale, and a tooltip on hover.
import { useState, type ReactNode } from 'react';

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

const W = 720;
const H = 220;
const PAD = { l: 84, r: 8, t: 12, b: 40 };

function scaleY(max: number, min: number) {
  const span = max - min || 1;
  return (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - (v - min) / span);
}

type NumberFormat = { currency?: string; fractionalDigits?: 0 | 'auto'; unit?: string; style?: string } | string | undefined;

/** An axis as the SDK's Channel describes it: `{value, label, format, tickFormat, ticks, nice, zero}`. */
export interface ChannelInfo {
  label?: string;
  format?: NumberFormat;
  tickFormat?: NumberFormat;
  ticks?: number;
  nice?: boolean;
  zero?: boolean;
}

export const channelInfo = (c: ChannelSpec | Record<string, unknown>): ChannelInfo =>
  c && typeof c === 'object' ? (c as ChannelInfo) : {};

/** Formats a value as the channel's format says: a currency (in major units), a unit, or a plain number. */
export function formatValue(v: number, format: NumberFormat, locale = 'en-US'): string {
  if (format && typeof format === 'object' && format.currency) {
    const whole = format.fractionalDigits === 0;
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: format.currency,
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    }).format(v);
  }
  if (format && typeof format === 'object' && format.unit) {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: format.unit }).format(v);
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);
}

/**
 * Round tick values (1, 2 or 5 times a power of ten) covering [min, max] in about `count` steps,
 * as a charting library's "nice" scale does; the axis then ends on the last tick.
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (max === min) max = min + 1;
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = first; t < max + step - step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function Axes({ ticks, min, max, xs, xLabel, yLabel, tickText }: {
  ticks: number[]; min: number; max: number; xs: string[]; xLabel?: string; yLabel?: string; tickText: (v: number) => string;
}) {
  const y = scaleY(max, min);
  const band = (W - PAD.l - PAD.r) / Math.max(xs.length, 1);
  return (
    <g className="chart-axes">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} />
          <text x={PAD.l - 6} y={y(t) + 4} textAnchor="end" className="chart-tick">{tickText(t)}</text>
        </g>
      ))}
      {/* every x value is labelled (a month per bar) */}
      {xs.map((x, i) => (
        <text key={x + i} x={PAD.l + band * i + band / 2} y={H - PAD.b + 16} textAnchor="middle" className="chart-x">{x}</text>
      ))}
      {xLabel ? <text x={PAD.l + (W - PAD.l - PAD.r) / 2} y={H - 4} textAnchor="middle" className="chart-axis-label">{xLabel}</text> : null}
      {yLabel ? (
        <text x={12} y={PAD.t + (H - PAD.t - PAD.b) / 2} textAnchor="middle" className="chart-axis-label"
          transform={`rotate(-90 12 ${PAD.t + (H - PAD.t - PAD.b) / 2})`}>{yLabel}</text>
      ) : null}
    </g>
  );
}

export function BarChartStandIn({ series, kind, x, y: yChannel, tooltip }: {
  series: Series[]; kind: string; x?: ChannelInfo; y?: ChannelInfo; tooltip?: boolean;
}) {
  const [hover, setHover] = useState<{ text: string; left: number; top: number } | null>(null);
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => label(p.x))))];
  const values = series.flatMap((s) => s.points.map((p) => p.y));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values), yChannel?.ticks ?? 4);
  const min = ticks[0];
  const max = ticks[ticks.length - 1];
  const y = scaleY(max, min);
  const band = (W - PAD.l - PAD.r) / Math.max(xs.length, 1);
  const barW = (band * 0.7) / Math.max(series.length, 1);
  const valueText = (v: number) => formatValue(v, yChannel?.format ?? yChannel?.tickFormat);
  const tickText = (v: number) => formatValue(v, yChannel?.tickFormat ?? yChannel?.format);
  return (
    <Frame kind={kind} series={series} empty={values.length === 0}>
      <div className="chart-plot" onMouseLeave={() => setHover(null)}>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={yChannel?.label ? `${yChannel.label} bar chart` : 'bar chart'}>
          <Axes ticks={ticks} min={min} max={max} xs={xs} xLabel={x?.label} yLabel={yChannel?.label} tickText={tickText} />
          {series.map((s, si) =>
            s.points.map((p) => {
              const i = xs.indexOf(label(p.x));
              const top = y(Math.max(p.y, 0));
              const text = `${s.name ? `${s.name} · ` : ''}${label(p.x)}: ${valueText(p.y)}`;
              return (
                <rect
                  key={`${si}-${i}`}
                  data-x={label(p.x)}
                  x={PAD.l + band * i + band * 0.15 + barW * si}
                  y={top}
                  width={barW}
                  // a zero month keeps a sliver, so it can be hovered like the others
                  height={Math.max(1, Math.abs(y(p.y) - y(0)))}
                  fill={PALETTE[si % PALETTE.length]}
                  onMouseEnter={tooltip ? () => setHover({ text, left: ((PAD.l + band * i + band / 2) / W) * 100, top: (top / H) * 100 }) : undefined}
                >
                  <title>{text}</title>
                </rect>
              );
            }),
          )}
        </svg>
        {hover ? (
          <div className="chart-tooltip" role="tooltip" style={{ left: `${hover.left}%`, top: `${hover.top}%` }}>
            {hover.text}
          </div>
        ) : null}
      </div>
    </Frame>
  );
}

export function LineChartStandIn({ series, kind, small }: { series: Series[]; kind: string; small?: boolean }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => label(p.x))))];
  const values = series.flatMap((s) => s.points.map((p) => p.y));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const min = ticks[0];
  const max = ticks[ticks.length - 1];
  const y = scaleY(max, min);
  const band = (W - PAD.l - PAD.r) / Math.max(xs.length, 1);
  const svg = (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="line chart" className={small ? 'sparkline' : undefined}>
      {!small && <Axes ticks={ticks} min={min} max={max} xs={xs} tickText={(v) => formatValue(v, undefined)} />}
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
