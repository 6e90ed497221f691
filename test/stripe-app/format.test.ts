import { currencyDigits, formatMoney, formatPeriod, historySource, invoiceLabel, parseAmount } from '../../stripe-app/src/format';
import { rangeToFilter } from '../../stripe-app/src/date-range';

describe('money', () => {
  test('minor-unit digits per currency', () => {
    expect(currencyDigits('usd')).toBe(2);
    expect(currencyDigits('jpy')).toBe(0);
    expect(currencyDigits('kwd')).toBe(3);
  });

  test('formats minor units in the currency and the locale', () => {
    expect(formatMoney(123456, 'usd', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(123456, 'jpy', 'en-US')).toBe('¥123,456');
    expect(formatMoney(1234567, 'kwd', 'en-US')).toBe('KWD\u00a01,234.567');
    expect(formatMoney(123456, 'eur', 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney(-500, 'usd', 'en-US')).toBe('-$5.00');
  });

  test('parses typed amounts into minor units, refusing more decimals than the currency has', () => {
    expect(parseAmount('12.5', 'usd')).toBe(1250);
    expect(parseAmount('1,000.25', 'usd')).toBe(100025);
    expect(parseAmount('1000', 'jpy')).toBe(1000);
    expect(parseAmount('10.5', 'jpy')).toBeNull();
    expect(parseAmount('1.234', 'kwd')).toBe(1234);
    expect(parseAmount('0', 'usd')).toBeNull();
    expect(parseAmount('abc', 'usd')).toBeNull();
  });
});

describe('date range filter', () => {
  const now = new Date(2026, 4, 15, 13, 30); // 15 May 2026, local time

  test('a picked range includes its end day', () => {
    expect(rangeToFilter({ start: new Date(2026, 0, 1, 9), end: new Date(2026, 0, 31, 18) })).toEqual({
      from: new Date(2026, 0, 1).toISOString(),
      to: new Date(2026, 1, 1).toISOString(),
    });
  });

  test('presets resolve against now; all time and no range send nothing', () => {
    expect(rangeToFilter('today', now)).toEqual({ from: new Date(2026, 4, 15).toISOString(), to: new Date(2026, 4, 16).toISOString() });
    expect(rangeToFilter('last7Days', now)).toEqual({ from: new Date(2026, 4, 9).toISOString(), to: new Date(2026, 4, 16).toISOString() });
    expect(rangeToFilter('previousMonth', now)).toEqual({ from: new Date(2026, 3, 1).toISOString(), to: new Date(2026, 4, 1).toISOString() });
    expect(rangeToFilter('previousQuarter', now)).toEqual({ from: new Date(2026, 0, 1).toISOString(), to: new Date(2026, 3, 1).toISOString() });
    expect(rangeToFilter('yearToDate', now)).toEqual({ from: new Date(2026, 0, 1).toISOString(), to: new Date(2026, 4, 16).toISOString() });
    expect(rangeToFilter('last12Months', now)).toEqual({ from: new Date(2025, 4, 16).toISOString(), to: new Date(2026, 4, 16).toISOString() });
    expect(rangeToFilter('allTime', now)).toEqual({});
    expect(rangeToFilter(undefined, now)).toEqual({});
  });
});

describe('labels a person reads', () => {
  const base = { gateway: 'stripe', number: null, status: 'open', tenant: { name: 'Northwind' }, created_at: '2026-03-08T12:00:00.000Z' };

  test('an invoice with a number is named by it', () => {
    expect(invoiceLabel({ ...base, number: 'ACME-0007', external_id: 'in_1Abc' }, 'en-US')).toBe('ACME-0007');
  });

  test('a draft (no number yet) by tenant and date, never its in_… id', () => {
    const label = invoiceLabel({ ...base, status: 'draft', external_id: 'in_DemoNorthwind08' }, 'en-US');
    expect(label).toBe('Draft · Northwind · Mar 8, 2026');
    expect(invoiceLabel({ ...base, status: 'draft', tenant: null, external_id: 'in_X' }, 'en-US')).toBe('Draft · Unassigned · Mar 8, 2026');
  });

  test('a PayPal outstanding balance as such, with the subscription id', () => {
    const pp = { ...base, gateway: 'paypal' };
    expect(invoiceLabel({ ...pp, external_id: 'I-DEMOZEPHYR0001:outstanding' }, 'en-US')).toBe('PayPal subscription balance · I-DEMOZEPHYR0001');
    expect(invoiceLabel({ ...pp, external_id: 'I-DEMOZEPHYR0001:outstanding:2' }, 'en-US')).toBe('PayPal subscription balance · I-DEMOZEPHYR0001');
    expect(invoiceLabel({ ...pp, external_id: 'INV2-ABCD' }, 'en-US')).toBe('PayPal invoice · Northwind · Mar 8, 2026');
  });

  test('history sources: you, an admin, daily scan, Stripe/PayPal event', () => {
    const me = { gateway: 'stripe', userId: 'usr_preview_admin' };
    expect(historySource('user:usr_preview_admin', me)).toBe('you');
    expect(historySource('user:usr_other', me)).toBe('an admin');
    expect(historySource('user:usr_preview_admin', { ...me, userId: null })).toBe('an admin');
    expect(historySource('job:past-due-scan', me)).toBe('daily scan');
    expect(historySource('job:backfill', me)).toBe('import from Stripe');
    expect(historySource('event:evt_1Abc', me)).toBe('Stripe event');
    expect(historySource('event:WH-1AB', { ...me, gateway: 'paypal' })).toBe('PayPal event');
    for (const s of ['user:usr_preview_admin', 'user:usr_x', 'event:evt_1', 'job:other']) {
      expect(historySource(s, me)).not.toMatch(/usr_|evt_/);
    }
  });

  test('a line period as a range', () => {
    expect(formatPeriod('2026-09-01T00:00:00.000Z', '2026-09-30T00:00:00.000Z', 'en-US')).toMatch(/^Sep 1\s–\s30, 2026$/);
    expect(formatPeriod(null, null, 'en-US')).toBe('—');
  });
});
