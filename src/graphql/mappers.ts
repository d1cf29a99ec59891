/**
 * Pairs each GraphQL type with the domain model behind it. Only the page a caller asked for is
 * mapped, so a 100,000-transaction range costs one slice, not 100,000 objects.
 */
import { instantInKst } from '../cache/days';
import type { AccountBasics, AccountSummary, Decimal, TransactionRecord } from '../woori/domain';
import type { Account } from './types/account.type';
import type { AccountDetail } from './types/account-detail.type';
import type { Money } from './types/money.type';
import { type Transaction, TransactionType } from './types/transaction.type';

const KST = '+09:00';

function money(amount: Decimal, currency: string): Money {
  return { amount, currency };
}

function maybeMoney(amount: Decimal | null, currency: string): Money | null {
  return amount === null ? null : money(amount, currency);
}

/** An account of the list that left the upstream at `fetchedAt` (ms since the epoch). */
export function toAccount(a: AccountSummary, fetchedAt: number): Account {
  return {
    number: a.number,
    productCode: a.productCode,
    productName: a.productName,
    currency: a.currency,
    balance: money(a.balance, a.currency),
    withdrawableAmount: maybeMoney(a.withdrawableAmount, a.currency),
    openedOn: a.openedOn,
    lastTransactionOn: a.lastTransactionOn,
    maturesOn: a.maturesOn,
    hasAccidentReport: a.hasAccidentReport,
    kindCode: a.kindCode,
    fetchedAt: instantInKst(fetchedAt),
  };
}

/** Basics that left the upstream at `fetchedAt` (ms since the epoch). */
export function toAccountDetail(b: AccountBasics, fetchedAt: number): AccountDetail {
  const c = b.currency;
  return {
    number: b.number,
    asOf: b.asOf,
    statusCode: b.statusCode,
    currency: c,
    productCode: b.productCode,
    currentBalance: money(b.currentBalance, c),
    openedOn: b.openedOn,
    maturesOn: b.maturesOn,
    taxBenefitProductCode: b.taxBenefitProductCode,
    monthlyPayment: maybeMoney(b.monthlyPayment, c),
    todayBasePrice: b.todayBasePrice,
    todayValuation: maybeMoney(b.todayValuation, c),
    investedPrincipal: maybeMoney(b.investedPrincipal, c),
    simpleReturnRate: b.simpleReturnRate,
    currentUnits: b.currentUnits,
    lastLoanPrincipal: maybeMoney(b.lastLoanPrincipal, c),
    fetchedAt: instantInKst(fetchedAt),
  };
}

/** Deposit when money came in, withdrawal when it went out, null when the bank reports neither. */
export function transactionType(t: TransactionRecord): TransactionType | null {
  const isDeposit = t.deposit !== '0';
  const isWithdrawal = t.withdrawal !== '0';
  if (isDeposit === isWithdrawal) return null;
  return isDeposit ? TransactionType.DEPOSIT : TransactionType.WITHDRAWAL;
}

export function toTransaction(t: TransactionRecord, accountCurrency: string): Transaction {
  const c = t.currency || accountCurrency;
  const type = transactionType(t);
  return {
    occurredAt: `${t.date}T${t.time}${KST}`,
    date: t.date,
    type,
    amount: money(type === TransactionType.WITHDRAWAL ? t.withdrawal : t.deposit, c),
    deposit: money(t.deposit, c),
    withdrawal: money(t.withdrawal, c),
    balanceAfter: money(t.balanceAfter, c),
    memo: t.memo,
    counterparty: t.counterparty,
    passbookSummaryCode: t.passbookSummaryCode,
    depositKindCode: t.depositKindCode,
    channelCode: t.channelCode,
    installmentNumber: t.installmentNumber,
    statusCode: t.statusCode,
  };
}
