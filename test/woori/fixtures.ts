/**
 * The reference examples of the spec (§5) as upstream bodies in both wire formats (the document's
 * JSON numbers and Woori's zero-padded strings), and the domain objects they decode to.
 */
import type { AccountBasics, AccountSummary, DeviceInfo, TransactionRecord } from '../../src/woori/domain';

export type WireFormat = 'document' | 'woori';

export const DEVICE: DeviceInfo = {
  ip: '10.0.0.1',
  deviceId: '3B5E6E7B',
  phone: '01012341234',
  deviceSerial: 'IMEI',
  osCode: '1',
  osVersion: '8.0.0',
  model: 'SM-G930S',
  appVersion: '1.0.0',
};

export const REFERENCE_ACCOUNTS: AccountSummary[] = [
  {
    number: '1002146788200',
    productCode: '0020590000000',
    productName: '우리급여 저축예금',
    currency: 'KRW',
    balance: '71888',
    withdrawableAmount: '0',
    openedOn: '2012-06-04',
    lastTransactionOn: '2019-06-12',
    maturesOn: '2019-06-12',
    hasAccidentReport: false,
    kindCode: null,
  },
  {
    number: '1002160010529',
    productCode: '0021650000000',
    productName: '우리꿈 저축예금',
    currency: 'KRW',
    balance: '0',
    withdrawableAmount: '0',
    openedOn: '2019-05-24',
    lastTransactionOn: '2019-05-24',
    maturesOn: '2019-05-24',
    hasAccidentReport: true,
    kindCode: null,
  },
];

export const REFERENCE_BASICS: AccountBasics = {
  number: '1002146788200',
  asOf: '2019-01-01',
  statusCode: '01',
  currency: 'KRW',
  productCode: '0020590000000',
  currentBalance: '71888',
  openedOn: '2012-06-04',
  maturesOn: null,
  taxBenefitProductCode: null,
  monthlyPayment: '0',
  todayBasePrice: '0',
  todayValuation: '0',
  investedPrincipal: '0',
  simpleReturnRate: '0',
  currentUnits: '0',
  lastLoanPrincipal: '0',
};

export const REFERENCE_TRANSACTIONS: TransactionRecord[] = [
  {
    date: '2019-01-10',
    time: '10:56:55',
    currency: 'KRW',
    passbookSummaryCode: '0318',
    depositKindCode: '201',
    channelCode: 'F371C001',
    deposit: '0',
    withdrawal: '40000',
    balanceAfter: '5273145',
    memo: '위매프',
    counterparty: '6748803440422330',
    installmentNumber: 0,
    statusCode: '1',
  },
  {
    date: '2019-01-14',
    time: '09:15:26',
    currency: 'KRW',
    passbookSummaryCode: '0068',
    depositKindCode: '101',
    channelCode: 'F141B099',
    deposit: '11500',
    withdrawal: '0',
    balanceAfter: '5284645',
    memo: '김용태',
    counterparty: '양박유',
    installmentNumber: 0,
    statusCode: '1',
  },
];

/** An amount as the format writes it: a JSON number, or Woori's `"000000000071888.000"`. */
function amount(value: number, format: WireFormat): number | string {
  return format === 'document' ? value : `${String(value).padStart(15, '0')}.000`;
}

function date(yyyymmdd: string, format: WireFormat): string {
  return format === 'document' || yyyymmdd === ''
    ? yyyymmdd
    : `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`;
}

export function referenceAccountListBody(format: WireFormat) {
  const row = (acno: string, pdcd: string, name: string, balance: number, opened: string, yn: string) => ({
    ACNO: acno,
    PDCD: pdcd,
    PRD_NM: name,
    CUCD: 'KRW',
    PBOK_BAL: amount(balance, format),
    WDR_AVL_AM: amount(0, format),
    NEW_DT: date(opened, format),
    LST_TRN_DT: date(opened === '20120604' ? '20190612' : opened, format),
    XPR_DT: date(opened === '20120604' ? '20190612' : opened, format),
    ADNT_RGS_YN: yn,
  });
  return {
    dataHeader: { GLBL_ID: 'GLBL0001' },
    dataBody: {
      GRID_CNT: format === 'document' ? 2 : '00002',
      GRID: [
        row('1002146788200', '0020590000000', '우리급여 저축예금', 71888, '20120604', 'N'),
        row('1002160010529', '0021650000000', '우리꿈 저축예금', 0, '20190524', 'Y'),
      ],
    },
  };
}

export function referenceBasicsBody(format: WireFormat) {
  const zero = format === 'document' ? 0 : '000000000000000.000';
  return {
    dataHeader: { GLBL_ID: 'GLBL0001' },
    dataBody: {
      ACNO: '1002146788200',
      ACT_STS: '01',
      CUCD: 'KRW',
      PDCD: '0020590000000',
      CT_BAL: amount(71888, format),
      NEW_DT: date('20120604', format),
      XPR_DT: '',
      ...(format === 'document' ? { TXTR_PDCD: '' } : { TXPR_PDCD: '' }),
      MM_PID_AM: zero,
      TDY_BSPR: format === 'document' ? 0 : '00000000000.0000000',
      TDY_EVL_AM: zero,
      IVST_PRN: zero,
      SMPL_PRFT_RT: format === 'document' ? 0 : '0000000.00',
      CT_ATCNT_BAL: zero,
      LST_LN_PCS_AM: zero,
    },
  };
}

/** The document's transactions example, built from `REFERENCE_TRANSACTIONS`, their one definition. */
export function referenceTransactionsBody(format: WireFormat) {
  const text = (value: string, width: number) => (format === 'document' ? value : value.padEnd(width, ' '));
  const compact = (value: string) => value.replace(/[-:]/g, '');
  return {
    dataHeader: { GLBL_ID: 'GLBL0001' },
    dataBody: {
      GRID_CNT:
        format === 'document'
          ? REFERENCE_TRANSACTIONS.length
          : String(REFERENCE_TRANSACTIONS.length).padStart(10, '0'),
      GRID: REFERENCE_TRANSACTIONS.map((t) => ({
        TRN_DT: date(compact(t.date), format),
        TRN_TM: compact(t.time),
        CUCD: t.currency,
        PBOK_PRNG_OTLN_CD: t.passbookSummaryCode,
        DPS_RAP_KDCD: t.depositKindCode,
        MD_KDCD: t.channelCode,
        RCV_AM: amount(Number(t.deposit), format),
        PAY_AM: amount(Number(t.withdrawal), format),
        DPS_BAL: amount(Number(t.balanceAfter), format),
        TRN_TXT: text(t.memo!, 40),
        RQSPE_NM: text(t.counterparty!, 16),
        PID_SQ: format === 'document' ? t.installmentNumber : String(t.installmentNumber).padStart(6, '0'),
        TRN_STCD: t.statusCode,
      })),
    },
  };
}

/** Records as plain objects: rows read back from the answer cache split their fields when first read. */
export const plainRows = (rows: readonly TransactionRecord[]): TransactionRecord[] =>
  JSON.parse(JSON.stringify(rows)) as TransactionRecord[];
