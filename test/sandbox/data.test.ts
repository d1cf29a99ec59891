import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { REFERENCE_TRANSACTIONS, referenceTransactionsBody } from '../woori/fixtures';
import {
  accountsOf,
  basics,
  call,
  compactDay,
  DOCUMENT_BALANCE_NOW,
  PATHS,
  transactions,
  type Json,
} from './helpers';

const TODAY = '2025-11-25';
/** The twelve months ending with today's: every account has transactions in each of them. */
const RECENT_MONTHS = [
  '202412',
  ...Array.from({ length: 11 }, (_, i) => `2025${String(i + 1).padStart(2, '0')}`),
];

function monthsOf(rows: Json[]): string[] {
  return [...new Set(rows.map((row) => String(row.TRN_DT).slice(0, 6)))].filter((month) => month >= '202412');
}

/** Woori's padded decimals as exact thousandths: "000000000071888.000" → 71888000n. */
function thousandths(padded: string): bigint {
  if (!/^\d{15,}\.\d{3}$/.test(padded)) throw new Error(`not a padded decimal: ${padded}`);
  return BigInt(padded.replace('.', ''));
}

describe('sandbox data', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ today: TODAY });
  });
  afterAll(() => sandbox.close());

  describe('the demo customer', () => {
    it("answers the document's account list, its last transaction days from the ledger", async () => {
      const { json } = await call(sandbox, PATHS.accountsDocumentSpelling, { token: SANDBOX_TOKENS.demo });
      expect(json.dataBody).toEqual({
        GRID_CNT: 2,
        GRID: [
          {
            ACNO: '1002146788200',
            PDCD: '0020590000000',
            PRD_NM: '우리급여 저축예금',
            CUCD: 'KRW',
            PBOK_BAL: DOCUMENT_BALANCE_NOW,
            WDR_AVL_AM: 0,
            NEW_DT: '20120604',
            LST_TRN_DT: expect.stringMatching(/^\d{8}$/),
            XPR_DT: '20190612',
            ADNT_RGS_YN: 'N',
            ACCT_KND: 'P',
          },
          {
            ACNO: '1002160010529',
            PDCD: '0021650000000',
            PRD_NM: '우리꿈 저축예금',
            CUCD: 'KRW',
            PBOK_BAL: 0,
            WDR_AVL_AM: 0,
            NEW_DT: '20190524',
            LST_TRN_DT: expect.stringMatching(/^\d{8}$/),
            XPR_DT: '20190524',
            ADNT_RGS_YN: 'Y',
            ACCT_KND: 'P',
          },
        ],
      });
      for (const account of json.dataBody.GRID) {
        const recent = await transactions(sandbox, account.ACNO, compactDay(TODAY, -365), compactDay(TODAY));
        const last = recent.json.dataBody.GRID.at(-1);
        expect([account.LST_TRN_DT, account.PBOK_BAL]).toEqual([last.TRN_DT, last.DPS_BAL]);
      }
    });

    it("answers the document's account basics: CT_BAL is the balance at the end of the base date", async () => {
      // As of 2019-01-01: what the first reference transaction (2019-01-10) started from.
      const [first] = REFERENCE_TRANSACTIONS;
      const before = BigInt(first.balanceAfter) + BigInt(first.withdrawal) - BigInt(first.deposit);
      const { text } = await basics(sandbox, '1002146788200', '20190101');
      expect(text.replace(/"GLBL_ID":"\w+"/, '"GLBL_ID":"…"')).toBe(
        '{"dataHeader":{"GLBL_ID":"…"},"dataBody":{"ACNO":"1002146788200","ACT_STS":"01","CUCD":"KRW",' +
          `"PDCD":"0020590000000","CT_BAL":${before},"NEW_DT":"20120604","XPR_DT":"","TXTR_PDCD":"","MM_PID_AM":0,` +
          '"TDY_BSPR":0,"TDY_EVL_AM":0,"IVST_PRN":0,"SMPL_PRFT_RT":0,"CT_ATCNT_BAL":0,"LST_LN_PCS_AM":0}}',
      );
      for (const [asOf, balance] of [
        ['20120603', 0n],
        ['20190110', BigInt(first.balanceAfter)],
        ['20190114', BigInt(REFERENCE_TRANSACTIONS[1].balanceAfter)],
        [compactDay(TODAY), BigInt(DOCUMENT_BALANCE_NOW)],
      ] as const) {
        const { json } = await basics(sandbox, '1002146788200', asOf);
        expect([asOf, BigInt(json.dataBody.CT_BAL)]).toEqual([asOf, balance]);
      }
    });

    it("answers the document's two transactions of 2019-01-01 to 2019-06-13 verbatim", async () => {
      const { json } = await transactions(sandbox, '1002146788200', '20190101', '20190613');
      expect(json.dataBody).toEqual(referenceTransactionsBody('document').dataBody);
    });

    it('continues both accounts after 2019-06-13 with running balances, every month up to today', async () => {
      const { json } = await transactions(sandbox, '1002146788200', '20190614', '20200612');
      const [first] = json.dataBody.GRID;
      expect(BigInt(first.DPS_BAL)).toBe(
        BigInt(REFERENCE_TRANSACTIONS[1].balanceAfter) + BigInt(first.RCV_AM) - BigInt(first.PAY_AM),
      );
      for (const account of ['1002146788200', '1002160010529']) {
        const recent = await transactions(sandbox, account, compactDay(TODAY, -365), compactDay(TODAY));
        expect(monthsOf(recent.json.dataBody.GRID)).toEqual(RECENT_MONTHS);
      }
    });
  });

  describe('the many customer', () => {
    let woori: RunningSandbox;
    let accounts: Json[];

    beforeAll(async () => {
      woori = await startSandbox({ today: TODAY, wireFormat: 'woori' });
      accounts = (await call(woori, PATHS.accounts, { token: SANDBOX_TOKENS.many })).json.dataBody.GRID;
    });
    afterAll(() => woori.close());

    const byCurrency = (currency: string): Json => accounts.find((account) => account.CUCD === currency);

    it('holds 50 accounts of every kind of product', () => {
      expect(accounts).toHaveLength(50);
      expect(new Set(accounts.map((account) => account.ACCT_KND))).toEqual(
        new Set(['P', 'J', 'A', 'L', 'U']),
      );
      expect(new Set(accounts.map((account) => account.CUCD))).toEqual(
        new Set(['KRW', 'USD', 'EUR', 'JPY', 'CNY', 'XAU']),
      );
      const names = accounts.map((account) => account.PRD_NM);
      for (const name of [
        '우리 WON통장',
        '우리 SUPER주거래통장',
        '우리 첫거래우대 정기예금',
        '우리 SUPER주거래 적금',
      ]) {
        expect(names).toContain(name);
      }
    });

    it("includes the Swagger's USD account with a balance of 100.000", async () => {
      const usd = accounts.find((account) => account.ACNO === '1081301002227');
      expect(usd).toMatchObject({
        CUCD: 'USD',
        PBOK_BAL: '000000000000100.000',
        FAXC_BAL: '000000000000100.000',
      });
      const { json } = await basics(woori, '1081301002227', compactDay(TODAY), {
        token: SANDBOX_TOKENS.many,
      });
      expect(json.dataBody.CT_BAL).toBe('000000000000100.000');
    });

    it('includes a gold account in grams with a purchase of exactly 2.000', async () => {
      const gold = byCurrency('XAU');
      const { json } = await transactions(woori, gold.ACNO, compactDay(TODAY, -40), compactDay(TODAY), {
        token: SANDBOX_TOKENS.many,
      });
      expect(json.dataBody.GRID.map((row: Json) => row.RCV_AM)).toContain('000000000000002.000');
    });

    it('includes an 18-digit balance and an 18-digit amount, written as raw number literals', async () => {
      const account = accounts.find((candidate) => candidate.PBOK_BAL === '123456789012345678.000');
      expect(account).toBeDefined();
      const list = await call(sandbox, PATHS.accounts, { token: SANDBOX_TOKENS.many });
      expect(list.text).toContain(`"ACNO":"${account.ACNO}"`);
      expect(list.text).toContain('"PBOK_BAL":123456789012345678,"WDR_AVL_AM":123456789012345678,');
      const history = await transactions(sandbox, account.ACNO, compactDay(TODAY, -60), compactDay(TODAY), {
        token: SANDBOX_TOKENS.many,
      });
      expect(history.text).toContain('"RCV_AM":100000000000000000,');
      expect(history.text).toMatch(/"DPS_BAL":1234567890\d{8},/);
    });

    it('keeps every running balance consistent, ending at the listed balance', async () => {
      const problems: string[] = [];
      for (const account of accounts) {
        const { json } = await transactions(woori, account.ACNO, compactDay(TODAY, -365), compactDay(TODAY), {
          token: SANDBOX_TOKENS.many,
        });
        const rows: Json[] = json.dataBody.GRID;
        for (let i = 1; i < rows.length; i += 1) {
          const balance = thousandths(rows[i].DPS_BAL);
          if (
            balance !==
            thousandths(rows[i - 1].DPS_BAL) + thousandths(rows[i].RCV_AM) - thousandths(rows[i].PAY_AM)
          ) {
            problems.push(`${account.ACNO} row ${i}: balance does not follow`);
          }
          if (balance < 0n) problems.push(`${account.ACNO} row ${i}: negative balance`);
          if (rows[i].TRN_DT + rows[i].TRN_TM < rows[i - 1].TRN_DT + rows[i - 1].TRN_TM) {
            problems.push(`${account.ACNO} row ${i}: out of order`);
          }
        }
        const last = rows[rows.length - 1];
        if (last.DPS_BAL !== account.PBOK_BAL) problems.push(`${account.ACNO}: last balance is not PBOK_BAL`);
        const lastDay = `${last.TRN_DT.slice(0, 4)}-${last.TRN_DT.slice(4, 6)}-${last.TRN_DT.slice(6)}`;
        if (account.LST_TRN_DT !== lastDay)
          problems.push(`${account.ACNO}: LST_TRN_DT is not the last row's`);
        if (monthsOf(rows).join() !== RECENT_MONTHS.join())
          problems.push(`${account.ACNO}: a recent month is empty`);
      }
      expect(problems).toEqual([]);
    });

    it('gives installment savings their monthly payment and installment numbers', async () => {
      const savings = accounts.find((account) => account.PRD_NM === '우리 SUPER주거래 적금');
      const { json } = await basics(woori, savings.ACNO, compactDay(TODAY), { token: SANDBOX_TOKENS.many });
      const history = await transactions(woori, savings.ACNO, compactDay(TODAY, -365), compactDay(TODAY), {
        token: SANDBOX_TOKENS.many,
      });
      const rows: Json[] = history.json.dataBody.GRID;
      expect(json.dataBody.MM_PID_AM).not.toBe('000000000000000.000');
      for (const row of rows) expect(row.RCV_AM).toBe(json.dataBody.MM_PID_AM);
      const installments = rows.map((row) => Number(row.PID_SQ));
      expect(installments).toEqual(installments.map((_, i) => installments[0] + i));
      expect(json.dataBody.XPR_DT).toMatch(/^\d{8}$/);
    });

    it('values funds with a 7-decimal base price, units, principal and return', async () => {
      const fund = accounts.find((account) => account.ACCT_KND === 'A');
      const { json } = await basics(woori, fund.ACNO, compactDay(TODAY), { token: SANDBOX_TOKENS.many });
      const body = json.dataBody;
      expect(body.TDY_BSPR).toMatch(/^\d{11}\.\d{7}$/);
      expect(body.SMPL_PRFT_RT).toMatch(/^\d{8}\.\d{3}$/);
      expect(body.IVST_PRN).toBe(body.CT_BAL);
      expect(thousandths(body.CT_ATCNT_BAL) > 0n).toBe(true);
      expect(thousandths(body.TDY_EVL_AM) >= thousandths(body.IVST_PRN)).toBe(true);
      const document = await basics(sandbox, fund.ACNO, compactDay(TODAY), { token: SANDBOX_TOKENS.many });
      expect(document.text).toMatch(/"TDY_BSPR":\d+\.\d{1,7},/);
    });

    it('gives loans their principal', async () => {
      const loan = accounts.find((account) => account.ACCT_KND === 'L');
      const { json } = await basics(woori, loan.ACNO, compactDay(TODAY), { token: SANDBOX_TOKENS.many });
      expect(thousandths(json.dataBody.LST_LN_PCS_AM) > thousandths(json.dataBody.CT_BAL)).toBe(true);
    });
  });

  describe('the ten customer', () => {
    it('has ten everyday accounts with transactions in every recent month', async () => {
      const numbers = accountsOf(sandbox, 'ten');
      expect(numbers).toHaveLength(10);
      for (const number of numbers) {
        const { json } = await transactions(sandbox, number, compactDay(TODAY, -365), compactDay(TODAY), {
          token: SANDBOX_TOKENS.ten,
        });
        expect(monthsOf(json.dataBody.GRID)).toEqual(RECENT_MONTHS);
        expect(json.dataBody.GRID_CNT).toBeGreaterThan(150);
      }
    });
  });

  describe('the heavy customer', () => {
    it('has exactly 100,000 transactions in the 366 days ending today, served again from its rendered bytes', async () => {
      const [number] = accountsOf(sandbox, 'heavy');
      const from = compactDay(TODAY, -365);
      const first = await transactions(sandbox, number, from, compactDay(TODAY), {
        token: SANDBOX_TOKENS.heavy,
      });
      expect(first.json.dataBody.GRID_CNT).toBe(100_000);
      expect(first.json.dataBody.GRID).toHaveLength(100_000);
      const started = performance.now();
      const again = await transactions(sandbox, number, from, compactDay(TODAY), {
        token: SANDBOX_TOKENS.heavy,
      });
      // Generous for a shared 2-core machine; the first call also generated and rendered the rows.
      expect(performance.now() - started).toBeLessThan(3000);
      expect(again.text.slice(100)).toBe(first.text.slice(100));

      const outside = await transactions(sandbox, number, compactDay(TODAY, -700), compactDay(TODAY, -366), {
        token: SANDBOX_TOKENS.heavy,
      });
      expect(outside.json.dataBody.GRID_CNT).toBe(0);
      const october = await transactions(sandbox, number, '20251001', '20251031', {
        token: SANDBOX_TOKENS.heavy,
      });
      const expected = first.json.dataBody.GRID.filter((row: Json) => row.TRN_DT.startsWith('202510'));
      expect(october.json.dataBody.GRID).toEqual(expected);
    });
  });

  describe('determinism', () => {
    async function transcript(target: RunningSandbox): Promise<string[]> {
      const [heavyAccount] = accountsOf(target, 'heavy');
      const texts = [
        (await call(target, PATHS.accounts, { token: SANDBOX_TOKENS.many })).text,
        (await call(target, PATHS.accounts, { token: SANDBOX_TOKENS.ten })).text,
        (await transactions(target, heavyAccount, '20251101', '20251125', { token: SANDBOX_TOKENS.heavy }))
          .text,
      ];
      for (const number of accountsOf(target, 'many').slice(0, 12)) {
        texts.push((await basics(target, number, '20250630', { token: SANDBOX_TOKENS.many })).text);
        texts.push(
          (await transactions(target, number, '20250101', '20251125', { token: SANDBOX_TOKENS.many })).text,
        );
      }
      return texts;
    }

    it('answers the same bytes for the same seed and today', async () => {
      const a = await startSandbox({ today: TODAY, seed: 7 });
      const b = await startSandbox({ today: TODAY, seed: 7 });
      const c = await startSandbox({ today: TODAY, seed: 8 });
      try {
        const first = await transcript(a);
        expect(await transcript(b)).toEqual(first);
        expect(a.customers).toEqual(b.customers);
        expect(c.customers[1].accountNumbers).not.toEqual(a.customers[1].accountNumbers);
        expect(c.customers[0]).toEqual(a.customers[0]);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });

    it('never answers a transaction after today', async () => {
      const early = await startSandbox({ today: '2019-01-12' });
      try {
        const { json } = await transactions(early, '1002146788200', '20190101', '20190613');
        expect(json.dataBody.GRID.map((row: Json) => row.TRN_DT)).toEqual(['20190110']);
      } finally {
        await early.close();
      }
    });
  });
});
