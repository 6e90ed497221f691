// A time range split for the daily rollups (invoice_daily_totals, invoice_collection_days): the
// whole UTC days inside it, read from the rollup, and the partial days at its edges, read from the
// invoices themselves, so a figure is exactly that of a scan of every invoice.
const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export interface WholeDays {
  /** whole days [from, to) as YYYY-MM-DD (an open end is null); null when the range holds no whole day */
  days: { from: string | null; to: string | null } | null;
  /** the partial days at the edges, [start, end) */
  edges: [Date, Date][];
}

export function wholeDays(from: Date | undefined, to: Date | undefined): WholeDays {
  const dayFrom = from ? Math.ceil(from.getTime() / DAY_MS) * DAY_MS : null;
  const dayTo = to ? Math.floor(to.getTime() / DAY_MS) * DAY_MS : null;
  if (from && to && dayFrom! > dayTo!) return { days: null, edges: [[from, to]] };
  const edges: [Date, Date][] = [];
  if (from && from.getTime() < dayFrom!) edges.push([from, new Date(dayFrom!)]);
  if (to && dayTo! < to.getTime()) edges.push([new Date(dayTo!), to]);
  return { days: { from: dayFrom === null ? null : isoDay(dayFrom), to: dayTo === null ? null : isoDay(dayTo) }, edges };
}
