/**
 * The stored forms of the upstream's answers: compact, and cheap to read back in part.
 *
 * - The account list and basics: a JSON array of values in a fixed field order (no key names).
 * - Transactions: a small JSON header (`[date, rows, bytes]` per day), a newline, then the rows in
 *   the header's order, each row's fields (the date left out: the header has it) joined by U+001F
 *   and ended by U+001E: about a quarter of the upstream's JSON (a year of 100,000 rows is 7.6 MB). A range of days is read from its byte offsets alone, so a page of one
 *   day of a cached year decodes that day's rows, not 100,000.
 *
 * A field that is null is empty; an empty string is U+001B; a string holding any of U+001B..U+001F
 * is U+001C followed by its JSON (which escapes them). Decoding a list or a day of another shape
 * throws, which the cache treats as a miss; a transaction's fields are split when first read.
 */
import type { AccountBasics, AccountSummary, IsoDate, TransactionRecord } from '../woori/domain';

const FIELD = '\x1f';
const ROW = '\x1e';
const EMPTY = '\x1b';
const QUOTED = '\x1c';
const TIME = /^\d{2}:\d{2}:\d{2}$/;

const ACCOUNT_FIELDS = [
  'number',
  'productCode',
  'productName',
  'currency',
  'balance',
  'withdrawableAmount',
  'openedOn',
  'lastTransactionOn',
  'maturesOn',
  'hasAccidentReport',
  'kindCode',
] as const satisfies readonly (keyof AccountSummary)[];

const BASICS_FIELDS = [
  'number',
  'asOf',
  'statusCode',
  'currency',
  'productCode',
  'currentBalance',
  'openedOn',
  'maturesOn',
  'taxBenefitProductCode',
  'monthlyPayment',
  'todayBasePrice',
  'todayValuation',
  'investedPrincipal',
  'simpleReturnRate',
  'currentUnits',
  'lastLoanPrincipal',
] as const satisfies readonly (keyof AccountBasics)[];

type Scalar = string | number | boolean | null;

export function encodeAccounts(list: readonly AccountSummary[]): Buffer {
  return Buffer.from(JSON.stringify(list.map((a) => ACCOUNT_FIELDS.map((f) => a[f]))));
}

export function decodeAccounts(payload: Buffer): AccountSummary[] {
  const rows: unknown = JSON.parse(payload.toString('utf8'));
  if (!Array.isArray(rows)) throw new TypeError('an account list needs an array');
  return rows.map((row) => record<AccountSummary>(ACCOUNT_FIELDS, row));
}

export function encodeBasics(basics: AccountBasics): Buffer {
  return Buffer.from(JSON.stringify(BASICS_FIELDS.map((f) => basics[f])));
}

export function decodeBasics(payload: Buffer): AccountBasics {
  return record<AccountBasics>(BASICS_FIELDS, JSON.parse(payload.toString('utf8')));
}

function record<T>(fields: readonly string[], row: unknown): T {
  if (!Array.isArray(row) || row.length !== fields.length) {
    throw new TypeError(`a stored record needs ${fields.length} values`);
  }
  const out: Record<string, Scalar> = {};
  fields.forEach((field, i) => {
    const value: unknown = row[i];
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new TypeError(`a stored ${field} needs a scalar`);
    }
    out[field] = value as Scalar;
  });
  return out as T;
}

/** One day of a stored transaction list: its date, its rows, and the bytes they take. */
type DayGroup = [date: IsoDate, rows: number, bytes: number];

/** Rows sorted oldest first, packed (see the module's comment). */
export function encodeTransactions(rows: readonly TransactionRecord[]): Buffer {
  const days: DayGroup[] = [];
  const texts: string[] = [];
  let day: string[] = [];
  let date: IsoDate | undefined;
  const endDay = (): void => {
    if (date === undefined) return;
    const text = day.join('');
    days.push([date, day.length, Buffer.byteLength(text)]);
    texts.push(text);
  };
  for (const r of rows) {
    if (r.date !== date) {
      endDay();
      date = r.date;
      day = [];
    }
    day.push(
      time(r.time) +
        FIELD +
        field(r.currency) +
        FIELD +
        field(r.passbookSummaryCode) +
        FIELD +
        field(r.depositKindCode) +
        FIELD +
        field(r.channelCode) +
        FIELD +
        field(r.deposit) +
        FIELD +
        field(r.withdrawal) +
        FIELD +
        field(r.balanceAfter) +
        FIELD +
        field(r.memo) +
        FIELD +
        field(r.counterparty) +
        FIELD +
        (r.installmentNumber === null ? '' : String(r.installmentNumber)) +
        FIELD +
        field(r.statusCode) +
        ROW,
    );
  }
  endDay();
  return Buffer.from(`${JSON.stringify(days)}\n${texts.join('')}`);
}

/**
 * The stored rows dated from `from` to `to` (both inclusive), oldest first. Each row is kept as its
 * packed text and split into fields only when a field other than its date is first read: a page of
 * 50 over a cached year of 100,000 rows splits 50 rows, not 100,000 (and a range's count, its
 * slicing by date and its page order need no field at all).
 */
export function decodeTransactions(payload: Buffer, from: IsoDate, to: IsoDate): TransactionRecord[] {
  const newline = payload.indexOf(0x0a);
  if (newline < 0) throw new TypeError('a stored transaction list needs its header');
  const days: unknown = JSON.parse(payload.toString('utf8', 0, newline));
  if (!Array.isArray(days)) throw new TypeError('a stored transaction list needs its days');
  const out: TransactionRecord[] = [];
  let offset = newline + 1;
  for (const day of days as unknown[]) {
    if (!isDayGroup(day)) throw new TypeError('a stored day needs a date, a count and a size');
    const [date, count, bytes] = day;
    if (date > to) break;
    if (offset + bytes > payload.byteLength) throw new TypeError('a stored transaction list is cut short');
    if (date >= from) {
      const rows = payload.toString('utf8', offset, offset + bytes).split(ROW);
      if (rows.length !== count + 1 || rows[count] !== '') throw new TypeError('a stored day is cut short');
      for (let i = 0; i < count; i++) {
        if (!startsWithTime(rows[i])) {
          throw new TypeError('a stored transaction needs its time first');
        }
        out.push(new PackedTransaction(date, rows[i]));
      }
    }
    offset += bytes;
  }
  return out;
}

/** Whether a packed row starts with `HH:mm:ss` and a separator, checked without making a string. */
function startsWithTime(text: string): boolean {
  if (text.length < 9 || text.charCodeAt(8) !== 0x1f) return false;
  for (let i = 0; i < 8; i++) {
    const c = text.charCodeAt(i);
    if (i === 2 || i === 5 ? c !== 0x3a : c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * A stored row, read in full on first use. The entry it came from was authenticated (AES-GCM) and is
 * of this format's version, so a row that does not split into its fields is a defect of ours: it
 * throws when read rather than being a cache miss.
 */
class PackedTransaction implements TransactionRecord {
  private read?: TransactionRecord;

  constructor(
    readonly date: IsoDate,
    private readonly text: string,
  ) {}

  private get row(): TransactionRecord {
    this.read ??= transaction(this.date, this.text);
    return this.read;
  }

  get time(): string {
    return this.text.slice(0, 8);
  }
  get currency(): string {
    return this.row.currency;
  }
  get passbookSummaryCode(): string | null {
    return this.row.passbookSummaryCode;
  }
  get depositKindCode(): string | null {
    return this.row.depositKindCode;
  }
  get channelCode(): string | null {
    return this.row.channelCode;
  }
  get deposit(): string {
    return this.row.deposit;
  }
  get withdrawal(): string {
    return this.row.withdrawal;
  }
  get balanceAfter(): string {
    return this.row.balanceAfter;
  }
  get memo(): string | null {
    return this.row.memo;
  }
  get counterparty(): string | null {
    return this.row.counterparty;
  }
  get installmentNumber(): number | null {
    return this.row.installmentNumber;
  }
  get statusCode(): string | null {
    return this.row.statusCode;
  }

  /** The plain record, for `JSON.stringify` and for comparing with one. */
  toJSON(): TransactionRecord {
    return this.row;
  }
}

function transaction(date: IsoDate, text: string): TransactionRecord {
  const f = text.split(FIELD);
  if (f.length !== 12 || !TIME.test(f[0])) throw new TypeError('a stored transaction needs 12 fields');
  const installment = f[10] === '' ? null : Number(f[10]);
  if (installment !== null && !Number.isSafeInteger(installment)) {
    throw new TypeError('a stored installment number needs an integer');
  }
  return {
    date,
    time: f[0],
    currency: required(f[1]),
    passbookSummaryCode: optional(f[2]),
    depositKindCode: optional(f[3]),
    channelCode: optional(f[4]),
    deposit: required(f[5]),
    withdrawal: required(f[6]),
    balanceAfter: required(f[7]),
    memo: optional(f[8]),
    counterparty: optional(f[9]),
    installmentNumber: installment,
    statusCode: optional(f[11]),
  };
}

function time(value: string): string {
  if (!TIME.test(value)) throw new TypeError('a transaction time needs HH:mm:ss');
  return value;
}

function field(value: string | null): string {
  if (value === null) return '';
  if (value === '') return EMPTY;
  return holdsSeparator(value) ? QUOTED + JSON.stringify(value) : value;
}

/** Whether `value` holds any of U+001B..U+001F, the characters the packed form gives a meaning. */
function holdsSeparator(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x1b && c <= 0x1f) return true;
  }
  return false;
}

function optional(text: string): string | null {
  if (text === '') return null;
  if (text === EMPTY) return '';
  if (text.charCodeAt(0) === 0x1c) {
    const value: unknown = JSON.parse(text.slice(1));
    if (typeof value !== 'string') throw new TypeError('a stored quoted field needs a string');
    return value;
  }
  return text;
}

function required(text: string): string {
  const value = optional(text);
  if (value === null) throw new TypeError('a stored required field is empty');
  return value;
}

function isDayGroup(value: unknown): value is DayGroup {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    Number.isSafeInteger(value[1]) &&
    Number.isSafeInteger(value[2]) &&
    value[1] >= 0 &&
    value[2] >= 0
  );
}
