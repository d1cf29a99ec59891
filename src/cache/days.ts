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

/** The ISO date of a day number. */
export function fromDay(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Today's date in Korea Standard Time. */
export function todayInKst(now: number = Date.now()): IsoDate {
  return new Date(now + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as an ISO 8601 date and time in Korea Standard Time, to the second: `2019-01-10T10:56:55+09:00`. */
export function instantInKst(ms: number): string {
  return `${new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}
