/**
 * Calendar dates as day numbers (days since 1970-01-01), which makes ranges, spans and binary
 * search plain integer arithmetic. Every date in the sandbox is a Korea Standard Time calendar
 * date; KST has no daylight saving, so "today in KST" is the UTC date of now + 9 hours.
 */

const MS_PER_DAY = 86_400_000;
const KST_OFFSET_MS = 9 * 3_600_000;

export function dayOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function calendarOf(dayNumber: number): CalendarDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Parses `YYYYMMDD`; undefined when it is not 8 digits or not a real calendar date. */
export function parseCompactDate(text: string): number | undefined {
  if (!/^\d{8}$/.test(text)) return undefined;
  return validDay(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
}

/** Parses `YYYY-MM-DD`; undefined when malformed or not a real calendar date. */
export function parseIsoDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  return validDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

function validDay(year: number, month: number, day: number): number | undefined {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return undefined;
  const result = dayOf(year, month, day);
  const back = calendarOf(result);
  return back.month === month && back.day === day ? result : undefined;
}

const compactCache = new Map<number, string>();

/** `YYYYMMDD`, cached: the transaction writer asks for the same few hundred days many times. */
export function compactDate(dayNumber: number): string {
  let text = compactCache.get(dayNumber);
  if (text === undefined) {
    const { year, month, day } = calendarOf(dayNumber);
    text = `${year}${pad2(month)}${pad2(day)}`;
    compactCache.set(dayNumber, text);
  }
  return text;
}

export function isoDate(dayNumber: number): string {
  const compact = compactDate(dayNumber);
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** Today's calendar date in Korea Standard Time, `YYYY-MM-DD`. */
export function todayInKst(nowMs: number): string {
  return isoDate(kstInstant(nowMs).day);
}

/** A moment in Korea Standard Time: a day number and whole seconds since that day's midnight. */
export interface Instant {
  day: number;
  seconds: number;
}

const LAST_SECOND = 86_399;

/** The KST instant of epoch milliseconds `nowMs`, to the second (rounded down). */
export function kstInstant(nowMs: number): Instant {
  const ms = nowMs + KST_OFFSET_MS;
  const day = Math.floor(ms / MS_PER_DAY);
  return { day, seconds: Math.floor((ms - day * MS_PER_DAY) / 1000) };
}

/**
 * Where the sandbox's ledgers end, for a sandbox whose `today` is `today` and that starts at
 * `nowMs`. A `today` already over in KST ends at its last second (a pinned past date gives the same
 * data whatever the clock says). Otherwise the ledgers end at the start's time of day on `today`:
 * for the real today that is the start instant itself, so no transaction is ever later than the
 * moment the sandbox started, and none appears while it runs (restart it for newer ones).
 */
export function ledgerEnd(today: number, nowMs: number): Instant {
  const now = kstInstant(nowMs);
  return { day: today, seconds: today < now.day ? LAST_SECOND : now.seconds };
}

/** Whether a moment (day, seconds) is later than `instant`. */
export function isAfter(day: number, seconds: number, instant: Instant): boolean {
  return day > instant.day || (day === instant.day && seconds > instant.seconds);
}

/** ISO 8601 with the KST offset, e.g. `2019-01-10T10:56:55+09:00`. */
export function isoInstant(instant: Instant): string {
  const time = compactTime(instant.seconds);
  return `${isoDate(instant.day)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}+09:00`;
}

/** The same day of the month `months` later, clamped to the month's last day. */
export function addMonths(dayNumber: number, months: number): number {
  const { year, month, day } = calendarOf(dayNumber);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = calendarOf(dayOf(targetYear, targetMonth + 1, 1) - 1).day;
  return dayOf(targetYear, targetMonth, Math.min(day, lastDay));
}

/** The first day of the month after the one holding `dayNumber`. */
export function firstOfNextMonth(dayNumber: number): number {
  const { year, month } = calendarOf(dayNumber);
  return dayOf(year, month + 1, 1);
}

/** `HHmmss` from seconds since midnight. */
export function compactTime(seconds: number): string {
  return pad2(Math.floor(seconds / 3600)) + pad2(Math.floor(seconds / 60) % 60) + pad2(seconds % 60);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
