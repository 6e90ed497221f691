// Money and date formatting for the views. Amounts arrive as integers in the currency's minor
// unit; Intl knows each currency's ISO 4217 minor-unit digits (jpy 0, usd 2, kwd 3).

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency per ISO 4217 (as Intl reports them). */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      digits = 2; // not an ISO code Intl knows: show two decimals rather than fail the view
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/** The amount in major units (for charts). */
export const toMajorUnits = (amount: number, currency: string) => amount / 10 ** currencyDigits(currency);

/** "$1,234.56", "¥1,235", "KWD 1.235" in the user's locale. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

/**
 * Parses what an admin typed ("12.5", "1,000.25") into minor units; null when it is not a
 * positive amount with at most the currency's decimals.
 */
export function parseAmount(input: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const text = input.trim().replace(/[,\s]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "2026-03" -> "Mar 2026" */
export function formatMonth(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

// --- labels a person reads -----------------------------------------------------------------------

interface Labelled {
  gateway: string;
  external_id: string;
  number: string | null;
  status: string;
  tenant: { name: string } | null;
  created_at: string;
}

const OUTSTANDING = /^(.+):outstanding(?::(\d+))?$/;

/**
 * What names an invoice in a row or a heading: its number; a PayPal subscription's outstanding
 * balance (ledger id `I-…:outstanding[:cycle]`) as such; a draft (no number yet) by tenant and
 * date — never a bare gateway id.
 */
export function invoiceLabel(inv: Labelled, locale: string): string {
  if (inv.number) return inv.number;
  const outstanding = inv.gateway === 'paypal' ? OUTSTANDING.exec(inv.external_id) : null;
  if (outstanding) return `PayPal subscription balance · ${outstanding[1]}`;
  const who = inv.tenant?.name ?? 'Unassigned';
  const when = formatDate(inv.created_at, locale);
  if (inv.status === 'draft') return `Draft · ${who} · ${when}`;
  return `${inv.gateway === 'paypal' ? 'PayPal invoice' : 'Invoice'} · ${who} · ${when}`;
}

/**
 * Who made a history entry: `user:<id>` is "you" for the signed-in user and "an admin" for
 * another; `event:<id>` is an event of the invoice's gateway; `job:<name>` a scheduled job.
 */
export function historySource(source: string, ctx: { gateway: string; userId: string | null | undefined }): string {
  const colon = source.indexOf(':');
  const kind = colon < 0 ? source : source.slice(0, colon);
  const what = colon < 0 ? '' : source.slice(colon + 1);
  if (kind === 'user') return ctx.userId && what === ctx.userId ? 'you' : 'an admin';
  if (kind === 'event') return ctx.gateway === 'paypal' ? 'PayPal event' : 'Stripe event';
  if (kind === 'job') {
    if (what === 'past-due-scan') return 'daily scan';
    if (what === 'backfill') return 'import from Stripe';
    return 'scheduled job';
  }
  return 'the app';
}

/** "Sep 1 – Sep 30, 2026" for a line's period (either end may be missing). */
export function formatPeriod(start: string | null | undefined, end: string | null | undefined, locale: string): string {
  if (!start && !end) return '—';
  if (!start || !end) return formatDate(start ?? end, locale);
  try {
    const f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return f.formatRange(new Date(start), new Date(end));
  } catch {
    return `${formatDate(start, locale)} – ${formatDate(end, locale)}`;
  }
}
