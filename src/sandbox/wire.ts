import type { AccountBasics, AccountSummary, TransactionRange } from './data/bank';
import { compactDate, isoDate } from './data/dates';
import { AMOUNT_SCALE, PRICE_SCALE, paddedDecimal, plainDecimal } from './data/decimal';
import type { Transaction } from './data/model';

/**
 * Writes the API's JSON by hand. Amounts never pass through a JS number: 'document' writes them as
 * raw number literals built from exact decimal strings (so an 18-digit amount keeps every digit),
 * 'woori' as Woori's zero-padded decimal strings. Key order follows the reference (§2).
 */

/** 'document': the document's examples. 'woori': Woori's Swagger and 2021 README variants. */
export type WireFormat = 'document' | 'woori';

/** The whole response: `dataHeader` with the global id (plus any extra fields), then `dataBody`. */
export function envelope(globalId: string, dataBody: string, extraHeader = ''): string {
  return `{"dataHeader":{"GLBL_ID":"${globalId}"${extraHeader}},"dataBody":${dataBody}}`;
}

/** The same, around a `dataBody` already written as chunks of bytes. */
export function envelopeChunks(globalId: string, dataBody: Buffer[]): Buffer[] {
  return [Buffer.from(`{"dataHeader":{"GLBL_ID":"${globalId}"},"dataBody":`), ...dataBody, Buffer.from('}')];
}

export function errorEnvelope(globalId: string, code: string, message: string): string {
  return envelope(globalId, '{}', `,"RSP_CD":"${code}","RSP_MSG":${quote(message)}`);
}

export function accountListBody(summaries: readonly AccountSummary[], format: WireFormat): string {
  const rows = summaries.map((summary) => accountRow(summary, format));
  return `{"GRID_CNT":${count(rows.length, format)},"GRID":[${rows.join(',')}]}`;
}

function accountRow(summary: AccountSummary, format: WireFormat): string {
  const { account } = summary;
  const woori = format === 'woori';
  const date = woori ? isoDate : compactDate;
  const maturesOn = summary.maturesOn === null ? '' : date(summary.maturesOn);
  const head =
    `{"ACNO":"${account.number}","PDCD":"${account.product.code}","PRD_NM":${quote(account.product.name)},` +
    `"CUCD":"${account.product.currency}","PBOK_BAL":${amount(summary.balance, format)},` +
    `"WDR_AVL_AM":${amount(summary.withdrawable, format)},"NEW_DT":"${date(account.openedOn)}",` +
    `"LST_TRN_DT":"${date(summary.lastTransactionOn)}","XPR_DT":"${maturesOn}",` +
    `"ADNT_RGS_YN":"${account.accidentRegistered}","ACCT_KND":"${account.product.accountKind}"`;
  if (!woori) return `${head}}`;
  const foreignBalance = account.product.currency === 'KRW' ? 0n : summary.balance;
  return (
    `${head},"FAXC_BAL":${amount(foreignBalance, format)},"PSKL_ACT_YN":"${account.passbookless ? 'Y' : 'N'}",` +
    `"ACT_STCD":"A"}`
  );
}

/** Basics always spell the tax field `TXTR_PDCD`, as every example does. */
export function basicsBody(basics: AccountBasics, format: WireFormat): string {
  const { account } = basics;
  return (
    `{"ACNO":"${account.number}","ACT_STS":"01","CUCD":"${account.product.currency}",` +
    `"PDCD":"${account.product.code}","CT_BAL":${amount(basics.balance, format)},` +
    `"NEW_DT":"${compactDate(account.openedOn)}",` +
    `"XPR_DT":"${basics.maturesOn === null ? '' : compactDate(basics.maturesOn)}",` +
    `"TXTR_PDCD":"${account.taxBenefitCode}","MM_PID_AM":${amount(account.monthlyPayment, format)},` +
    `"TDY_BSPR":${decimal(basics.price, PRICE_SCALE, 11, format)},"TDY_EVL_AM":${amount(basics.valuation, format)},` +
    `"IVST_PRN":${amount(basics.principal, format)},"SMPL_PRFT_RT":${decimal(basics.returnRate, AMOUNT_SCALE, 8, format)},` +
    `"CT_ATCNT_BAL":${amount(basics.heldUnits, format)},"LST_LN_PCS_AM":${amount(account.loanPrincipal, format)}}`
  );
}

/**
 * A ledger written once per wire format: every row followed by a comma, in one buffer, with the
 * offset where each row starts. Ledgers never change, so any range of any size is then a
 * zero-copy slice: the 100,000-row answer costs a few milliseconds after the first one.
 */
interface RenderedLedger {
  bytes: Buffer;
  /** offsets[i] is where row i starts; offsets[rows.length] is the end. */
  offsets: Uint32Array;
}

const rendered = new WeakMap<readonly Transaction[], Partial<Record<WireFormat, RenderedLedger>>>();

/** The `dataBody` of a transaction list, as chunks to write one after the other. */
export function transactionsBody(range: TransactionRange, currency: string, format: WireFormat): Buffer[] {
  const { rows, start, end } = range;
  let byFormat = rendered.get(rows);
  if (!byFormat) {
    byFormat = {};
    rendered.set(rows, byFormat);
  }
  const ledger = (byFormat[format] ??= renderLedger(rows, currency, format));
  const grid =
    end > start ? ledger.bytes.subarray(ledger.offsets[start], ledger.offsets[end] - 1) : Buffer.alloc(0);
  return [Buffer.from(`{"GRID_CNT":${count(end - start, format)},"GRID":[`), grid, Buffer.from(']}')];
}

/**
 * Rows are built as "binary" strings, whose characters are the UTF-8 bytes of the JSON (memos and
 * names are stored that way, see `utf8Literal`): such strings stay one byte per character, batch
 * cheaply, and are copied into the buffer by a plain latin1 write with no encoding work.
 */
const RENDER_BATCH = 512;

function renderLedger(rows: readonly Transaction[], currency: string, format: WireFormat): RenderedLedger {
  const writeRow = format === 'woori' ? wooriTransaction : documentTransaction;
  const offsets = new Uint32Array(rows.length + 1);
  let bytes = Buffer.allocUnsafe(Math.max(4096, rows.length * 400));
  let length = 0;
  for (let first = 0; first < rows.length; first += RENDER_BATCH) {
    const last = Math.min(rows.length, first + RENDER_BATCH);
    const parts: string[] = new Array(last - first);
    let end = length;
    for (let i = first; i < last; i += 1) {
      const text = writeRow(rows[i], currency);
      offsets[i] = end;
      end += text.length + 1;
      parts[i - first] = text;
    }
    const batch = parts.join(',') + ',';
    if (length + batch.length > bytes.length) {
      const grown = Buffer.allocUnsafe(bytes.length * 2 + batch.length);
      bytes.copy(grown, 0, 0, length);
      bytes = grown;
    }
    length += bytes.write(batch, length, 'latin1');
  }
  offsets[rows.length] = length;
  return { bytes: bytes.subarray(0, length), offsets };
}

function documentTransaction(row: Transaction, currency: string): string {
  const kind = row.kind;
  return (
    `{"TRN_DT":"${compactDate(row.day)}","TRN_TM":"${row.time}","CUCD":"${currency}",` +
    `"PBOK_PRNG_OTLN_CD":"${kind.summaryCode}","DPS_RAP_KDCD":"${kind.depositKindCode}","MD_KDCD":"${kind.channelCode}",` +
    `"RCV_AM":${plainDecimal(row.deposit)},"PAY_AM":${plainDecimal(row.withdrawal)},"DPS_BAL":${plainDecimal(row.balance)},` +
    `"TRN_TXT":${utf8Literal(row.memo)},"RQSPE_NM":${utf8Literal(row.counterparty)},"PID_SQ":${row.installment},` +
    `"TRN_STCD":"1"}`
  );
}

function wooriTransaction(row: Transaction, currency: string): string {
  const kind = row.kind;
  return (
    `{"TRN_DT":"${compactDate(row.day)}","TRN_TM":"${row.time}","CUCD":"${currency}",` +
    `"PBOK_PRNG_OTLN_CD":"${kind.summaryCode}","DPS_RAP_KDCD":"${kind.depositKindCode}","MD_KDCD":"${kind.channelCode}",` +
    `"RCV_AM":"${paddedDecimal(row.deposit, AMOUNT_SCALE, 15)}","PAY_AM":"${paddedDecimal(row.withdrawal, AMOUNT_SCALE, 15)}",` +
    `"DPS_BAL":"${paddedDecimal(row.balance, AMOUNT_SCALE, 15)}","TRN_TXT":${utf8Literal(row.memo, true)},` +
    `"RQSPE_NM":${utf8Literal(row.counterparty)},"PID_SQ":"${String(row.installment).padStart(6, '0')}","TRN_STCD":"1"}`
  );
}

/** D(18) amounts: `71888` or `"000000000071888.000"`. */
function amount(value: bigint, format: WireFormat): string {
  return decimal(value, AMOUNT_SCALE, 15, format);
}

function decimal(value: bigint, scale: number, intDigits: number, format: WireFormat): string {
  return format === 'woori' ? `"${paddedDecimal(value, scale, intDigits)}"` : plainDecimal(value, scale);
}

/** GRID_CNT: a number, or Woori's 18-digit zero-padded string. */
function count(value: number, format: WireFormat): string {
  return format === 'woori' ? `"${String(value).padStart(18, '0')}"` : String(value);
}

const quoted = new Map<string, string>();

/** A JSON string literal, cached: memos and names come from small vocabularies. */
function quote(text: string): string {
  let literal = quoted.get(text);
  if (literal === undefined) {
    literal = JSON.stringify(text);
    if (quoted.size < 10_000) quoted.set(text, literal);
  }
  return literal;
}

/** TRN_TXT is S(40) counted the mainframe way: two columns for every non-ASCII character. */
const MEMO_WIDTH = 40;
const utf8Literals = new Map<string, string>();
const paddedUtf8Literals = new Map<string, string>();

/**
 * A JSON string literal as a "binary" string (one character per UTF-8 byte), cached: memos and
 * names come from small vocabularies. `padded` pads a memo with spaces as Woori's format does.
 */
function utf8Literal(text: string, padded = false): string {
  const cache = padded ? paddedUtf8Literals : utf8Literals;
  let literal = cache.get(text);
  if (literal === undefined) {
    let value = text;
    if (padded) {
      let width = 0;
      for (const char of text) width += char.charCodeAt(0) < 128 ? 1 : 2;
      value += ' '.repeat(Math.max(0, MEMO_WIDTH - width));
    }
    literal = Buffer.from(JSON.stringify(value), 'utf8').toString('latin1');
    if (cache.size < 10_000) cache.set(text, literal);
  }
  return literal;
}
