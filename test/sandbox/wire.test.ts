import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { REFERENCE_TRANSACTIONS } from '../woori/fixtures';
import { basics, call, DOCUMENT_BALANCE_NOW, PATHS, transactions } from './helpers';

/** Woori's zero-padded 15.3 form of a whole amount. */
const padded = (amount: string | number): string => `${String(amount).padStart(15, '0')}.000`;

describe("sandbox 'woori' wire format", () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ today: '2025-11-25', wireFormat: 'woori' });
  });
  afterAll(() => sandbox.close());

  it('writes amounts as zero-padded strings, list dates as ISO dates, and the 2021 extra fields', async () => {
    const { json } = await call(sandbox, PATHS.accounts);
    expect(json.dataBody.GRID_CNT).toBe('000000000000000002');
    expect(json.dataBody.GRID[0]).toEqual({
      ACNO: '1002146788200',
      PDCD: '0020590000000',
      PRD_NM: '우리급여 저축예금',
      CUCD: 'KRW',
      PBOK_BAL: padded(DOCUMENT_BALANCE_NOW),
      WDR_AVL_AM: '000000000000000.000',
      NEW_DT: '2012-06-04',
      LST_TRN_DT: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      XPR_DT: '2019-06-12',
      ADNT_RGS_YN: 'N',
      ACCT_KND: 'P',
      FAXC_BAL: '000000000000000.000',
      PSKL_ACT_YN: expect.stringMatching(/^[YN]$/),
      ACT_STCD: 'A',
    });
  });

  it('writes basics with 15.3 amounts, an 11.7 base price, an 8.3 rate and compact dates', async () => {
    const { json } = await basics(sandbox, '1002146788200', '20251125');
    expect(json.dataBody).toEqual({
      ACNO: '1002146788200',
      ACT_STS: '01',
      CUCD: 'KRW',
      PDCD: '0020590000000',
      CT_BAL: padded(DOCUMENT_BALANCE_NOW),
      NEW_DT: '20120604',
      XPR_DT: '',
      TXTR_PDCD: '',
      MM_PID_AM: '000000000000000.000',
      TDY_BSPR: '00000000000.0000000',
      TDY_EVL_AM: '000000000000000.000',
      IVST_PRN: '000000000000000.000',
      SMPL_PRFT_RT: '00000000.000',
      CT_ATCNT_BAL: '000000000000000.000',
      LST_LN_PCS_AM: '000000000000000.000',
    });
  });

  it('writes transactions with padded amounts, installment numbers and memos padded with spaces', async () => {
    const { json } = await transactions(sandbox, '1002146788200', '20190101', '20190613');
    expect(json.dataBody.GRID_CNT).toBe('000000000000000002');
    const [first] = REFERENCE_TRANSACTIONS;
    expect(json.dataBody.GRID[0]).toEqual({
      TRN_DT: first.date.replace(/-/g, ''),
      TRN_TM: first.time.replace(/:/g, ''),
      CUCD: first.currency,
      PBOK_PRNG_OTLN_CD: first.passbookSummaryCode,
      DPS_RAP_KDCD: first.depositKindCode,
      MD_KDCD: first.channelCode,
      RCV_AM: padded(first.deposit),
      PAY_AM: padded(first.withdrawal),
      DPS_BAL: padded(first.balanceAfter),
      // Three Korean characters fill six of TRN_TXT's 40 columns.
      TRN_TXT: `${first.memo}${' '.repeat(34)}`,
      RQSPE_NM: first.counterparty,
      PID_SQ: '000000',
      TRN_STCD: first.statusCode,
    });
  });

  it('writes an 18-digit amount with all its digits', async () => {
    const { text } = await call(sandbox, PATHS.accounts, { token: SANDBOX_TOKENS.many });
    expect(text).toContain('"PBOK_BAL":"123456789012345678.000"');
  });

  it('switches format at run time', async () => {
    try {
      sandbox.configure({ wireFormat: 'document' });
      const { text } = await basics(sandbox, '1002146788200', '20251125');
      expect(text).toContain(`"CT_BAL":${DOCUMENT_BALANCE_NOW},`);
    } finally {
      sandbox.configure({ wireFormat: 'woori' });
    }
  });
});
