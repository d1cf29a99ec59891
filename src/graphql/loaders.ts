/**
 * Per-request loaders. The upstream has no batch endpoint, so what a loader buys here is not one
 * call for many keys but: de-duplication (each key is fetched once per request, whatever asks for
 * it), priming (the account list answers single-account lookups), and, for transactions, range
 * coalescing (every range one request asks of one account is served by the fewest upstream calls
 * whose ranges cover their union).
 *
 * Loaders are built by `createLoaders` for every request and die with it. Their answers come from
 * the request's `Answers`: the answer cache (per customer, encrypted, shared by identical calls in
 * flight) when the service has one, else the upstream directly.
 */
import DataLoader from 'dataloader';
import type { AnswerCache } from '../cache/answer-cache';
import { type Answers, directAnswers, type Fetched } from '../cache/answers';
import { fromDay, toDay } from '../cache/days';
import { type DayRange, mergeRanges, overlaps, subtractRanges } from '../cache/ranges';
import type { CallContext, WooriApi } from '../woori/api';
import type { AccountBasics, AccountSummary, IsoDate, TransactionRecord } from '../woori/domain';
import { firstOnOrAfter } from '../woori/transaction-order';
import { MissingTokenError } from './errors';

export interface LoaderOptions {
  /** Longest range the upstream accepts in one call, inclusive days. */
  upstreamMaxSpanDays: number;
  onBatch?: (loader: 'accounts' | 'basics' | 'transactions', size: number) => void;
  /** The answer cache; unset: every answer from the upstream. */
  cache?: AnswerCache;
}

export interface Loaders {
  /** The customer's account list: one upstream call per request at most. */
  accounts(): Promise<AccountSummary[]>;
  /** The same list, with when it left the upstream. */
  accountList(): Promise<Fetched<AccountSummary[]>>;
  /**
   * The account list when it is known without an upstream call: already loaded by this request,
   * or cached. Undefined otherwise (no call is made to find out).
   */
  knownAccounts(): Promise<Fetched<AccountSummary[]> | undefined>;
  /** One account from the list, or null when the customer has no such account. */
  account: DataLoader<string, AccountSummary | null>;
  /** Account basics, once per (account, date), with when they left the upstream. */
  basics: DataLoader<BasicsKey, Fetched<AccountBasics>, string>;
  /** Transactions of one account between two dates (inclusive), oldest first. */
  transactions: TransactionRangeLoader;
}

export interface BasicsKey {
  accountNumber: string;
  asOf: IsoDate;
}

/** The loaders of one request; every upstream call they make carries `ctx`. */
export function createLoaders(api: WooriApi, ctx: CallContext, options: LoaderOptions): Loaders {
  const answers: Answers = options.cache
    ? options.cache.forRequest(api, ctx)
    : directAnswers(api, ctx, { upstreamMaxSpanDays: options.upstreamMaxSpanDays });
  const withToken = (): Answers => {
    if (!ctx.token) throw new MissingTokenError();
    return answers;
  };
  let accountList: Promise<Fetched<AccountSummary[]>> | undefined;
  let loadedList: Fetched<AccountSummary[]> | undefined;
  const useList = (list: Promise<Fetched<AccountSummary[]>>): Promise<Fetched<AccountSummary[]>> =>
    (accountList ??= list.then((fetched) => {
      loadedList = fetched;
      for (const summary of fetched.value) account.prime(summary.number, summary);
      return fetched;
    }));
  const loadList = (): Promise<Fetched<AccountSummary[]>> =>
    accountList ??
    useList(
      (async () => {
        options.onBatch?.('accounts', 1);
        return withToken().accounts();
      })(),
    );
  // One look in the cache per request: a cached list becomes the request's list.
  let cachedList: Promise<Fetched<AccountSummary[]> | undefined> | undefined;
  const knownAccounts = async (): Promise<Fetched<AccountSummary[]> | undefined> => {
    if (loadedList || !ctx.token) return loadedList;
    cachedList ??= answers.knownAccounts().then((cached) => cached && useList(Promise.resolve(cached)));
    return (await cachedList) ?? loadedList;
  };
  const account = new DataLoader<string, AccountSummary | null>(async (numbers) => {
    const list = (await loadList()).value;
    return numbers.map((n) => list.find((a) => a.number === n) ?? null);
  });
  const basics = new DataLoader<BasicsKey, Fetched<AccountBasics>, string>(
    (keys) => {
      options.onBatch?.('basics', keys.length);
      return settle(keys.map(async (k) => withToken().basics(k.accountNumber, k.asOf)));
    },
    { cacheKeyFn: (k) => `${k.accountNumber}|${k.asOf}` },
  );
  const transactions = new TransactionRangeLoader(
    (accountNumber, from, to) => withToken().transactions(accountNumber, from, to),
    options,
  );
  return {
    accounts: async () => (await loadList()).value,
    accountList: loadList,
    knownAccounts,
    account,
    basics,
    transactions,
  };
}

/** Rows of one account's days, oldest first, with when they left the upstream (or the cache's oldest). */
type FetchRange = (
  accountNumber: string,
  from: IsoDate,
  to: IsoDate,
) => Promise<Fetched<TransactionRecord[]>>;

interface RangeKey {
  accountNumber: string;
  from: IsoDate;
  to: IsoDate;
}

/** A range fetched (or being fetched), with its rows sorted oldest first. */
interface Segment extends DayRange {
  rows: Promise<Fetched<TransactionRecord[]>>;
}

/**
 * Serves transaction ranges by coalescing. Within one batch (one tick of the request), the ranges
 * asked of an account are merged when they overlap or touch and fetched once each (the answers
 * cut them to the upstream's span limit, and serve the days the cache holds); a range asked later
 * (in another tick) is served from what is already fetched or in flight, and only its uncovered
 * days are fetched. Every caller gets its own slice.
 */
export class TransactionRangeLoader {
  private readonly segments = new Map<string, Segment[]>();
  private readonly loader: DataLoader<RangeKey, Fetched<TransactionRecord[]>, string>;

  constructor(
    private readonly fetchRange: FetchRange,
    private readonly options: LoaderOptions,
  ) {
    this.loader = new DataLoader((keys) => this.batch(keys), {
      cacheKeyFn: (k) => `${k.accountNumber}|${k.from}|${k.to}`,
    });
  }

  /** Transactions of `accountNumber` from `from` to `to`, both inclusive, oldest first. */
  async load(accountNumber: string, from: IsoDate, to: IsoDate): Promise<TransactionRecord[]> {
    return (await this.loadFetched(accountNumber, from, to)).value;
  }

  /** The same, with the oldest `fetchedAt` of the answers they come from. */
  loadFetched(accountNumber: string, from: IsoDate, to: IsoDate): Promise<Fetched<TransactionRecord[]>> {
    return this.loader.load({ accountNumber, from, to });
  }

  private batch(keys: readonly RangeKey[]): Promise<Array<Fetched<TransactionRecord[]> | Error>> {
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
      for (const range of missing) {
        known.push({
          ...range,
          rows: this.fetchRange(accountNumber, fromDay(range.from), fromDay(range.to)),
        });
        fetched += 1;
      }
      this.segments.set(accountNumber, known);
    }
    if (fetched > 0) this.options.onBatch?.('transactions', keys.length);
    return settle(keys.map((k) => this.slice(k)));
  }

  private async slice(key: RangeKey): Promise<Fetched<TransactionRecord[]>> {
    const wanted = { from: toDay(key.from), to: toDay(key.to) };
    const parts = (this.segments.get(key.accountNumber) ?? [])
      .filter((s) => overlaps(s, wanted))
      .sort((a, b) => a.from - b.from);
    const answers = await Promise.all(parts.map((p) => p.rows));
    const value: TransactionRecord[] = [];
    let fetchedAt = Infinity;
    for (const answer of answers) {
      const list = answer.value;
      const start = firstOnOrAfter(list, key.from);
      const end = firstOnOrAfter(list, nextDay(key.to));
      for (let i = start; i < end; i++) value.push(list[i]);
      fetchedAt = Math.min(fetchedAt, answer.fetchedAt);
    }
    return { value, fetchedAt: Number.isFinite(fetchedAt) ? fetchedAt : Date.now() };
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
