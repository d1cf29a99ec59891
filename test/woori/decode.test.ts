import {
  NumericLiteral,
  decodeAccountBasics,
  decodeAccountList,
  decodeTransactions,
  decodeTransactionsText,
  needsLosslessParse,
  parseBody,
  toDecimal,
  toIsoDate,
  toTime,
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

describe('toDecimal', () => {
  it.each([
    [71888, '71888'],
    [0, '0'],
    [-0, '0'],
    [-100.5, '-100.5'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [123456789012345, '123456789012345'],
  ])('reads the JSON number %p as %p', (input, expected) => {
    expect(toDecimal(input)).toBe(expected);
  });

  it.each([
    ['000000005014052.000', '5014052'],
    ['00000000000.0000000', '0'],
    ['-0000100.50', '-100.5'],
    ['000000000000100.000', '100'],
    ['000000000000002.000', '2'],
    ['123456789012345678', '123456789012345678'],
    ['999999999999999999.999999', '999999999999999999.999999'],
    ['000000000000000000', '0'],
    ['-0.000', '0'],
    ['+5', '5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['  42  ', '42'],
    ['1.50e3', '1500'],
    ['1E+2', '100'],
    ['12345e-8', '0.00012345'],
    ['1e-0005', '0.00001'],
    ['-1.2e-2', '-0.012'],
    ['100e-5', '0.001'],
    ['0.000e5', '0'],
  ])('reads the string %p as %p', (input, expected) => {
    expect(toDecimal(input)).toBe(expected);
  });

  it('reads a NumericLiteral from its exact source text', () => {
    expect(toDecimal(new NumericLiteral('123456789012345678'))).toBe('123456789012345678');
    expect(toDecimal(new NumericLiteral('-0.1000000000000000055511151231257827'))).toBe(
      '-0.1000000000000000055511151231257827',
    );
    expect(toDecimal(new NumericLiteral('1.2345678901234567890e2'))).toBe('123.4567890123456789');
  });

  it.each([[''], ['   '], [null], [undefined]])('reads %p as no value', (input) => {
    expect(toDecimal(input)).toBeNull();
  });

  it.each([
    ['abc'],
    ['1,000'],
    ['0x10'],
    ['NaN'],
    ['Infinity'],
    ['1.2.3'],
    ['--1'],
    ['-'],
    ['.'],
    ['1e'],
    ['1e99999'],
    ['1 2'],
    [true],
    [{}],
    [[1]],
    [NaN],
    [Infinity],
  ])('rejects %p with a decode error', (input) => {
    expect(() => toDecimal(input)).toThrow('is not a decimal number');
  });
});

describe('toIsoDate and toTime', () => {
  it.each([
    ['20190612', '2019-06-12'],
    ['2021-02-15', '2021-02-15'],
    ['20240229', '2024-02-29'],
    ['20000229', '2000-02-29'],
    ['19991231', '1999-12-31'],
    [' 20190612 ', '2019-06-12'],
  ])('reads the date %p as %p', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each([[''], ['        '], ['00000000'], [null], [undefined]])(
    'reads the date %p as no value',
    (input) => {
      expect(toIsoDate(input)).toBeNull();
    },
  );

  it.each([
    ['20190230'],
    ['20230229'],
    ['19000229'],
    ['20191301'],
    ['20190100'],
    ['2019-2-15'],
    ['2019/02/15'],
    ['2019061'],
    ['201906120'],
    ['2019-06-1x'],
    [20190612],
  ])('rejects the date %p', (input) => {
    expect(() => toIsoDate(input)).toThrow('is not a date');
  });

  it('reads times as HH:mm:ss', () => {
    expect(toTime('105655')).toBe('10:56:55');
    expect(toTime('000000')).toBe('00:00:00');
    expect(toTime('235959')).toBe('23:59:59');
    expect(toTime('09:15:26')).toBe('09:15:26');
    expect(toTime('')).toBeNull();
  });

  it.each([['240000'], ['106000'], ['105660'], ['1056'], ['10:5655'], [105655]])(
    'rejects the time %p',
    (input) => {
      expect(() => toTime(input)).toThrow('is not a time');
    },
  );
});

describe('parseBody', () => {
  it('takes the fast path when no number literal can lose precision', () => {
    const text = JSON.stringify(referenceTransactionsBody('document'));
    expect(needsLosslessParse(text)).toBe(false);
    expect(parseBody(text)).toEqual(JSON.parse(text));
  });

  it('is not sent down the slow path by 16-digit strings such as card numbers', () => {
    expect(needsLosslessParse('{"RQSPE_NM":"6748803440422330","X": "12345678901234567890"}')).toBe(false);
  });

  it.each([
    ['{"a":123456789012345678}'],
    ['{"a": -1234567890123456}'],
    ['{"a":\n\t 1234567890.123456}'],
    ['[1,2,1234567890123456]'],
    ['[ 0.0000000000000001]'],
    ['{"a":1e400}'],
    ['{"a":1.5E-324}'],
    ['1234567890123456789'],
    ['  -1'],
  ])('takes the lossless path for %p', (text) => {
    expect(needsLosslessParse(text)).toBe(true);
  });

  it('keeps every number as its source text on the lossless path', () => {
    const body = parseBody('{"big":123456789012345678,"small":7,"list":[1.50,2e1],"s":"x"}') as Record<
      string,
      unknown
    >;
    expect(body.big).toEqual(new NumericLiteral('123456789012345678'));
    expect(body.small).toEqual(new NumericLiteral('7'));
    expect(body.list).toEqual([new NumericLiteral('1.50'), new NumericLiteral('2e1')]);
    expect(body.s).toBe('x');
  });

  it('keeps the last of repeated keys on both paths, as JSON.parse does', () => {
    expect(parseBody('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(parseBody('{"a":1,"a":2,"b":1234567890123456789}')).toEqual({
      a: new NumericLiteral('2'),
      b: new NumericLiteral('1234567890123456789'),
    });
  });

  it('reads a number that is the whole body losslessly', () => {
    expect(parseBody('12345678901234567')).toEqual(new NumericLiteral('12345678901234567'));
  });

  it('reads every literal of up to 18 digits exactly, on whichever path it takes', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const paths = { fast: 0, lossless: 0 };
    for (let i = 0; i < 5000; i++) {
      const digits = Array.from({ length: 1 + random(18) }, () => String(random(10))).join('');
      const point = random(digits.length + 1);
      const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
      let literal = point === digits.length ? whole : `${whole}.${digits.slice(point)}`;
      if (random(2)) literal = `-${literal}`;
      if (random(4) === 0) literal += `e${random(2) ? '-' : ''}${random(40)}`;
      const text = `{"v":${literal}}`;
      paths[needsLosslessParse(text) ? 'lossless' : 'fast'] += 1;
      const parsed = (parseBody(text) as { v: unknown }).v;
      expect(toDecimal(parsed)).toBe(toDecimal(new NumericLiteral(literal)));
    }
    expect(paths.fast).toBeGreaterThan(1000);
    expect(paths.lossless).toBeGreaterThan(500);
  });

  it.each([['{"dataBody":'], ['<html><body>Bad Gateway</body></html>'], [''], ['{"a":123456789012345678']])(
    'throws a SyntaxError on the malformed body %p',
    (text) => {
      expect(() => parseBody(text)).toThrow(SyntaxError);
    },
  );
});

describe('decodeAccountList', () => {
  it('decodes the reference example', () => {
    expect(decodeAccountList(referenceAccountListBody('document'))).toEqual(REFERENCE_ACCOUNTS);
  });

  it('decodes the padded-string variant to the same accounts', () => {
    expect(decodeAccountList(referenceAccountListBody('woori'))).toEqual(REFERENCE_ACCOUNTS);
  });

  it('reads ADNT_RGS_YN "" as unknown and ignores extra fields', () => {
    const body = referenceAccountListBody('woori');
    Object.assign(body.dataBody.GRID[0], { ADNT_RGS_YN: '', FAXC_BAL: '000000000000012.340', ACT_STCD: 'A' });
    const [first] = decodeAccountList(body);
    expect(first.hasAccidentReport).toBeNull();
    expect(first).not.toHaveProperty('FAXC_BAL');
  });

  it('treats a masked account number as an opaque string', () => {
    const body = referenceAccountListBody('document');
    body.dataBody.GRID[0].ACNO = '10028183*****';
    expect(decodeAccountList(body)[0].number).toBe('10028183*****');
  });

  it.each([
    [{ GRID_CNT: 0 }],
    [{ GRID_CNT: '000000000000000000' }],
    [{ GRID_CNT: 0, GRID: [] }],
    [{ GRID_CNT: '00000', GRID: null }],
    [{}],
  ])('reads %p as no accounts', (dataBody) => {
    expect(decodeAccountList({ dataHeader: {}, dataBody })).toEqual([]);
  });

  it('keeps an 18-digit balance exactly', () => {
    const text =
      '{"dataHeader":{},"dataBody":{"GRID_CNT":1,"GRID":[{"ACNO":"1","PDCD":"P","PRD_NM":"N","CUCD":"KRW",' +
      '"PBOK_BAL":123456789012345678,"WDR_AVL_AM":999999999999999999.5}]}}';
    const [account] = decodeAccountList(parseBody(text));
    expect(account.balance).toBe('123456789012345678');
    expect(account.withdrawableAmount).toBe('999999999999999999.5');
  });

  it('fails with UPSTREAM_ERROR naming the field when a required field is missing', () => {
    const body = referenceAccountListBody('document');
    delete (body.dataBody.GRID[1] as Record<string, unknown>).ACNO;
    const error = decodeFailure(() => decodeAccountList(body));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', operation: 'listAccounts', retryable: false });
    expect(error.message).toContain('dataBody.GRID[1].ACNO');
  });

  it('fails when GRID is missing but GRID_CNT counts accounts', () => {
    const error = decodeFailure(() => decodeAccountList({ dataHeader: {}, dataBody: { GRID_CNT: 2 } }));
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
    const error = decodeFailure(() => decodeAccountList(body));
    expect(error.kind).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain(`dataBody.GRID[0].${field}`);
  });

  it('fails when there is no dataBody, keeping the trace id', () => {
    const error = decodeFailure(() => decodeAccountList({ dataHeader: { GLBL_ID: 'trace-1' } }));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', traceId: 'trace-1' });
    expect(error.message).toContain('dataBody');
  });
});

describe('decodeAccountBasics', () => {
  it('decodes the reference example (TXTR_PDCD spelling)', () => {
    expect(decodeAccountBasics(referenceBasicsBody('document'), '2019-01-01')).toEqual(REFERENCE_BASICS);
  });

  it('decodes the padded variant (TXPR_PDCD spelling, dashed dates) to the same basics', () => {
    expect(decodeAccountBasics(referenceBasicsBody('woori'), '2019-01-01')).toEqual(REFERENCE_BASICS);
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
    expect(decodeAccountBasics(body, '2019-01-01')).toMatchObject({
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
    expect(decodeAccountBasics(body, '2019-01-01').taxBenefitProductCode).toBe('T01');
    Object.assign(body.dataBody, { TXPR_PDCD: 'T02' });
    expect(decodeAccountBasics(body, '2019-01-01').taxBenefitProductCode).toBe('T02');
  });

  it('uses the account number asked for when the answer has no ACNO', () => {
    const body = referenceBasicsBody('document');
    delete (body.dataBody as Record<string, unknown>).ACNO;
    expect(decodeAccountBasics(body, '2019-01-01', '1002146788200').number).toBe('1002146788200');
    expect(decodeFailure(() => decodeAccountBasics(body, '2019-01-01')).message).toContain('dataBody.ACNO');
  });

  it('fails on a missing balance with the field in the message', () => {
    const body = referenceBasicsBody('document');
    delete (body.dataBody as Record<string, unknown>).CT_BAL;
    const error = decodeFailure(() => decodeAccountBasics(body, '2019-01-01'));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', operation: 'getAccountBasics' });
    expect(error.message).toContain('dataBody.CT_BAL');
  });
});

describe('decodeTransactions', () => {
  it('decodes the two January 2019 reference transactions exactly', () => {
    expect(decodeTransactions(referenceTransactionsBody('document'))).toEqual(REFERENCE_TRANSACTIONS);
  });

  it('decodes the padded variant (padded memo, "000000" installment) to the same transactions', () => {
    expect(decodeTransactions(referenceTransactionsBody('woori'))).toEqual(REFERENCE_TRANSACTIONS);
  });

  it('decodes from text through parseBody', () => {
    expect(decodeTransactionsText(JSON.stringify(referenceTransactionsBody('woori')))).toEqual(
      REFERENCE_TRANSACTIONS,
    );
  });

  it('reads a gold deposit of 2.000 grams', () => {
    const body = referenceTransactionsBody('woori');
    Object.assign(body.dataBody.GRID[1], { CUCD: 'XAU', RCV_AM: '000000000000002.000' });
    expect(decodeTransactions(body)[1]).toMatchObject({ currency: 'XAU', deposit: '2' });
  });

  it('reads an empty memo, counterparty and installment as null, and an empty amount as 0', () => {
    const body = referenceTransactionsBody('woori');
    Object.assign(body.dataBody.GRID[0], { TRN_TXT: '      ', RQSPE_NM: '', PID_SQ: '', RCV_AM: '' });
    expect(decodeTransactions(body)[0]).toMatchObject({
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
    expect(decodeTransactions(body).map((t) => t.installmentNumber)).toEqual([12, 12]);
  });

  it('keeps an 18-digit amount given as a number literal exactly', () => {
    const text = JSON.stringify(referenceTransactionsBody('document')).replace(
      '"RCV_AM":11500',
      '"RCV_AM":123456789012345678',
    );
    expect(decodeTransactionsText(text)[1].deposit).toBe('123456789012345678');
  });

  it('reads no transactions when GRID is absent and GRID_CNT is zero', () => {
    expect(decodeTransactions({ dataHeader: {}, dataBody: { GRID_CNT: '0000000000' } })).toEqual([]);
  });

  it('names the field of a bad date, never the personal data around it', () => {
    const body = referenceTransactionsBody('document');
    Object.assign(body.dataBody.GRID[1], { TRN_DT: '20190132' });
    (body.dataBody.GRID[0] as Record<string, unknown>).RQSPE_NM = 6748803440422330;
    const error = decodeFailure(() => decodeTransactions(body));
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
    expect(decodeFailure(() => decodeTransactions(body)).message).toContain(
      'dataBody.GRID[2] (expected an object)',
    );
  });
});
