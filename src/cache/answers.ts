/**
 * What the GraphQL layer asks of the upstream, as answers with the instant they left it: straight
 * from the upstream (`directAnswers`), or through the answer cache (`AnswerCache.forRequest`).
 */
import type { CallContext, WooriApi } from '../woori/api';
import type { AccountBasics, AccountSummary, IsoDate, TransactionRecord } from '../woori/domain';
import { sortOldestFirst } from '../woori/transaction-order';
import { fromDay, toDay } from './days';
import { splitRange } from './ranges';

/** An answer and when it left the upstream (ms since the epoch): the input of `fetchedAt`. */
export interface Fetched<T> {
  readonly value: T;
  readonly fetchedAt: number;
}

/** One request's upstream answers; every call made for them carries the request's call context. */
export interface Answers {
  /** The customer's account list. */
  accounts(): Promise<Fetched<AccountSummary[]>>;
  /** The account list when it is known without an upstream call (cached and fresh enough), else undefined. */
  knownAccounts(): Promise<Fetched<AccountSummary[]> | undefined>;
  /** One account's basics as of a date. */
  basics(accountNumber: string, asOf: IsoDate): Promise<Fetched<AccountBasics>>;
  /**
   * One account's transactions from `from` to `to` (both inclusive), oldest first, however long the
   * range: it is cut to the upstream's span limit. `fetchedAt` is the oldest of the answers used.
   */
  transactions(accountNumber: string, from: IsoDate, to: IsoDate): Promise<Fetched<TransactionRecord[]>>;
}

export interface DirectAnswersOptions {
  /** Longest range the upstream accepts in one transactions call, inclusive days. */
  upstreamMaxSpanDays: number;
  /** The wall clock of `fetchedAt` (default `Date.now`). */
  now?: () => number;
}

/** Every answer from the upstream, nothing remembered (the cache is off or not given). */
export function directAnswers(api: WooriApi, ctx: CallContext, options: DirectAnswersOptions): Answers {
  const now = options.now ?? Date.now;
  const fetched = async <T>(call: Promise<T>): Promise<Fetched<T>> => ({
    value: await call,
    fetchedAt: now(),
  });
  return {
    accounts: () => fetched(api.listAccounts(ctx)),
    knownAccounts: async () => undefined,
    basics: (accountNumber, asOf) => fetched(api.getAccountBasics(ctx, accountNumber, asOf)),
    async transactions(accountNumber, from, to) {
      const pieces = splitRange({ from: toDay(from), to: toDay(to) }, options.upstreamMaxSpanDays);
      const answers = await Promise.all(
        pieces.map(async (piece) => {
          const rows = await api.listTransactions(ctx, accountNumber, fromDay(piece.from), fromDay(piece.to));
          return { value: sortOldestFirst(rows), fetchedAt: now() };
        }),
      );
      return joinPieces(answers, now);
    },
  };
}

/** Answers of consecutive day ranges, in order, as one: their rows joined, the oldest `fetchedAt`. */
export function joinPieces(
  pieces: readonly Fetched<TransactionRecord[]>[],
  now: () => number,
): Fetched<TransactionRecord[]> {
  if (pieces.length === 1) return pieces[0];
  const value: TransactionRecord[] = [];
  let fetchedAt = Infinity;
  for (const piece of pieces) {
    for (const row of piece.value) value.push(row);
    fetchedAt = Math.min(fetchedAt, piece.fetchedAt);
  }
  return { value, fetchedAt: pieces.length > 0 ? fetchedAt : now() };
}
