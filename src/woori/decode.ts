import { parse as parseLossless } from 'lossless-json';
import { errorFromFailure, traceIdOf } from './classify';
import type { AccountBasics, AccountSummary, Decimal, IsoDate, TransactionRecord } from './domain';
import { DecodeError, type WooriOperation } from './errors';

/**
 * Parsing and decoding at the boundary: upstream JSON text in, domain objects out (exact decimal
 * strings, ISO dates, `null` for `""`). Nothing past this module sees `PBOK_BAL` or
 * `"000000000071888.000"`.
 *
 * Every variant the reference (§4) lists is accepted: amounts as JSON numbers or as zero-padded
 * decimal strings, dates as `YYYYMMDD` or `YYYY-MM-DD`, `TXPR_PDCD` or `TXTR_PDCD`, padded text.
 */

// Builtins held in module constants: inside a `vm` context (jest) every global lookup in a hot
// loop costs several times the work it guards.
const { isSafeInteger, isFinite: isFiniteNumber } = Number;
const { isArray } = Array;

/** A JSON number literal kept as its exact source text (the slow path of `parseBody`). */
export class NumericLiteral {
  constructor(readonly text: string) {}
}

/**
 * A number literal (after `:`, `,` or `[` and optional white space) of 16 or more digits counted
 * across a decimal point, or with a three-digit exponent. Only such a literal can lose precision in
 * `JSON.parse`: a double holds every decimal of 15 significant digits in its normal range. A string
 * holding such a pattern after a `:` matches too; that only costs the slow path. Measured on a
 * 24 MB answer of 100,000 transactions: about 35 ms, against 120-170 ms for `JSON.parse`.
 */
const MAY_LOSE_PRECISION = /[:,[][ \t\n\r]*-?(?:\d(?:\.?\d){15}|[\d.]+[eE][+-]?\d{3})/;
/** Every number as its source text; a repeated key keeps its last value, as in `JSON.parse`. */
const LOSSLESS_OPTIONS = {
  parseNumber: (text: string) => new NumericLiteral(text),
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};
/** A whole text that is one number literal: no `:`, `,` or `[` precedes it. */
const BARE_NUMBER = /^[ \t\n\r]*-?\d/;

/**
 * Parses an upstream body losslessly. When a scan shows that no number literal can lose precision
 * (the usual case) this is plain `JSON.parse`, so numbers arrive as JS numbers; otherwise every
 * number arrives as a `NumericLiteral` holding its source text. Throws `SyntaxError` on bad JSON.
 */
export function parseBody(text: string): unknown {
  return needsLosslessParse(text) ? parseLossless(text, null, LOSSLESS_OPTIONS) : JSON.parse(text);
}

/** Whether `parseBody` takes its slow, lossless path for this text. */
export function needsLosslessParse(text: string): boolean {
  return MAY_LOSE_PRECISION.test(text) || BARE_NUMBER.test(text);
}

/**
 * The whole decoding of a transactions answer, text to records: the unit to benchmark against
 * `JSON.parse` on the same bytes.
 */
export function decodeTransactionsText(text: string): TransactionRecord[] {
  return decodeTransactions(parseBody(text));
}

/**
 * An amount as a canonical exact decimal string: accepts a JSON number, a `NumericLiteral`, or a
 * numeric string with any zero or space padding (`"000000005014052.000"` → `"5014052"`,
 * `"-0000100.50"` → `"-100.5"`). `""`, `null` and `undefined` are `null`. Throws `DecodeError`
 * on anything else.
 */
export function toDecimal(value: unknown): Decimal | null {
  const decimal = readDecimal(value);
  if (decimal === undefined) throw new DecodeError('', 'a decimal number');
  return decimal;
}

/** A date as ISO `YYYY-MM-DD`, from `YYYYMMDD` or `YYYY-MM-DD`; `""` is `null`. Throws `DecodeError`. */
export function toIsoDate(value: unknown): IsoDate | null {
  const date = readDate(value);
  if (date === undefined) throw new DecodeError('', 'a date (YYYYMMDD)');
  return date;
}

/** A time as `HH:mm:ss`, from `HHmmss` or `HH:mm:ss`; `""` is `null`. Throws `DecodeError`. */
export function toTime(value: unknown): string | null {
  const time = readTime(value);
  if (time === undefined) throw new DecodeError('', 'a time (HHmmss)');
  return time;
}

/** 전계좌조회: the parsed response body (`{dataHeader, dataBody}`) as account summaries. */
export function decodeAccountList(body: unknown): AccountSummary[] {
  return decodeAnswer('listAccounts', body, readAccountList);
}

/**
 * 계좌기본조회: the parsed response body as the basics of one account as of `asOf`. The reference
 * marks `ACNO` optional in the answer: `accountNumber`, the number asked for, stands in for it.
 */
export function decodeAccountBasics(body: unknown, asOf: IsoDate, accountNumber?: string): AccountBasics {
  return decodeAnswer('getAccountBasics', body, (dataBody) =>
    readAccountBasics(dataBody, asOf, accountNumber),
  );
}

/** 거래내역조회: the parsed response body as transactions, in the upstream's order. */
export function decodeTransactions(body: unknown): TransactionRecord[] {
  return decodeAnswer('listTransactions', body, readTransactions);
}

/**
 * Applies a reader to the `dataBody` of a parsed answer, turning a `DecodeError` into the
 * UPSTREAM_ERROR `WooriError` of `operation` (with the answer's trace id and `httpStatus`).
 */
export function decodeAnswer<T>(
  operation: WooriOperation,
  body: unknown,
  read: (dataBody: Record<string, unknown>) => T,
  httpStatus?: number,
): T {
  try {
    if (!isRecord(body) || !isRecord(body.dataBody)) throw new DecodeError('dataBody', 'an object');
    return read(body.dataBody);
  } catch (error) {
    const located =
      error instanceof DecodeError && !error.field.startsWith('dataBody')
        ? new DecodeError(`dataBody.${error.field}`, error.expected)
        : error;
    throw errorFromFailure(operation, located, { traceId: traceIdOf(body), httpStatus });
  }
}

// The readers name each field statically (`row.PBOK_BAL`, not `row[key]`): rows parsed by
// `JSON.parse` share one hidden class, so these reads stay monomorphic over 100,000 rows.

/** Reads the `dataBody` of 전계좌조회. Throws `DecodeError`; `decodeAnswer` makes it a `WooriError`. */
export function readAccountList(dataBody: Record<string, unknown>): AccountSummary[] {
  return readGrid(dataBody, (row) => ({
    number: requiredText(row.ACNO, 'ACNO'),
    productCode: requiredText(row.PDCD, 'PDCD'),
    productName: requiredText(row.PRD_NM, 'PRD_NM'),
    currency: requiredText(row.CUCD, 'CUCD'),
    balance: requiredDecimal(row.PBOK_BAL, 'PBOK_BAL'),
    withdrawableAmount: optionalDecimal(row.WDR_AVL_AM, 'WDR_AVL_AM'),
    openedOn: optionalDate(row.NEW_DT, 'NEW_DT'),
    lastTransactionOn: optionalDate(row.LST_TRN_DT, 'LST_TRN_DT'),
    maturesOn: optionalDate(row.XPR_DT, 'XPR_DT'),
    hasAccidentReport: optionalYesNo(row.ADNT_RGS_YN, 'ADNT_RGS_YN'),
    kindCode: optionalText(row.ACCT_KND, 'ACCT_KND'),
  }));
}

/** Reads the `dataBody` of 계좌기본조회. Throws `DecodeError`; `decodeAnswer` makes it a `WooriError`. */
export function readAccountBasics(
  body: Record<string, unknown>,
  asOf: IsoDate,
  accountNumber?: string,
): AccountBasics {
  const number = optionalText(body.ACNO, 'ACNO') ?? accountNumber;
  if (number === undefined) throw new DecodeError('ACNO', 'an account number');
  return {
    number,
    asOf,
    statusCode: optionalText(body.ACT_STS, 'ACT_STS'),
    currency: requiredText(body.CUCD, 'CUCD'),
    productCode: optionalText(body.PDCD, 'PDCD'),
    currentBalance: requiredDecimal(body.CT_BAL, 'CT_BAL'),
    openedOn: optionalDate(body.NEW_DT, 'NEW_DT'),
    maturesOn: optionalDate(body.XPR_DT, 'XPR_DT'),
    taxBenefitProductCode:
      optionalText(body.TXPR_PDCD, 'TXPR_PDCD') ?? optionalText(body.TXTR_PDCD, 'TXTR_PDCD'),
    monthlyPayment: optionalDecimal(body.MM_PID_AM, 'MM_PID_AM'),
    todayBasePrice: optionalDecimal(body.TDY_BSPR, 'TDY_BSPR'),
    todayValuation: optionalDecimal(body.TDY_EVL_AM, 'TDY_EVL_AM'),
    investedPrincipal: optionalDecimal(body.IVST_PRN, 'IVST_PRN'),
    simpleReturnRate: optionalDecimal(body.SMPL_PRFT_RT, 'SMPL_PRFT_RT'),
    currentUnits: optionalDecimal(body.CT_ATCNT_BAL, 'CT_ATCNT_BAL'),
    lastLoanPrincipal: optionalDecimal(body.LST_LN_PCS_AM, 'LST_LN_PCS_AM'),
  };
}

/** Reads the `dataBody` of 거래내역조회. Throws `DecodeError`; `decodeAnswer` makes it a `WooriError`. */
export function readTransactions(dataBody: Record<string, unknown>): TransactionRecord[] {
  return readGrid(dataBody, (row) => ({
    date: requiredDate(row.TRN_DT, 'TRN_DT'),
    time: requiredTime(row.TRN_TM, 'TRN_TM'),
    currency: requiredText(row.CUCD, 'CUCD'),
    passbookSummaryCode: optionalText(row.PBOK_PRNG_OTLN_CD, 'PBOK_PRNG_OTLN_CD'),
    depositKindCode: optionalText(row.DPS_RAP_KDCD, 'DPS_RAP_KDCD'),
    channelCode: optionalText(row.MD_KDCD, 'MD_KDCD'),
    // A row moves money one way; the other side may come empty, which means nothing moved.
    deposit: optionalDecimal(row.RCV_AM, 'RCV_AM') ?? '0',
    withdrawal: optionalDecimal(row.PAY_AM, 'PAY_AM') ?? '0',
    balanceAfter: requiredDecimal(row.DPS_BAL, 'DPS_BAL'),
    memo: optionalText(row.TRN_TXT, 'TRN_TXT'),
    counterparty: optionalText(row.RQSPE_NM, 'RQSPE_NM'),
    installmentNumber: optionalInteger(row.PID_SQ, 'PID_SQ'),
    statusCode: optionalText(row.TRN_STCD, 'TRN_STCD'),
  }));
}

/**
 * The `GRID` list of a `dataBody`, each row read by `readRow`. `GRID` may be absent (or null)
 * when `GRID_CNT` is zero. The count is not otherwise checked against the list: Woori's own
 * samples show a zero count beside rows.
 */
function readGrid<T>(dataBody: Record<string, unknown>, readRow: (row: Record<string, unknown>) => T): T[] {
  const count = optionalInteger(dataBody.GRID_CNT, 'GRID_CNT');
  const grid = dataBody.GRID;
  if (grid === undefined || grid === null || grid === '') {
    if (count !== null && count > 0) throw new DecodeError('GRID', 'a list');
    return [];
  }
  if (!isArray(grid)) throw new DecodeError('GRID', 'a list');
  const rows = new Array<T>(grid.length);
  let i = 0;
  try {
    for (; i < grid.length; i++) {
      const row: unknown = grid[i];
      if (!isRecord(row)) throw new DecodeError('', 'an object');
      rows[i] = readRow(row);
    }
  } catch (error) {
    if (error instanceof DecodeError) {
      throw new DecodeError(`GRID[${i}]${error.field ? '.' + error.field : ''}`, error.expected);
    }
    throw error;
  }
  return rows;
}

function requiredText(value: unknown, field: string): string {
  const text = optionalText(value, field);
  if (text === null) throw new DecodeError(field, 'a non-empty string');
  return text;
}

/** A string trimmed of its padding (spaces, including full-width ones); empty is `null`. */
function optionalText(value: unknown, field: string): string | null {
  if (typeof value === 'string') {
    const text = unpadded(value);
    return text === '' ? null : text;
  }
  if (value === undefined || value === null) return null;
  throw new DecodeError(field, 'a string');
}

function requiredDecimal(value: unknown, field: string): Decimal {
  const decimal = readDecimal(value);
  if (decimal === undefined || decimal === null) throw new DecodeError(field, 'a decimal number');
  return decimal;
}

function optionalDecimal(value: unknown, field: string): Decimal | null {
  const decimal = readDecimal(value);
  if (decimal === undefined) throw new DecodeError(field, 'a decimal number');
  return decimal;
}

function optionalInteger(value: unknown, field: string): number | null {
  if (typeof value === 'number' && isSafeInteger(value)) return value;
  const decimal = readDecimal(value);
  if (decimal === null) return null;
  if (decimal !== undefined && !decimal.includes('.')) {
    const integer = +decimal;
    if (isSafeInteger(integer)) return integer;
  }
  throw new DecodeError(field, 'an integer');
}

function requiredDate(value: unknown, field: string): IsoDate {
  const date = readDate(value);
  if (date === undefined || date === null) throw new DecodeError(field, 'a date (YYYYMMDD)');
  return date;
}

function optionalDate(value: unknown, field: string): IsoDate | null {
  const date = readDate(value);
  if (date === undefined) throw new DecodeError(field, 'a date (YYYYMMDD)');
  return date;
}

function requiredTime(value: unknown, field: string): string {
  const time = readTime(value);
  if (time === undefined || time === null) throw new DecodeError(field, 'a time (HHmmss)');
  return time;
}

function optionalYesNo(value: unknown, field: string): boolean | null {
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
 * form: no leading zeros, no trailing fractional zeros, no `-0`. Hand-written because it runs three
 * times per transaction, a hundred thousand transactions per answer.
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
 * Dates already read, by their upstream text. An answer of 100,000 transactions holds at most a
 * few hundred distinct dates, so a lookup saves parsing and a new string per row. Bounded, since
 * the texts come from outside.
 */
const datesSeen = new Map<string, IsoDate | null>();
const DATES_SEEN_LIMIT = 4096;

/** `YYYYMMDD` or `YYYY-MM-DD` as ISO; `""` (or all zeros, a core-banking "no date") is `null`. */
function readDate(value: unknown): IsoDate | null | undefined {
  if (typeof value !== 'string') return value === undefined || value === null ? null : undefined;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !isArray(value);
}
