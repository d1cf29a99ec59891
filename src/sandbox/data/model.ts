import type { Product, TransactionKind } from './catalog';

/** One transaction as stored; amounts are bigint thousandths (see `decimal.ts`). */
export interface Transaction {
  /** Day number (see `dates.ts`). */
  day: number;
  /** `HHmmss`, KST. */
  time: string;
  kind: TransactionKind;
  memo: string;
  counterparty: string;
  deposit: bigint;
  withdrawal: bigint;
  /** The balance after this transaction: always the previous balance + deposit - withdrawal. */
  balance: bigint;
  /** PID_SQ: the installment number of a savings payment, else 0. */
  installment: number;
}

/** An account's whole history, oldest first, up to the sandbox's `today`. */
export interface Ledger {
  rows: Transaction[];
  /** The balance before the first row, from the opening day on. */
  openingBalance: bigint;
  /** Funds only: units held after each row, aligned with `rows`. */
  unitsAfter?: bigint[];
}

export interface FundTerms {
  /** Base price on the opening day, 7 decimals. */
  basePrice: bigint;
  /** Yearly growth of the base price, in parts per million. */
  growthPpm: number;
  /** Salt of the day-to-day wiggle of the base price. */
  salt: number;
}

/** Values the document prints for its own accounts, which the sandbox repeats verbatim. */
export interface DocumentValues {
  listBalance: bigint;
  listWithdrawable: bigint;
  listLastTransactionOn: number;
  listMaturesOn: number;
  /** Basics as of any day up to this one answer the document's CT_BAL. */
  basicsFrozenUntil?: number;
  basicsBalance?: bigint;
}

export interface Account {
  number: string;
  product: Product;
  openedOn: number;
  maturesOn: number | null;
  accidentRegistered: 'Y' | 'N' | '';
  passbookless: boolean;
  /** TXTR_PDCD, or '' when the account has no tax benefit. */
  taxBenefitCode: string;
  /** MM_PID_AM: the monthly payment of installment savings, else 0. */
  monthlyPayment: bigint;
  /** LST_LN_PCS_AM: the loan's principal, else 0. */
  loanPrincipal: bigint;
  fund?: FundTerms;
  document?: DocumentValues;
  /** Builds the ledger; called at most once, on first use, by `Bank`. */
  build: () => Ledger;
}
