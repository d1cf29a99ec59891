import { fromDay, toDay } from '../../src/cache/days';

describe('day numbers', () => {
  it('give the same ISO date as Date does, for every day from 1900 to 2999', () => {
    const first = Date.UTC(1900, 0, 1) / 86_400_000;
    const last = Date.UTC(2999, 11, 31) / 86_400_000;
    let mismatches = 0;
    for (let day = first; day <= last; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (fromDay(day) !== iso || toDay(iso) !== day) mismatches += 1;
    }
    expect(last - first).toBeGreaterThan(400_000);
    expect(mismatches).toBe(0);
  });

  it('round-trip leap days and the epoch', () => {
    expect(fromDay(0)).toBe('1970-01-01');
    expect(fromDay(-1)).toBe('1969-12-31');
    expect(fromDay(toDay('2024-02-29'))).toBe('2024-02-29');
    expect(fromDay(toDay('2000-02-29'))).toBe('2000-02-29');
    expect(fromDay(toDay('2100-03-01') - 1)).toBe('2100-02-28');
  });
});
