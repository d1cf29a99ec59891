/** `Query.balances`: the account list's balances summed per currency, exactly. */
import type { AccountSummary } from '../woori/domain';
import { DecimalSum, formatDecimal } from './decimal';
import type { CurrencyBalance } from './types/balance.type';

/**
 * One entry per currency, in the order the currencies first appear in the account list (the
 * bank's order). Gold (XAU, grams) and every other currency stay apart: nothing is converted.
 */
export function sumBalances(accounts: readonly AccountSummary[]): CurrencyBalance[] {
  const byCurrency = new Map<string, { sum: DecimalSum; accountCount: number }>();
  for (const account of accounts) {
    const entry = byCurrency.get(account.currency) ?? { sum: new DecimalSum(), accountCount: 0 };
    entry.sum.add(account.balance);
    entry.accountCount += 1;
    byCurrency.set(account.currency, entry);
  }
  return [...byCurrency].map(([currency, { sum, accountCount }]) => ({
    currency,
    total: { amount: formatDecimal(sum.value), currency },
    accountCount,
  }));
}
