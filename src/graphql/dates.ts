/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), as whole days. The upstream speaks in Korea
 * Standard Time, which has had no daylight saving since 1988, so a day is always 24 hours.
 */
import { toDay } from '../cache/days';
import type { IsoDate } from '../woori/domain';

export { fromDay, toDay, todayInKst } from '../cache/days';

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

/** Inclusive number of days from `from` to `to`. */
export function spanDays(from: IsoDate, to: IsoDate): number {
  return toDay(to) - toDay(from) + 1;
}
