/**
 * Calendar days as whole numbers, and today in Korea Standard Time: what the transaction ranges
 * and the cache's freshness classes are counted in. KST has had no daylight saving since 1988, so a
 * day is always 24 hours.
 */
import type { IsoDate } from '../woori/domain';

const MS_PER_DAY = 86_400_000;
const KST_OFFSET_MS = 9 * 3_600_000;

/** Days since 1970-01-01 for a valid ISO date. */
export function toDay(date: IsoDate): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY
  );
}

/**
 * The ISO date of a day number (for years 0000..9999), by arithmetic on the proleptic Gregorian
 * calendar (Howard Hinnant's `civil_from_days`): it runs for every range a request slices, and is
 * several times cheaper than formatting a `Date`.
 */
export function fromDay(day: number): IsoDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Today's date in Korea Standard Time. */
export function todayInKst(now: number = Date.now()): IsoDate {
  return new Date(now + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as an ISO 8601 date and time in Korea Standard Time, to the second: `2019-01-10T10:56:55+09:00`. */
export function instantInKst(ms: number): string {
  return `${new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}
