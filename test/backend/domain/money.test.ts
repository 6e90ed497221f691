import { DomainError } from '../../../backend/domain/errors.js';
import { currencyExponent, formatMinorUnits, normalizeCurrency, toMinorUnits } from '../../../backend/domain/money.js';

describe('money', () => {
  it.each([
    ['29.00', 'EUR', 2900],
    ['29', 'eur', 2900],
    ['0.1', 'USD', 10],
    ['1000', 'JPY', 1000],
    ['1000.00', 'JPY', 1000],
    ['1.234', 'KWD', 1234],
    ['12.5', 'KWD', 12500],
    ['-29.00', 'EUR', -2900],
    ['-0.00', 'EUR', 0],
    ['9007199254740.99', 'USD', 900719925474099],
    // floating point would give 1914.9999999999998 for 19.15 * 100
    ['19.15', 'EUR', 1915],
  ])('%s %s -> %d minor units', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it('knows ISO 4217 exponents', () => {
    expect([currencyExponent('JPY'), currencyExponent('eur'), currencyExponent('KWD'), currencyExponent('BHD')]).toEqual([0, 2, 3, 3]);
  });

  it.each([
    ['1.5', 'JPY'],
    ['29.001', 'EUR'],
    ['1.2345', 'KWD'],
    ['', 'EUR'],
    ['abc', 'EUR'],
    ['1e3', 'EUR'],
    ['1,00', 'EUR'],
    ['.5', 'EUR'],
    [' ', 'EUR'],
    ['99999999999999999', 'USD'],
    [29, 'EUR'],
    [null, 'EUR'],
    ['10.00', 'XYZ'],
    ['10.00', 'EURO'],
    ['10.00', ''],
  ])('refuses %j %j with an invalid error', (value, currency) => {
    let err: unknown;
    try {
      toMinorUnits(value, currency);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe('invalid');
  });

  it('normalizes currency codes to lower case', () => {
    expect(normalizeCurrency('KWD')).toBe('kwd');
  });

  it.each([
    [2900, 'eur', '29.00'],
    [5, 'usd', '0.05'],
    [-5, 'usd', '-0.05'],
    [0, 'usd', '0.00'],
    [1000, 'jpy', '1000'],
    [-1000, 'jpy', '-1000'],
    [1234, 'kwd', '1.234'],
    [7, 'kwd', '0.007'],
    [900719925474099, 'usd', '9007199254740.99'],
  ])('%d %s -> %s in major units', (amount, currency, expected) => {
    expect(formatMinorUnits(amount, currency)).toBe(expected);
    // and back
    expect(toMinorUnits(expected, currency)).toBe(amount);
  });
});
