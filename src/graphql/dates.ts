/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), as whole days. The upstream speaks in Korea
 * Standard Time, which has had no daylight saving since 1988, so a day is always 24 hours.
 */
import type { IsoDate } from '../woori/domain';

const MS_PER_DAY = 86_400_000;
const KST_OFFSET_MS = 9 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 1900;
}

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

/** Inclusive number of days from `from` to `to`. */
export function spanDays(from: IsoDate, to: IsoDate): number {
  return toDay(to) - toDay(from) + 1;
}

/** Today's date in Korea Standard Time. */
export function todayInKst(now: number = Date.now()): IsoDate {
  return new Date(now + KST_OFFSET_MS).toISOString().slice(0, 10);
}
