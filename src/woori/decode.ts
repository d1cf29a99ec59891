import { errorFromFailure, traceIdOf } from './classify';
import type { AccountBasics, AccountSummary, IsoDate, TransactionRecord } from './domain';
import { DecodeError, type WooriOperation } from './errors';
import { StreamedGrid } from './stream-parse';
import {
  optionalDate,
  optionalDecimal,
  optionalInteger,
  optionalText,
  optionalYesNo,
  requiredDate,
  requiredDecimal,
  requiredText,
  requiredTime,
} from './values';

/**
 * Decoding at the boundary: upstream JSON in, domain objects out (exact decimal strings, ISO
 * dates, `null` for `""`). Nothing past this module sees `PBOK_BAL` or `"000000000071888.000"`.
 *
 * The one way to decode an answer, for the client, the tests and the benchmark alike, from its
 * whole text or from its bytes as they arrive (the same readers, the same errors):
 *
 *     decodeAnswer('listTransactions', parseBody(text), readTransactions)
 *
 *     const parser = new GridStreamParser(transactionOfRow);
 *     for await (const chunk of body) parser.write(chunk);
 *     decodeAnswer('listTransactions', parser.end(), readTransactions)
 *
 * - `parseBody` (from `parse.ts`): text to a value, choosing `JSON.parse` or the lossless parser;
 * - `GridStreamParser` (from `stream-parse.ts`): bytes to a value, the rows of `dataBody.GRID`
 *   read one batch at a time by a row reader as they arrive, so that the text, the tree and the
 *   records never all live at once;
 * - `decodeAnswer`: applies an operation's reader to the answer's `dataBody` and turns a
 *   `DecodeError` into the operation's UPSTREAM_ERROR `WooriError`;
 * - the readers (`readAccountList`, `readAccountBasics`, `readTransactions`): one per operation,
 *   each field read by the value parsers of `values.ts`.
 *
 * A row of a list is read by a plain function of the row alone (`accountOfRow`, `transactionOfRow`),
 * the row readers that `GridStreamParser` takes.
 */

export { parseBody } from './parse';
export { GridStreamParser, StreamedGrid, type RowReader } from './stream-parse';

const { isArray } = Array;

/**
 * Applies `read` to the `dataBody` of a parsed answer, turning a `DecodeError` into the
 * UPSTREAM_ERROR `WooriError` of `operation` that names the field (with the answer's trace id and
 * `httpStatus`). Throws only `WooriError`s.
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

/** 전계좌조회: the customer's accounts. Throws `DecodeError`; `decodeAnswer` makes it a `WooriError`. */
export function readAccountList(dataBody: Record<string, unknown>): AccountSummary[] {
  return readGrid(dataBody, accountOfRow);
}

/**
 * 계좌기본조회: the basics of one account as of `asOf`. The reference marks `ACNO` optional in the
 * answer: `accountNumber`, the number asked for, stands in for it. Throws `DecodeError`.
 */
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

/** 거래내역조회: transactions, in the upstream's order. Throws `DecodeError`. */
export function readTransactions(dataBody: Record<string, unknown>): TransactionRecord[] {
  return readGrid(dataBody, transactionOfRow);
}

/** One row of the account list's `GRID`. Throws `DecodeError`. */
export function accountOfRow(row: Record<string, unknown>): AccountSummary {
  return {
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
  };
}

/** One row of a transaction list's `GRID`. Throws `DecodeError`. */
export function transactionOfRow(row: Record<string, unknown>): TransactionRecord {
  return {
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
  };
}

/**
 * The `GRID` list of a `dataBody`, each row read by `readRow`. `GRID` may be absent (or null)
 * when `GRID_CNT` is zero. The count is not otherwise checked against the list: Woori's own
 * samples show a zero count beside rows.
 */
function readGrid<T>(dataBody: Record<string, unknown>, readRow: (row: Record<string, unknown>) => T): T[] {
  const count = optionalInteger(dataBody.GRID_CNT, 'GRID_CNT');
  const grid = dataBody.GRID;
  if (grid instanceof StreamedGrid) {
    if (grid.readRow !== readRow) throw new TypeError('GRID was streamed with another row reader');
    if (grid.error) throw grid.error;
    return grid.rows as T[];
  }
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !isArray(value);
}
