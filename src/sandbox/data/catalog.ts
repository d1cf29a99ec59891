/**
 * The sandbox's vocabulary: Woori-like products, transaction kinds with their upstream codes, and
 * the memos and counterparties they carry. Realistic enough that a screen built on the sandbox
 * looks like a bank statement; invented all the same (codes other than the document's are ours).
 */

export type ProductKind = 'demand' | 'timeDeposit' | 'savings' | 'fund' | 'loan' | 'foreign' | 'gold';

export interface Product {
  name: string;
  /** PDCD, 13 digits. */
  code: string;
  kind: ProductKind;
  /** ACCT_KND. The upstream never says what P, J, U, L and A mean; this is our reading. */
  accountKind: 'P' | 'J' | 'U' | 'L' | 'A';
  currency: string;
}

function product(name: string, code: string, kind: ProductKind, currency = 'KRW'): Product {
  const accountKind = ACCOUNT_KIND_BY_PRODUCT_KIND[kind];
  return { name, code, kind, accountKind, currency };
}

const ACCOUNT_KIND_BY_PRODUCT_KIND: Record<ProductKind, Product['accountKind']> = {
  demand: 'P',
  timeDeposit: 'J',
  savings: 'J',
  fund: 'A',
  loan: 'L',
  foreign: 'U',
  gold: 'U',
};

export const PRODUCTS = {
  salarySavings: product('우리급여 저축예금', '0020590000000', 'demand'),
  dreamSavings: product('우리꿈 저축예금', '0021650000000', 'demand'),
  won: product('우리 WON통장', '0021890000000', 'demand'),
  superMain: product('우리 SUPER주거래통장', '0021540000000', 'demand'),
  savingsDeposit: product('저축예금', '0020000000000', 'demand'),
  ordinary: product('보통예금', '0010000000000', 'demand'),
  easy: product('우리 으쓱통장', '0021910000000', 'demand'),
  parking: product('우리 WON파킹통장', '0021950000000', 'demand'),
  firstTimeDeposit: product('우리 첫거래우대 정기예금', '0030730000000', 'timeDeposit'),
  wonPlusDeposit: product('WON플러스 예금', '0030810000000', 'timeDeposit'),
  superDeposit: product('우리 SUPER정기예금', '0030550000000', 'timeDeposit'),
  superSavings: product('우리 SUPER주거래 적금', '0040620000000', 'savings'),
  firstTimeSavings: product('우리 첫거래우대 적금', '0040710000000', 'savings'),
  wonSavings: product('WON 적금', '0040830000000', 'savings'),
  magicSavings: product('우리 Magic 적금', '0040770000000', 'savings'),
  dividendFund: product('우리중소형고배당증권자투자신탁1(주식)C-e', '0600120000000', 'fund'),
  indexFund: product('KB스타코리아인덱스증권자투자신탁(주식-파생형)C-E', '0600340000000', 'fund'),
  globalFund: product('미래에셋글로벌그레이트컨슈머증권자투자신탁(주식)C-e', '0600560000000', 'fund'),
  workerLoan: product('우리 WON하는 직장인대출', '0810110000000', 'loan'),
  mortgageLoan: product('우리 아파트론', '0810330000000', 'loan'),
  jeonseLoan: product('우리 전세론', '0810450000000', 'loan'),
  foreignOrdinary: product('외화보통예금', '0811430010000', 'foreign', 'USD'),
  foreignTimeDeposit: product('외화정기예금', '0811530010000', 'timeDeposit', 'JPY'),
  gold: product('우리골드투자통장', '0812100000000', 'gold', 'XAU'),
} as const;

/** The upstream codes a transaction carries: PBOK_PRNG_OTLN_CD, DPS_RAP_KDCD, MD_KDCD. */
export interface TransactionKind {
  summaryCode: string;
  depositKindCode: string;
  channelCode: string;
}

function kind(summaryCode: string, depositKindCode: string, channelCode: string): TransactionKind {
  return { summaryCode, depositKindCode, channelCode };
}

/** The two codes seen in the document are its own (0318/201/F371C001 and 0068/101/F141B099). */
export const KINDS = {
  cardPayment: kind('0318', '201', 'F371C001'),
  transferIn: kind('0068', '101', 'F141B099'),
  mobileTransferIn: kind('0068', '101', 'MIBMPSB2'),
  transferOut: kind('0066', '201', 'MIBMPSB2'),
  salary: kind('0071', '101', 'BATCH001'),
  autoDebit: kind('0422', '202', 'CMS00001'),
  atmWithdrawal: kind('0041', '201', 'ATM04412'),
  atmDeposit: kind('0042', '101', 'ATM04412'),
  interest: kind('0011', '102', 'BATCH001'),
  opening: kind('0001', '103', 'TELLER01'),
  installment: kind('0102', '101', 'CMS00001'),
  fundPurchase: kind('0501', '101', 'CMS00001'),
  loanDisbursement: kind('0601', '103', 'TELLER01'),
  loanRepayment: kind('0602', '201', 'CMS00001'),
  foreignIn: kind('0701', '101', 'IBKPSB01'),
  foreignOut: kind('0702', '201', 'IBKPSB01'),
  goldPurchase: kind('0801', '101', 'CMS00001'),
  goldSale: kind('0802', '201', 'MIBMPSB2'),
} as const;

export const MERCHANTS = [
  'GS25',
  'CU',
  '세븐일레븐',
  '스타벅스',
  '이디야커피',
  '투썸플레이스',
  '쿠팡',
  '배달의민족',
  '요기요',
  '이마트',
  '홈플러스',
  '롯데마트',
  '올리브영',
  '다이소',
  '카카오T',
  '네이버페이',
  '무신사',
  '11번가',
  'G마켓',
  '교보문고',
  'CGV',
  '맥도날드',
  '파리바게뜨',
  '위메프',
] as const;

export const PEOPLE = [
  '김민준',
  '이서연',
  '박지훈',
  '최수아',
  '정우진',
  '강하은',
  '조현우',
  '윤지민',
  '장서준',
  '임하린',
  '한도윤',
  '오예린',
  '서지호',
  '신유나',
  '권태현',
  '황보민',
] as const;

export const EMPLOYERS = [
  '(주)한빛소프트',
  '삼성전자(주)',
  '네이버(주)',
  '(주)카카오',
  'LG전자(주)',
  '현대자동차(주)',
  '(주)우아한형제들',
  '쿠팡(주)',
] as const;

export const PHONE_BILLS = ['SKT통신요금', 'KT통신요금', 'LGU+통신요금'] as const;
export const INSURERS = ['삼성생명', '한화생명', '현대해상', 'DB손해보험'] as const;
export const CARD_COMPANIES = ['우리카드', '삼성카드', '현대카드', '신한카드', 'KB국민카드'] as const;
export const APARTMENTS = ['래미안관리사무소', '자이아파트관리', '힐스테이트관리', '푸르지오관리'] as const;
export const FOREIGN_PAYEES = ['AMAZON MKTPL', 'APPLE.COM/BILL', 'BOOKING.COM', 'UBER', 'AIRBNB'] as const;
export const FOREIGN_SENDERS = ['JOHN SMITH', 'ACME CORP', 'WISE PAYMENTS', 'PAYPAL'] as const;
