/**
 * What most teams write: resolvers that call the upstream once per field. The same `Loaders`
 * shape as `createLoaders`, but no caching, no de-duplication, no priming and no range coalescing:
 * every `load` is its own upstream call. The dashboard then costs 1 + 3N calls (the two months of
 * transactions are two calls) instead of 1 + 2N.
 */
import DataLoader from 'dataloader';
import type { Fetched } from '../../src/cache/answers';
import type * as Errors from '../../src/graphql/errors';
import type * as LoadersModule from '../../src/graphql/loaders';
import type { BasicsKey, LoaderOptions, Loaders } from '../../src/graphql/loaders';
import type { CallContext, WooriApi } from '../../src/woori/api';
import type { AccountBasics, AccountSummary, TransactionRecord } from '../../src/woori/domain';
import type * as TransactionOrder from '../../src/woori/transaction-order';
import { fromDist } from '../lib/dist';

const { TransactionRangeLoader } = fromDist<typeof LoadersModule>('graphql/loaders');
const { MissingTokenError } = fromDist<typeof Errors>('graphql/errors');
/** The loaders' contract is oldest first: the service's own sort. */
const { sortOldestFirst } = fromDist<typeof TransactionOrder>('woori/transaction-order');

/** Every key its own call, never remembered. */
const PER_CALL = { batch: false, cache: false } as const;

type FetchRange = (accountNumber: string, from: string, to: string) => Promise<Fetched<TransactionRecord[]>>;

/** A `TransactionRangeLoader` in name only: each `load` is one upstream call for exactly its range. */
class PerFieldTransactions extends TransactionRangeLoader {
  constructor(
    private readonly fetchOne: FetchRange,
    options: LoaderOptions,
  ) {
    super(fetchOne, options);
  }

  override async loadFetched(
    accountNumber: string,
    from: string,
    to: string,
  ): Promise<Fetched<TransactionRecord[]>> {
    const { value, fetchedAt } = await this.fetchOne(accountNumber, from, to);
    return { value: sortOldestFirst(value), fetchedAt };
  }
}

/** An answer, stamped when it arrived. */
async function fetched<T>(call: Promise<T>): Promise<Fetched<T>> {
  return { value: await call, fetchedAt: Date.now() };
}

/** A `loaderFactory` for `startService`. */
export function createNaiveLoaders(api: WooriApi, ctx: CallContext, options: LoaderOptions): Loaders {
  const callContext = (): CallContext => {
    if (!ctx.token) throw new MissingTokenError();
    return ctx;
  };
  const accounts = (): Promise<AccountSummary[]> => api.listAccounts(callContext());
  const account = new DataLoader<string, AccountSummary | null>(async ([number]) => {
    const list = await accounts();
    return [list.find((a) => a.number === number) ?? null];
  }, PER_CALL);
  const basics = new DataLoader<BasicsKey, Fetched<AccountBasics>, string>(
    ([key]) => one(fetched(api.getAccountBasics(callContext(), key.accountNumber, key.asOf))),
    PER_CALL,
  );
  const transactions = new PerFieldTransactions(
    (accountNumber, from, to) => fetched(api.listTransactions(callContext(), accountNumber, from, to)),
    options,
  );
  const accountList = (): Promise<Fetched<AccountSummary[]>> => fetched(accounts());
  const knownAccounts = async (): Promise<undefined> => undefined;
  return { accounts, accountList, knownAccounts, account, basics, transactions };
}

/** DataLoader's batch result for one key: the value, or the error in its slot. */
async function one<T>(value: Promise<T>): Promise<Array<T | Error>> {
  try {
    return [await value];
  } catch (error) {
    return [error instanceof Error ? error : new Error(String(error))];
  }
}
