/**
 * The totals of a transaction range (`TransactionConnection.summary`), from the rows the range
 * loader already holds: one pass, exact decimal arithmetic, no upstream call of its own.
 */
import type { TransactionRecord } from '../woori/domain';
import {
  addDecimal,
  DecimalSum,
  formatDecimal,
  parseDecimal,
  type ScaledDecimal,
  subtractDecimal,
  ZERO,
} from './decimal';
import { transactionType } from './mappers';
import type { Money } from './types/money.type';
import type { MonthSummary, TransactionSummary } from './types/summary.type';
import { TransactionType } from './types/transaction.type';

interface MonthTotals {
  month: string;
  count: number;
  depositCount: number;
  withdrawalCount: number;
  deposits: DecimalSum;
  withdrawals: DecimalSum;
  /** The balance after the month's last row (of any type). */
  closing: string;
}

/**
 * Sums `rows` (one range of one account, oldest first, every type) in the account's `currency`.
 * Counts and sums are of the rows of `type` (all rows when unset); the opening and closing
 * balances and the months' closing balances are of every row, since a balance is.
 */
export function summarize(
  rows: readonly TransactionRecord[],
  type: TransactionType | null | undefined,
  currency: string,
): TransactionSummary {
  const months: MonthTotals[] = [];
  let current: MonthTotals | undefined;
  for (const row of rows) {
    // Dates are KST calendar dates already: the month is their first seven characters.
    const month = row.date.slice(0, 7);
    if (current?.month !== month) {
      current = newMonth(month);
      months.push(current);
    }
    current.closing = row.balanceAfter;
    const rowType = transactionType(row);
    if (type && rowType !== type) continue;
    current.count += 1;
    if (rowType === TransactionType.DEPOSIT) current.depositCount += 1;
    else if (rowType === TransactionType.WITHDRAWAL) current.withdrawalCount += 1;
    current.deposits.add(row.deposit);
    current.withdrawals.add(row.withdrawal);
  }

  const money = (value: ScaledDecimal): Money => ({ amount: formatDecimal(value), currency });
  let [count, depositCount, withdrawalCount] = [0, 0, 0];
  let deposits = ZERO;
  let withdrawals = ZERO;
  for (const m of months) {
    count += m.count;
    depositCount += m.depositCount;
    withdrawalCount += m.withdrawalCount;
    deposits = addDecimal(deposits, m.deposits.value);
    withdrawals = addDecimal(withdrawals, m.withdrawals.value);
  }
  const summary: TransactionSummary = {
    count,
    depositCount,
    withdrawalCount,
    deposits: money(deposits),
    withdrawals: money(withdrawals),
    net: money(subtractDecimal(deposits, withdrawals)),
    openingBalance: null,
    closingBalance: null,
    months: months.map((m): MonthSummary => ({
      month: m.month,
      count: m.count,
      deposits: money(m.deposits.value),
      withdrawals: money(m.withdrawals.value),
      net: money(subtractDecimal(m.deposits.value, m.withdrawals.value)),
      closingBalance: { amount: m.closing, currency },
    })),
  };
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last) {
    // The balance before a row is its balance after, less what it moved.
    const before = subtractDecimal(
      addDecimal(parseDecimal(first.balanceAfter), parseDecimal(first.withdrawal)),
      parseDecimal(first.deposit),
    );
    summary.openingBalance = money(before);
    summary.closingBalance = { amount: last.balanceAfter, currency };
  }
  return summary;
}

function newMonth(month: string): MonthTotals {
  return {
    month,
    count: 0,
    depositCount: 0,
    withdrawalCount: 0,
    deposits: new DecimalSum(),
    withdrawals: new DecimalSum(),
    closing: '0',
  };
}
