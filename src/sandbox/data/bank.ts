import { buildCustomers, type Customer } from './customers';
import type { Instant } from './dates';
import { fundPrice, fundValue } from './ledger';
import type { Account, Ledger, Transaction } from './model';

/** One row of the account list, before it is written in a wire format. */
export interface AccountSummary {
  account: Account;
  balance: bigint;
  withdrawable: bigint;
  lastTransactionOn: number;
  maturesOn: number | null;
}

/**
 * An account's basics as of a day: the balance at the end of that day (or now, for today), the
 * fund figures of that day. Amounts that do not apply to the product are 0.
 */
export interface AccountBasics {
  account: Account;
  balance: bigint;
  maturesOn: number | null;
  /** Fund base price, 7 decimals. */
  price: bigint;
  valuation: bigint;
  principal: bigint;
  /** Simple return in percent, thousandths. */
  returnRate: bigint;
  /** Fund units held, thousandths. */
  heldUnits: bigint;
}

/** A slice of a ledger: rows[start] up to, not including, rows[end]. */
export interface TransactionRange {
  rows: readonly Transaction[];
  start: number;
  end: number;
}

/**
 * The sandbox's bank: customers, their accounts, and the answers to the three questions the API
 * asks, all read from one ledger per account, so they agree: the list's balance is the last
 * transaction's balance, which is the basics' balance as of today. Ledgers end at `end` (never
 * later; see `ledgerEnd`), are generated on first use and kept.
 */
export class Bank {
  readonly customers: readonly Customer[];
  private readonly customersByToken = new Map<string, Customer>();
  private readonly ownerByNumber = new Map<string, Customer>();
  private readonly accountsByNumber = new Map<string, Account>();
  private readonly ledgers = new Map<Account, Ledger>();

  constructor(
    seed: number,
    readonly end: Instant,
  ) {
    this.customers = buildCustomers(seed, end);
    for (const customer of this.customers) {
      this.customersByToken.set(customer.token, customer);
      for (const account of customer.accounts) {
        this.ownerByNumber.set(account.number, customer);
        this.accountsByNumber.set(account.number, account);
      }
    }
  }

  customerByToken(token: string): Customer | undefined {
    return this.customersByToken.get(token);
  }

  /** The account, when it belongs to `customer`; undefined for anyone else's or an unknown one. */
  accountOf(customer: Customer, accountNumber: string): Account | undefined {
    return this.ownerByNumber.get(accountNumber) === customer
      ? this.accountsByNumber.get(accountNumber)
      : undefined;
  }

  ledger(account: Account): Ledger {
    let ledger = this.ledgers.get(account);
    if (!ledger) {
      ledger = account.build();
      this.ledgers.set(account, ledger);
    }
    return ledger;
  }

  /** The list's row: PBOK_BAL is the balance now, the last row's (0 before any). */
  summary(account: Account): AccountSummary {
    const { rows } = this.ledger(account);
    const last = rows.length > 0 ? rows[rows.length - 1] : undefined;
    const balance = last ? last.balance : 0n;
    const kind = account.product.kind;
    const canWithdraw = (kind === 'demand' || kind === 'foreign') && account.accidentRegistered !== 'Y';
    const document = account.document;
    return {
      account,
      balance,
      withdrawable: document ? document.listWithdrawable : canWithdraw ? balance : 0n,
      lastTransactionOn: last ? last.day : account.openedOn,
      maturesOn: document ? document.listMaturesOn : account.maturesOn,
    };
  }

  /**
   * Basics as of `day`. The document names CT_BAL "current balance" without saying what a past
   * base date does to it; the sandbox reads it as the balance at the end of that day: the last
   * row's on or before it, 0 before the first (the opening deposit). As of today that is the
   * balance now, the list's PBOK_BAL; as of a later day too, since nothing is known after now.
   */
  basics(account: Account, day: number): AccountBasics {
    const ledger = this.ledger(account);
    const index = upperBound(ledger.rows, day) - 1;
    const balance = index >= 0 ? ledger.rows[index].balance : 0n;
    const basics: AccountBasics = {
      account,
      balance,
      maturesOn: account.maturesOn,
      price: 0n,
      valuation: 0n,
      principal: 0n,
      returnRate: 0n,
      heldUnits: 0n,
    };
    if (account.fund && day >= account.openedOn) {
      const held = index >= 0 && ledger.unitsAfter ? ledger.unitsAfter[index] : 0n;
      basics.price = fundPrice(account.fund, account.openedOn, Math.min(day, this.end.day));
      basics.valuation = fundValue(held, basics.price);
      basics.principal = balance;
      basics.heldUnits = held * 1000n;
      basics.returnRate = balance > 0n ? ((basics.valuation - balance) * 10_000n * 10n) / balance : 0n;
    }
    return basics;
  }

  /** The rows with `from <= day <= to`, oldest first, found by binary search. */
  transactions(account: Account, from: number, to: number): TransactionRange {
    const { rows } = this.ledger(account);
    return { rows, start: lowerBound(rows, from), end: upperBound(rows, to) };
  }
}

/** The index of the first row on or after `day`. */
function lowerBound(rows: readonly Transaction[], day: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle].day < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The index of the first row after `day`. */
function upperBound(rows: readonly Transaction[], day: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle].day <= day) low = middle + 1;
    else high = middle;
  }
  return low;
}
