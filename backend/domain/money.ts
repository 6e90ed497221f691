// Decimal money strings (PayPal's "29.00", "-5.5", "1000") -> integer minor units, by the
// currency's ISO 4217 exponent (JPY 0, EUR 2, KWD 3). Pure string arithmetic: no floating point.
import { invalid } from './errors.js';

const DECIMAL = /^(-)?(\d{1,18})(?:\.(\d{1,18}))?$/;
const KNOWN = new Set(Intl.supportedValuesOf('currency'));

/** Lowercase ISO code of a known currency; anything else is an `invalid` domain error. */
export function normalizeCurrency(code: unknown): string {
  if (typeof code !== 'string' || !/^[A-Za-z]{3}$/.test(code) || !KNOWN.has(code.toUpperCase())) {
    throw invalid(`unknown currency ${JSON.stringify(code)}`);
  }
  return code.toLowerCase();
}

/** Digits after the decimal point for `currency` (ISO 4217, as the runtime's ICU data has them). */
export function currencyExponent(currency: string): number {
  return digitsOf(currencyFormat(normalizeCurrency(currency)));
}

// Intl knows each currency's number of decimals; the one source of them for parsing and display.
const currencyFormat = (currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
const digitsOf = (fmt: Intl.NumberFormat) => fmt.resolvedOptions().maximumFractionDigits ?? 2;

/** Minor units to a display string for messages ("$29.00", "¥1,000"), with the currency's own decimals. */
export function formatMoney(amount: number, currency: string): string {
  const fmt = currencyFormat(currency);
  return fmt.format(amount / 10 ** digitsOf(fmt));
}

/**
 * "29.00" EUR -> 2900, "1000" JPY -> 1000, "1.234" KWD -> 1234. More decimals than the currency
 * has (unless they are zeros), empty or non-numeric strings, and values past 2^53 are refused.
 */
export function toMinorUnits(value: unknown, currency: string): number {
  const exponent = currencyExponent(currency);
  const m = typeof value === 'string' ? DECIMAL.exec(value.trim()) : null;
  if (!m) throw invalid(`amount ${JSON.stringify(value)} is not a decimal number`);
  const [, sign, whole, fraction = ''] = m;
  const extra = fraction.slice(exponent);
  if (/[^0]/.test(extra)) {
    throw invalid(`amount ${value} has more decimals than ${currency.toUpperCase()} allows (${exponent})`);
  }
  const minor = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`amount ${value} is too large`);
  const n = Number(minor);
  return sign && n !== 0 ? -n : n;
}

const exponents = new Map<string, number>();

/**
 * 2900 EUR -> "29.00", 1000 JPY -> "1000", 1234 KWD -> "1.234", -5 USD -> "-0.05". String
 * arithmetic on the integer (no floating point); the exponent is looked up once per currency, as
 * exports format a million amounts.
 */
export function formatMinorUnits(amount: number, currency: string): string {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = currencyExponent(currency);
    exponents.set(currency, exponent);
  }
  if (!Number.isSafeInteger(amount)) throw invalid(`amount ${amount} is not an integer in minor units`);
  const digits = Math.abs(amount).toString();
  const sign = amount < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}
