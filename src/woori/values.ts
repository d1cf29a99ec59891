import type { Decimal, IsoDate } from './domain';
import { DecodeError } from './errors';
import { NumericLiteral } from './parse';

/**
 * The field value parsers of the decoder (`decode.ts`): one upstream field value in, its domain
 * form out (an exact decimal string, an ISO date, `HH:mm:ss`, a boolean, trimmed text), `null`
 * for no value (`""`, absent, or padding). Each takes the field's name and throws a `DecodeError`
 * naming it, never the value, which may be personal data.
 *
 * Every variant the reference (§4) lists is accepted: amounts as JSON numbers, as `NumericLiteral`s
 * (see `parse.ts`) or as zero-padded decimal strings; dates as `YYYYMMDD` or `YYYY-MM-DD`; times as
 * `HHmmss` or `HH:mm:ss`; text padded with spaces.
 *
 * These run several times per transaction, a hundred thousand transactions per answer: they are
 * hand-written over char codes and allocate nothing in the common case.
 */

// Builtins held in module constants: inside a `vm` context (jest) every global lookup in a hot
// loop costs several times the work it guards.
const { isSafeInteger, isFinite: isFiniteNumber } = Number;

/** A string trimmed of its padding (spaces, including full-width ones); empty is `null`. */
export function optionalText(value: unknown, field: string): string | null {
  if (typeof value === 'string') {
    const text = unpadded(value);
    return text === '' ? null : text;
  }
  if (value === undefined || value === null) return null;
  throw new DecodeError(field, 'a string');
}

export function requiredText(value: unknown, field: string): string {
  const text = optionalText(value, field);
  if (text === null) throw new DecodeError(field, 'a non-empty string');
  return text;
}

/**
 * An amount as a canonical exact decimal string, from a JSON number, a `NumericLiteral`, or a
 * numeric string with any zero or space padding (`"000000005014052.000"` → `"5014052"`,
 * `"-0000100.50"` → `"-100.5"`). `""`, `null` and `undefined` are `null`.
 */
export function optionalDecimal(value: unknown, field: string): Decimal | null {
  const decimal = readDecimal(value);
  if (decimal === undefined) throw new DecodeError(field, 'a decimal number');
  return decimal;
}

export function requiredDecimal(value: unknown, field: string): Decimal {
  const decimal = readDecimal(value);
  if (decimal === undefined || decimal === null) throw new DecodeError(field, 'a decimal number');
  return decimal;
}

/** A safe integer, from a number or a padded numeric string (`"000012"` → 12); no value is `null`. */
export function optionalInteger(value: unknown, field: string): number | null {
  if (typeof value === 'number' && isSafeInteger(value)) return value;
  const decimal = readDecimal(value);
  if (decimal === null) return null;
  if (decimal !== undefined && !decimal.includes('.')) {
    const integer = +decimal;
    if (isSafeInteger(integer)) return integer;
  }
  throw new DecodeError(field, 'an integer');
}

/** A date as ISO `YYYY-MM-DD`, from `YYYYMMDD` or `YYYY-MM-DD`; `""` or all zeros is `null`. */
export function optionalDate(value: unknown, field: string): IsoDate | null {
  const date = readDate(value);
  if (date === undefined) throw new DecodeError(field, 'a date (YYYYMMDD)');
  return date;
}

export function requiredDate(value: unknown, field: string): IsoDate {
  const date = readDate(value);
  if (date === undefined || date === null) throw new DecodeError(field, 'a date (YYYYMMDD)');
  return date;
}

/** A time as `HH:mm:ss`, from `HHmmss` or `HH:mm:ss`. */
export function requiredTime(value: unknown, field: string): string {
  const time = readTime(value);
  if (time === undefined || time === null) throw new DecodeError(field, 'a time (HHmmss)');
  return time;
}

/** `"Y"` or `"N"` as a boolean; `""`, padding or no value is `null`. */
export function optionalYesNo(value: unknown, field: string): boolean | null {
  if (value === 'Y') return true;
  if (value === 'N') return false;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return null;
  throw new DecodeError(field, '"Y", "N" or ""');
}

/** The canonical decimal of a value; `null` for no value, `undefined` when it is not a number. */
function readDecimal(value: unknown): Decimal | null | undefined {
  if (typeof value === 'number') return decimalOfNumber(value);
  if (typeof value === 'string') return decimalOfText(value);
  if (value instanceof NumericLiteral) return decimalOfText(value.text);
  if (value === undefined || value === null) return null;
  return undefined;
}

/**
 * `String(n)` is the shortest text that reads back as `n`: exactly the literal's digits when it had
 * 15 significant digits or fewer (which `parseBody`'s scan guarantees on its fast path).
 */
function decimalOfNumber(value: number): Decimal | undefined {
  if (isSafeInteger(value)) return '' + value;
  if (!isFiniteNumber(value)) return undefined;
  const text = '' + value;
  return text.includes('e') ? (decimalOfText(text) ?? undefined) : text;
}

const ZERO = 48;
const NINE = 57;
const SPACE = 32;

/**
 * Reads `[sign] digits [. digits] [e [sign] digits]`, padded with zeros or spaces, into canonical
 * form: no leading zeros, no trailing fractional zeros, no `-0`.
 */
function decimalOfText(text: string): Decimal | null | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === SPACE) start++;
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  if (start === end) return null;

  let i = start;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 45 /* - */ || sign === 43 /* + */) {
    negative = sign === 45;
    i++;
  }
  const intStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    fracStart = ++i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return undefined;
  let exponent = 0;
  if (i < end && (text.charCodeAt(i) | 32) === 101 /* e */) {
    const read = readExponent(text, i + 1, end);
    if (read === undefined) return undefined;
    exponent = read;
    i = end;
  }
  if (i !== end) return undefined;

  let first = intStart;
  while (first < intEnd && text.charCodeAt(first) === ZERO) first++;
  let last = fracEnd;
  while (last > fracStart && text.charCodeAt(last - 1) === ZERO) last--;

  let digits: string;
  if (exponent === 0) {
    const whole = first < intEnd ? text.slice(first, intEnd) : '0';
    digits = last > fracStart ? `${whole}.${text.slice(fracStart, last)}` : whole;
    if (digits === '0') return '0';
  } else {
    digits = shiftPoint(text.slice(first, intEnd) + text.slice(fracStart, last), intEnd - first + exponent);
    if (digits === '0') return '0';
  }
  return negative ? `-${digits}` : digits;
}

/** No amount needs more; a larger exponent would expand into an absurdly long decimal. */
const MAX_EXPONENT = 400;

/** The exponent after `e`, bounded so that no text expands into an absurdly long decimal. */
function readExponent(text: string, from: number, end: number): number | undefined {
  let i = from;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 45 || sign === 43) {
    negative = sign === 45;
    i++;
  }
  if (i === end) return undefined;
  let exponent = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    exponent = Math.min(exponent * 10 + (c - ZERO), MAX_EXPONENT + 1);
  }
  if (exponent > MAX_EXPONENT) return undefined;
  return negative ? -exponent : exponent;
}

/** Places a decimal point `point` digits into `digits` (which has no trailing fractional zeros). */
function shiftPoint(digits: string, point: number): string {
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === ZERO) lead++;
  const significant = digits.slice(lead);
  const at = point - lead;
  if (significant === '') return '0';
  let whole: string;
  let fraction: string;
  if (at <= 0) {
    whole = '0';
    fraction = '0'.repeat(-at) + significant;
  } else if (at >= significant.length) {
    whole = significant + '0'.repeat(at - significant.length);
    fraction = '';
  } else {
    whole = significant.slice(0, at);
    fraction = significant.slice(at);
  }
  fraction = fraction.replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * Dates already read, by their upstream text: an answer of 100,000 transactions holds a few hundred
 * distinct dates, so a lookup saves a parse and a new string per row (see the decode benchmark).
 * It is a memo of a pure function, shared across answers and holding nothing about a request, and
 * it is bounded in entries and in bytes: at most `DATES_SEEN_LIMIT` entries (it starts over when
 * full; a miss only costs a parse), each keyed by at most `DATE_KEY_MAX_LENGTH` characters, so that
 * a padded text from outside cannot make it large. Only texts that read as a date (or as no date)
 * are kept.
 */
const datesSeen = new Map<string, IsoDate | null>();
const DATES_SEEN_LIMIT = 4096;
const DATE_KEY_MAX_LENGTH = 10;

/** `YYYYMMDD` or `YYYY-MM-DD` as ISO; `""` (or all zeros, a core-banking "no date") is `null`. */
function readDate(value: unknown): IsoDate | null | undefined {
  if (typeof value !== 'string') return value === undefined || value === null ? null : undefined;
  if (value.length > DATE_KEY_MAX_LENGTH) return parseDate(unpadded(value));
  const seen = datesSeen.get(value);
  if (seen !== undefined) return seen;
  const date = parseDate(unpadded(value));
  if (date !== undefined) {
    if (datesSeen.size >= DATES_SEEN_LIMIT) datesSeen.clear();
    datesSeen.set(value, date);
  }
  return date;
}

function parseDate(text: string): IsoDate | null | undefined {
  if (text === '') return null;
  const dashed = text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45;
  if (text.length !== 8 && !dashed) return undefined;
  const at = dashed ? 1 : 0;
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 4 + at, 2);
  const d = digitsAt(text, 6 + 2 * at, 2);
  if (y === 0 && m === 0 && d === 0) return null;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return dashed ? text : `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** `HHmmss` or `HH:mm:ss` as `HH:mm:ss`; `""` is `null`. */
function readTime(value: unknown): string | null | undefined {
  if (typeof value !== 'string') return value === undefined || value === null ? null : undefined;
  const text = unpadded(value);
  if (text === '') return null;
  const colons = text.length === 8 && text.charCodeAt(2) === 58 && text.charCodeAt(5) === 58;
  if (text.length !== 6 && !colons) return undefined;
  const at = colons ? 1 : 0;
  const h = digitsAt(text, 0, 2);
  const m = digitsAt(text, 2 + at, 2);
  const s = digitsAt(text, 4 + 2 * at, 2);
  if (!(h >= 0 && h <= 23 && m >= 0 && m <= 59 && s >= 0 && s <= 59)) return undefined;
  return colons ? text : `${text.slice(0, 2)}:${text.slice(2, 4)}:${text.slice(4, 6)}`;
}

/** The number written by `length` digits at `from`, or -1 when one of them is not a digit. */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/** The text without surrounding white space; the common unpadded case allocates nothing. */
function unpadded(text: string): string {
  const n = text.length;
  return n > 0 && isPlainAscii(text.charCodeAt(0)) && isPlainAscii(text.charCodeAt(n - 1))
    ? text
    : text.trim();
}

/** A printable ASCII character: never padding, and `trim()` would not remove it. */
function isPlainAscii(code: number): boolean {
  return code > SPACE && code < 127;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}
