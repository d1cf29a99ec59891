import type { IsoDate } from '../../src/woori/domain';
import {
  decodeAnswer,
  parseBody,
  readAccountBasics,
  readAccountList,
  readTransactions,
} from '../../src/woori/decode';
import { WooriError } from '../../src/woori/errors';
import {
  REFERENCE_ACCOUNTS,
  REFERENCE_BASICS,
  REFERENCE_TRANSACTIONS,
  referenceAccountListBody,
  referenceBasicsBody,
  referenceTransactionsBody,
} from './fixtures';

// Each operation decoded as the client decodes it: its reader applied by `decodeAnswer`.
const accountsOf = (body: unknown) => decodeAnswer('listAccounts', body, readAccountList);
const basicsOf = (body: unknown, asOf: IsoDate, accountNumber?: string) =>
  decodeAnswer('getAccountBasics', body, (dataBody) => readAccountBasics(dataBody, asOf, accountNumber));
const transactionsOf = (body: unknown) => decodeAnswer('listTransactions', body, readTransactions);

/** The error a decoder throws, for assertions on its fields. */
function decodeFailure(decode: () => unknown): WooriError {
  try {
    decode();
  } catch (error) {
    if (error instanceof WooriError) return error;
    throw error;
  }
  throw new Error('expected the decoder to throw');
}

describe('readAccountList', () => {
  it('decodes the reference example', () => {
    expect(accountsOf(referenceAccountListBody('document'))).toEqual(REFERENCE_ACCOUNTS);
  });

  it('decodes the padded-string variant to the same accounts', () => {
    expect(accountsOf(referenceAccountListBody('woori'))).toEqual(REFERENCE_ACCOUNTS);
  });

  it('reads ADNT_RGS_YN "" as unknown and ignores extra fields', () => {
    const body = referenceAccountListBody('woori');
    Object.assign(body.dataBody.GRID[0], { ADNT_RGS_YN: '', FAXC_BAL: '000000000000012.340', ACT_STCD: 'A' });
    const [first] = accountsOf(body);
    expect(first.hasAccidentReport).toBeNull();
    expect(first).not.toHaveProperty('FAXC_BAL');
  });

  it('treats a masked account number as an opaque string', () => {
    const body = referenceAccountListBody('document');
    body.dataBody.GRID[0].ACNO = '10028183*****';
    expect(accountsOf(body)[0].number).toBe('10028183*****');
  });

  it.each([
    [{ GRID_CNT: 0 }],
    [{ GRID_CNT: '000000000000000000' }],
    [{ GRID_CNT: 0, GRID: [] }],
    [{ GRID_CNT: '00000', GRID: null }],
    [{}],
  ])('reads %p as no accounts', (dataBody) => {
    expect(accountsOf({ dataHeader: {}, dataBody })).toEqual([]);
  });

  it('keeps an 18-digit balance exactly', () => {
    const text =
      '{"dataHeader":{},"dataBody":{"GRID_CNT":1,"GRID":[{"ACNO":"1","PDCD":"P","PRD_NM":"N","CUCD":"KRW",' +
      '"PBOK_BAL":123456789012345678,"WDR_AVL_AM":999999999999999999.5}]}}';
    const [account] = accountsOf(parseBody(text));
    expect(account.balance).toBe('123456789012345678');
    expect(account.withdrawableAmount).toBe('999999999999999999.5');
  });

  it('fails with UPSTREAM_ERROR naming the field when a required field is missing', () => {
    const body = referenceAccountListBody('document');
    delete (body.dataBody.GRID[1] as Record<string, unknown>).ACNO;
    const error = decodeFailure(() => accountsOf(body));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', operation: 'listAccounts', retryable: false });
    expect(error.message).toContain('dataBody.GRID[1].ACNO');
  });

  it('fails when GRID is missing but GRID_CNT counts accounts', () => {
    const error = decodeFailure(() => accountsOf({ dataHeader: {}, dataBody: { GRID_CNT: 2 } }));
    expect(error.message).toContain('dataBody.GRID');
  });

  it.each([
    ['PBOK_BAL', true],
    ['PBOK_BAL', 'seventy'],
    ['NEW_DT', '2012-06-31'],
    ['ADNT_RGS_YN', 'X'],
    ['CUCD', 410],
    ['PRD_NM', ''],
  ])('fails when %s is %p', (field, value) => {
    const body = referenceAccountListBody('document');
    (body.dataBody.GRID[0] as Record<string, unknown>)[field] = value;
    const error = decodeFailure(() => accountsOf(body));
    expect(error.kind).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain(`dataBody.GRID[0].${field}`);
  });

  it('fails when there is no dataBody, keeping the trace id', () => {
    const error = decodeFailure(() => accountsOf({ dataHeader: { GLBL_ID: 'trace-1' } }));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', traceId: 'trace-1' });
    expect(error.message).toContain('dataBody');
  });
});

describe('readAccountBasics', () => {
  it('decodes the reference example (TXTR_PDCD spelling)', () => {
    expect(basicsOf(referenceBasicsBody('document'), '2019-01-01')).toEqual(REFERENCE_BASICS);
  });

  it('decodes the padded variant (TXPR_PDCD spelling, dashed dates) to the same basics', () => {
    expect(basicsOf(referenceBasicsBody('woori'), '2019-01-01')).toEqual(REFERENCE_BASICS);
  });

  it('reads a fund base price with seven zero decimals and a USD balance', () => {
    const body = referenceBasicsBody('woori');
    Object.assign(body.dataBody, {
      CUCD: 'USD',
      CT_BAL: '000000000000100.000',
      TDY_BSPR: '00000000001.2345000',
      SMPL_PRFT_RT: '-0000003.25',
      TXPR_PDCD: '   ',
    });
    expect(basicsOf(body, '2019-01-01')).toMatchObject({
      currency: 'USD',
      currentBalance: '100',
      todayBasePrice: '1.2345',
      simpleReturnRate: '-3.25',
      taxBenefitProductCode: null,
    });
  });

  it('prefers TXPR_PDCD and falls back on TXTR_PDCD', () => {
    const body = referenceBasicsBody('document');
    Object.assign(body.dataBody, { TXPR_PDCD: '', TXTR_PDCD: 'T01' });
    expect(basicsOf(body, '2019-01-01').taxBenefitProductCode).toBe('T01');
    Object.assign(body.dataBody, { TXPR_PDCD: 'T02' });
    expect(basicsOf(body, '2019-01-01').taxBenefitProductCode).toBe('T02');
  });

  it('uses the account number asked for when the answer has no ACNO', () => {
    const body = referenceBasicsBody('document');
    delete (body.dataBody as Record<string, unknown>).ACNO;
    expect(basicsOf(body, '2019-01-01', '1002146788200').number).toBe('1002146788200');
    expect(decodeFailure(() => basicsOf(body, '2019-01-01')).message).toContain('dataBody.ACNO');
  });

  it('fails on a missing balance with the field in the message', () => {
    const body = referenceBasicsBody('document');
    delete (body.dataBody as Record<string, unknown>).CT_BAL;
    const error = decodeFailure(() => basicsOf(body, '2019-01-01'));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', operation: 'getAccountBasics' });
    expect(error.message).toContain('dataBody.CT_BAL');
  });
});

describe('readTransactions', () => {
  it('decodes the two January 2019 reference transactions exactly', () => {
    expect(transactionsOf(referenceTransactionsBody('document'))).toEqual(REFERENCE_TRANSACTIONS);
  });

  it('decodes the padded variant (padded memo, "000000" installment) to the same transactions', () => {
    expect(transactionsOf(referenceTransactionsBody('woori'))).toEqual(REFERENCE_TRANSACTIONS);
  });

  it('decodes from text through parseBody', () => {
    expect(transactionsOf(parseBody(JSON.stringify(referenceTransactionsBody('woori'))))).toEqual(
      REFERENCE_TRANSACTIONS,
    );
  });

  it('reads a gold deposit of 2.000 grams', () => {
    const body = referenceTransactionsBody('woori');
    Object.assign(body.dataBody.GRID[1], { CUCD: 'XAU', RCV_AM: '000000000000002.000' });
    expect(transactionsOf(body)[1]).toMatchObject({ currency: 'XAU', deposit: '2' });
  });

  it('reads an empty memo, counterparty and installment as null, and an empty amount as 0', () => {
    const body = referenceTransactionsBody('woori');
    Object.assign(body.dataBody.GRID[0], { TRN_TXT: '      ', RQSPE_NM: '', PID_SQ: '', RCV_AM: '' });
    expect(transactionsOf(body)[0]).toMatchObject({
      memo: null,
      counterparty: null,
      installmentNumber: null,
      deposit: '0',
    });
  });

  it('reads PID_SQ from a number or a padded string', () => {
    const body = referenceTransactionsBody('document');
    Object.assign(body.dataBody.GRID[0], { PID_SQ: 12 });
    Object.assign(body.dataBody.GRID[1], { PID_SQ: '000012' });
    expect(transactionsOf(body).map((t) => t.installmentNumber)).toEqual([12, 12]);
  });

  it('keeps an 18-digit amount given as a number literal exactly', () => {
    const text = JSON.stringify(referenceTransactionsBody('document')).replace(
      '"RCV_AM":11500',
      '"RCV_AM":123456789012345678',
    );
    expect(transactionsOf(parseBody(text))[1].deposit).toBe('123456789012345678');
  });

  it('reads no transactions when GRID is absent and GRID_CNT is zero', () => {
    expect(transactionsOf({ dataHeader: {}, dataBody: { GRID_CNT: '0000000000' } })).toEqual([]);
  });

  it('names the field of a bad date, never the personal data around it', () => {
    const body = referenceTransactionsBody('document');
    Object.assign(body.dataBody.GRID[1], { TRN_DT: '20190132' });
    (body.dataBody.GRID[0] as Record<string, unknown>).RQSPE_NM = 6748803440422330;
    const error = decodeFailure(() => transactionsOf(body));
    expect(error).toMatchObject({
      kind: 'UPSTREAM_ERROR',
      operation: 'listTransactions',
      traceId: 'GLBL0001',
    });
    expect(error.message).toBe('Woori API sent an unreadable dataBody.GRID[0].RQSPE_NM (expected a string)');
    expect(JSON.stringify(error)).not.toContain('6748803440422330');
  });

  it('rejects a row that is not an object', () => {
    const body = referenceTransactionsBody('document');
    (body.dataBody.GRID as unknown[]).push('row');
    expect(decodeFailure(() => transactionsOf(body)).message).toContain(
      'dataBody.GRID[2] (expected an object)',
    );
  });
});

describe('decodeAnswer', () => {
  it('passes the HTTP status and the trace id to the error it throws', () => {
    const body = referenceTransactionsBody('document');
    Object.assign(body.dataBody.GRID[0], { DPS_BAL: 'lots' });
    const error = decodeFailure(() => decodeAnswer('listTransactions', body, readTransactions, 200));
    expect(error).toMatchObject({
      kind: 'UPSTREAM_ERROR',
      operation: 'listTransactions',
      httpStatus: 200,
      traceId: 'GLBL0001',
      retryable: false,
    });
    expect(error.message).toBe(
      'Woori API sent an unreadable dataBody.GRID[0].DPS_BAL (expected a decimal number)',
    );
  });

  it('turns anything a reader throws into a WooriError', () => {
    const error = decodeFailure(() =>
      decodeAnswer('listAccounts', { dataBody: {} }, () => {
        throw new RangeError('reader bug');
      }),
    );
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', operation: 'listAccounts' });
  });
});
