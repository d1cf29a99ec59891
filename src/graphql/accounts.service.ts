/**
 * What the resolvers ask for, in terms of loaders: the logic behind the thin resolvers. It holds no
 * request state: each method is given the request's loaders.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { instantInKst } from '../cache/days';
import type { CursorCodec } from './cursor';
import { todayInKst } from './dates';
import { toAccount, toAccountDetail } from './mappers';
import type { Loaders } from './loaders';
import type { Account } from './types/account.type';
import type { AccountDetail } from './types/account-detail.type';
import { DetailArgs, TransactionsArgs } from './types/args';
import type { TransactionConnection } from './types/transaction.type';
import { buildPage, scopeOf, startOffset } from './transactions.page';
import { type ArgumentLimits, findViolations } from './validation';

export class AccountsService {
  constructor(
    private readonly codec: CursorCodec,
    private readonly limits: ArgumentLimits,
    private readonly today: () => string = todayInKst,
  ) {}

  async list(loaders: Loaders): Promise<Account[]> {
    const { value, fetchedAt } = await loaders.accountList();
    return value.map((a) => toAccount(a, fetchedAt));
  }

  /**
   * One account. Knowing whether the customer has it takes the account list. When the list is
   * known without a call (this request loaded it, or it is cached), only an owned number goes on
   * to its `detail` and `transactions`: no number the customer does not own is sent upstream.
   * Otherwise `detail` and `transactions` are started now, beside the list call, so the critical
   * path is one round trip, not two; their calls are counted whether or not the number turns out
   * to be owned. Only valid arguments are started (invalid ones fail in their own resolver, with
   * no upstream call), and a started call's failure is reported by the field that asked for it.
   */
  async one(loaders: Loaders, accountNumber: string, info: GraphQLResolveInfo): Promise<Account | null> {
    const known = await loaders.knownAccounts();
    if (known) {
      const owned = known.value.find((a) => a.number === accountNumber);
      return owned ? toAccount(owned, known.fetchedAt) : null;
    }
    const summary = loaders.account.load(accountNumber);
    this.prefetch(loaders, accountNumber, info);
    const found = await summary;
    return found ? toAccount(found, (await loaders.accountList()).fetchedAt) : null;
  }

  async detail(
    loaders: Loaders,
    accountNumber: string,
    asOf: string | null | undefined,
  ): Promise<AccountDetail> {
    const { value, fetchedAt } = await loaders.basics.load({ accountNumber, asOf: asOf ?? this.today() });
    return toAccountDetail(value, fetchedAt);
  }

  async transactions(
    loaders: Loaders,
    account: Account,
    args: TransactionsArgs,
  ): Promise<TransactionConnection> {
    const scope = scopeOf(account.number, args);
    const start = startOffset(this.codec, scope, args.after);
    const { value, fetchedAt } = await loaders.transactions.loadFetched(account.number, args.from, args.to);
    return buildPage(value, args, scope, start, this.codec, account.currency, instantInKst(fetchedAt));
  }

  private isOwnCursor(accountNumber: string, args: TransactionsArgs): boolean {
    return args.after == null || this.codec.decode(scopeOf(accountNumber, args), args.after) !== null;
  }

  private prefetch(loaders: Loaders, accountNumber: string, info: GraphQLResolveInfo): void {
    const tree = parseResolveInfo(info) as ResolveTree | null | undefined;
    const fields = Object.values(tree?.fieldsByTypeName.Account ?? {});
    for (const field of fields) {
      if (field.name === 'detail') {
        const args = Object.assign(new DetailArgs(), field.args);
        if (findViolations(args, this.limits).length > 0) continue;
        void loaders.basics.load({ accountNumber, asOf: args.asOf ?? this.today() }).catch(ignore);
      } else if (field.name === 'transactions') {
        const args = Object.assign(new TransactionsArgs(), field.args);
        if (findViolations(args, this.limits).length > 0 || !this.isOwnCursor(accountNumber, args)) continue;
        void loaders.transactions.load(accountNumber, args.from, args.to).catch(ignore);
      }
    }
  }
}

/** A prefetch's failure is the field's to report, when its resolver loads the same key. */
function ignore(): void {}
