import {
  addMonths,
  dayOf,
  isoDate,
  isoInstant,
  ledgerEnd,
  parseCompactDate,
  todayInKst,
} from '../../src/sandbox/data/dates';
import { paddedDecimal, parseDecimal, plainDecimal } from '../../src/sandbox/data/decimal';

describe('sandbox decimals', () => {
  it.each([
    ['0', '0', '000000000000000.000'],
    ['71888', '71888', '000000000071888.000'],
    ['100.000', '100', '000000000000100.000'],
    ['2.5', '2.5', '000000000000002.500'],
    ['0.05', '0.05', '000000000000000.050'],
    ['0.001', '0.001', '000000000000000.001'],
    ['12.34', '12.34', '000000000000012.340'],
    ['123456789012345678', '123456789012345678', '123456789012345678.000'],
    ['-71888.5', '-71888.5', '-000000000071888.500'],
  ])('writes %s as %s and %s', (input, plain, padded) => {
    const value = parseDecimal(input);
    expect(plainDecimal(value)).toBe(plain);
    expect(paddedDecimal(value, 3, 15)).toBe(padded);
  });

  it('writes base prices with seven decimals', () => {
    const price = parseDecimal('1588.2643303', 7);
    expect(plainDecimal(price, 7)).toBe('1588.2643303');
    expect(paddedDecimal(price, 7, 11)).toBe('00000001588.2643303');
    expect(paddedDecimal(0n, 7, 11)).toBe('00000000000.0000000');
  });
});

describe('sandbox dates', () => {
  it('parses only real calendar dates', () => {
    expect(parseCompactDate('20240229')).toBe(dayOf(2024, 2, 29));
    expect(parseCompactDate('20230229')).toBeUndefined();
    expect(parseCompactDate('2024022')).toBeUndefined();
  });

  it('adds months clamped to the end of the month', () => {
    expect(isoDate(addMonths(dayOf(2024, 1, 31), 1))).toBe('2024-02-29');
    expect(isoDate(addMonths(dayOf(2024, 11, 15), 36))).toBe('2027-11-15');
  });

  it('knows that KST is nine hours ahead of UTC', () => {
    expect(todayInKst(Date.UTC(2025, 0, 31, 14, 59))).toBe('2025-01-31');
    expect(todayInKst(Date.UTC(2025, 0, 31, 15, 0))).toBe('2025-02-01');
  });

  it.each([
    [
      'ends a day that is over at its last second',
      '2025-11-25',
      '2026-12-02T20:27:00+09:00',
      '2025-11-25T23:59:59+09:00',
    ],
    [
      'ends today at the start, to the second',
      '2026-12-02',
      '2026-12-02T20:27:00.999+09:00',
      '2026-12-02T20:27:00+09:00',
    ],
    ['reads the day in KST, not UTC', '2026-12-02', '2026-12-02T00:30:00+09:00', '2026-12-02T00:30:00+09:00'],
    [
      'treats yesterday in KST as over while UTC still says today',
      '2026-12-01',
      '2026-12-02T08:59:59+09:00',
      '2026-12-01T23:59:59+09:00',
    ],
    [
      'ends a future today at the time of day of the start',
      '2027-01-15',
      '2026-12-02T20:27:00+09:00',
      '2027-01-15T20:27:00+09:00',
    ],
  ])('%s', (_, today, startedAt, end) => {
    expect(
      isoInstant(
        ledgerEnd(
          dayOf(...(today.split('-').map(Number) as [number, number, number])),
          Date.parse(startedAt),
        ),
      ),
    ).toBe(end);
  });
});
