/**
 * Per-request loaders. The upstream has no batch endpoint, so what a loader buys here is not one
 * call for many keys but: de-duplication (each key is fetched once per request, whatever asks for
 * it), priming (the account list answers single-account lookups), and, for transactions, range
 * coalescing (every range one request asks of one account is served by the fewest upstream calls
 * whose ranges cover their union).
 *
 * Loaders are built by `createLoaders` for every request and die with it: nothing fetched with
 * one customer's token can reach another request.
 */
import DataLoader from 'dataloader';
import type { CallContext, WooriApi } from '../woori/api';
import type { AccountBasics, AccountSummary, IsoDate, TransactionRecord } from '../woori/domain';
import { fromDay, toDay } from './dates';
import { firstOnOrAfter, sortOldestFirst } from '../woori/transaction-order';
import { MissingTokenError } from './errors';
import { type DayRange, mergeRanges, overlaps, splitRange, subtractRanges } from './ranges';

export interface LoaderOptions {
  /** Longest range the upstream accepts in one call, inclusive days. */
  upstreamMaxSpanDays: number;
  onBatch?: (loader: 'accounts' | 'basics' | 'transactions', size: number) => void;
}

export interface Loaders {
  /** The customer's account list: one upstream call per request at most. */
  accounts(): Promise<AccountSummary[]>;
  /** One account from the list, or null when the customer has no such account. */
  account: DataLoader<string, AccountSummary | null>;
  /** Account basics, once per (account, date). */
  basics: DataLoader<BasicsKey, AccountBasics, string>;
  /** Transactions of one account between two dates (inclusive), oldest first. */
  transactions: TransactionRangeLoader;
}

export interface BasicsKey {
  accountNumber: string;
  asOf: IsoDate;
}

/** The loaders of one request; every upstream call they make carries `ctx`. */
export function createLoaders(api: WooriApi, ctx: CallContext, options: LoaderOptions): Loaders {
  const callContext = (): CallContext => {
    if (!ctx.token) throw new MissingTokenError();
    return ctx;
  };
  let accountList: Promise<AccountSummary[]> | undefined;
  const accounts = (): Promise<AccountSummary[]> => {
    accountList ??= (async () => {
      options.onBatch?.('accounts', 1);
      const list = await api.listAccounts(callContext());
      for (const summary of list) account.prime(summary.number, summary);
      return list;
    })();
    return accountList;
  };
  const account = new DataLoader<string, AccountSummary | null>(async (numbers) => {
    const list = await accounts();
    return numbers.map((n) => list.find((a) => a.number === n) ?? null);
  });
  const basics = new DataLoader<BasicsKey, AccountBasics, string>(
    (keys) => {
      options.onBatch?.('basics', keys.length);
      return settle(keys.map(async (k) => api.getAccountBasics(callContext(), k.accountNumber, k.asOf)));
    },
    { cacheKeyFn: (k) => `${k.accountNumber}|${k.asOf}` },
  );
  const transactions = new TransactionRangeLoader(
    (accountNumber, from, to) => api.listTransactions(callContext(), accountNumber, from, to),
    options,
  );
  return { accounts, account, basics, transactions };
}

type FetchRange = (accountNumber: string, from: IsoDate, to: IsoDate) => Promise<TransactionRecord[]>;

interface RangeKey {
  accountNumber: string;
  from: IsoDate;
  to: IsoDate;
}

/** A range fetched (or being fetched) upstream, with its rows sorted oldest first. */
interface Segment extends DayRange {
  rows: Promise<TransactionRecord[]>;
}

/**
 * Serves transaction ranges by coalescing. Within one batch (one tick of the request), the ranges
 * asked of an account are merged when they overlap or touch, cut to the upstream's span limit and
 * fetched once each; a range asked later (in another tick) is served from what is already fetched
 * or in flight, and only its uncovered days are fetched. Every caller gets its own slice.
 */
export class TransactionRangeLoader {
  private readonly segments = new Map<string, Segment[]>();
  private readonly loader: DataLoader<RangeKey, TransactionRecord[], string>;

  constructor(
    private readonly fetchRange: FetchRange,
    private readonly options: LoaderOptions,
  ) {
    this.loader = new DataLoader((keys) => this.batch(keys), {
      cacheKeyFn: (k) => `${k.accountNumber}|${k.from}|${k.to}`,
    });
  }

  /** Transactions of `accountNumber` from `from` to `to`, both inclusive, oldest first. */
  load(accountNumber: string, from: IsoDate, to: IsoDate): Promise<TransactionRecord[]> {
    return this.loader.load({ accountNumber, from, to });
  }

  private batch(keys: readonly RangeKey[]): Promise<Array<TransactionRecord[] | Error>> {
    const byAccount = new Map<string, DayRange[]>();
    for (const k of keys) {
      const list = byAccount.get(k.accountNumber) ?? [];
      list.push({ from: toDay(k.from), to: toDay(k.to) });
      byAccount.set(k.accountNumber, list);
    }
    let fetched = 0;
    for (const [accountNumber, ranges] of byAccount) {
      const known = this.segments.get(accountNumber) ?? [];
      const missing = mergeRanges(ranges.flatMap((r) => subtractRanges(r, known)));
      for (const piece of missing.flatMap((r) => splitRange(r, this.options.upstreamMaxSpanDays))) {
        known.push({ ...piece, rows: this.fetchSegment(accountNumber, piece) });
        fetched += 1;
      }
      this.segments.set(accountNumber, known);
    }
    if (fetched > 0) this.options.onBatch?.('transactions', keys.length);
    return settle(keys.map((k) => this.slice(k)));
  }

  private async fetchSegment(accountNumber: string, range: DayRange): Promise<TransactionRecord[]> {
    const rows = await this.fetchRange(accountNumber, fromDay(range.from), fromDay(range.to));
    return sortOldestFirst(rows);
  }

  private async slice(key: RangeKey): Promise<TransactionRecord[]> {
    const wanted = { from: toDay(key.from), to: toDay(key.to) };
    const parts = (this.segments.get(key.accountNumber) ?? [])
      .filter((s) => overlaps(s, wanted))
      .sort((a, b) => a.from - b.from);
    const rows = await Promise.all(parts.map((p) => p.rows));
    const out: TransactionRecord[] = [];
    for (const list of rows) {
      const start = firstOnOrAfter(list, key.from);
      const end = firstOnOrAfter(list, nextDay(key.to));
      for (let i = start; i < end; i++) out.push(list[i]);
    }
    return out;
  }
}

function nextDay(date: IsoDate): IsoDate {
  return fromDay(toDay(date) + 1);
}

/** Awaits every promise, turning a rejection into an `Error` in its slot, as DataLoader expects. */
async function settle<T>(promises: Array<Promise<T>>): Promise<Array<T | Error>> {
  const results = await Promise.allSettled(promises);
  return results.map((r) =>
    r.status === 'fulfilled' ? r.value : r.reason instanceof Error ? r.reason : new Error(String(r.reason)),
  );
}
