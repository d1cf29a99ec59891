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

/**
 * An account's whole history, oldest first, from a balance of zero before its first row (on the
 * opening day) up to the end of the sandbox's ledgers, never later. Every row's balance is the
 * previous one + deposit - withdrawal, exactly; the last row's is the account's balance now.
 */
export interface Ledger {
  rows: Transaction[];
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

/**
 * List values the document prints for its own accounts that no ledger decides, repeated verbatim.
 * Balances and last transaction dates always come from the ledger (see `customers.ts`).
 */
export interface DocumentValues {
  listWithdrawable: bigint;
  listMaturesOn: number;
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
