/**
 * The upstream's data as this service sees it: parsed at the boundary (see `decode.ts`), so nothing
 * past the `woori/` folder meets `PBOK_BAL`, `"000000000071888.000"` or `""`.
 *
 * Amounts are exact decimal strings in canonical form (no leading zeros, no trailing fractional
 * zeros, `-` for negatives, `"0"` for zero): the upstream's D(18) does not fit a JavaScript number.
 * Dates are ISO `YYYY-MM-DD` calendar dates in Korea Standard Time; absent values are `null`.
 */

/** An exact decimal number as a canonical string, e.g. `"71888"`, `"100.5"`, `"123456789012345678"`. */
export type Decimal = string;
/** A calendar date, `YYYY-MM-DD`, in Korea Standard Time. */
export type IsoDate = string;

/** One row of the all-accounts list (전계좌조회). */
export interface AccountSummary {
  number: string;
  productCode: string;
  productName: string;
  currency: string;
  balance: Decimal;
  withdrawableAmount: Decimal | null;
  openedOn: IsoDate | null;
  lastTransactionOn: IsoDate | null;
  maturesOn: IsoDate | null;
  hasAccidentReport: boolean | null;
  kindCode: string | null;
}

/** One account's basics as of a date (계좌기본조회). */
export interface AccountBasics {
  number: string;
  asOf: IsoDate;
  statusCode: string | null;
  currency: string;
  productCode: string | null;
  currentBalance: Decimal;
  openedOn: IsoDate | null;
  maturesOn: IsoDate | null;
  taxBenefitProductCode: string | null;
  monthlyPayment: Decimal | null;
  todayBasePrice: Decimal | null;
  todayValuation: Decimal | null;
  investedPrincipal: Decimal | null;
  simpleReturnRate: Decimal | null;
  currentUnits: Decimal | null;
  lastLoanPrincipal: Decimal | null;
}

/** One transaction (거래내역조회), in the upstream's order. */
export interface TransactionRecord {
  date: IsoDate;
  /** `HH:mm:ss` in KST. */
  time: string;
  currency: string;
  passbookSummaryCode: string | null;
  depositKindCode: string | null;
  channelCode: string | null;
  deposit: Decimal;
  withdrawal: Decimal;
  balanceAfter: Decimal;
  /** Trimmed of the upstream's padding; null when empty. */
  memo: string | null;
  counterparty: string | null;
  installmentNumber: number | null;
  statusCode: string | null;
}

/** The end user's device and connection, sent upstream as the `dataHeader` device fields. */
export interface DeviceInfo {
  /** UTZPE_CNCT_IPAD, S(39) */
  ip: string;
  /** UTZPE_CNCT_MCHR_UNQ_ID, S(100) */
  deviceId: string;
  /** UTZPE_CNCT_TEL_NO_TXT, S(40): personal data, never logged */
  phone: string;
  /** UTZPE_CNCT_MCHR_IDF_SRNO, S(20) */
  deviceSerial: string;
  /** UTZ_MCHR_OS_DSCD, S(1) */
  osCode: string;
  /** UTZ_MCHR_OS_VER_NM, S(20) */
  osVersion: string;
  /** UTZ_MCHR_MDL_NM, S(20) */
  model: string;
  /** UTZ_MCHR_APP_VER_NM, S(20) */
  appVersion: string;
}

/** The maximum length of each device field, from the reference's S(n) types. */
export const DEVICE_FIELD_MAX_LENGTH: Readonly<Record<keyof DeviceInfo, number>> = {
  ip: 39,
  deviceId: 100,
  phone: 40,
  deviceSerial: 20,
  osCode: 1,
  osVersion: 20,
  model: 20,
  appVersion: 20,
};
