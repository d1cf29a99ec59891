import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../service.types';
import { Account } from '../types/account.type';
import { AccountDetail } from '../types/account-detail.type';
import { AccountArgs, DetailArgs, TransactionsArgs } from '../types/args';
import { TransactionConnection } from '../types/transaction.type';

/** Resolvers stay thin: read arguments, ask the accounts service (which asks the loaders), return. */
@Resolver(() => Account)
export class AccountResolver {
  @Query(() => [Account], {
    description:
      "The signed-in customer's accounts (one upstream call per request, however often it is asked).",
  })
  accounts(@Ctx() ctx: GraphQLContext): Promise<Account[]> {
    return ctx.accounts.list(ctx.loaders);
  }

  @Query(() => Account, {
    nullable: true,
    description: "One of the customer's accounts, or null when the customer has no such account.",
  })
  account(
    @Args() args: AccountArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Account | null> {
    return ctx.accounts.one(ctx.loaders, args.number, info);
  }

  @FieldResolver(() => AccountDetail, {
    nullable: true,
    description:
      'Account basics as of a date (default: today in KST). Null, with an error on its path, when the upstream call fails.',
  })
  detail(
    @Root() account: Account,
    @Args() args: DetailArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AccountDetail> {
    return ctx.accounts.detail(ctx.loaders, account.number, args.asOf);
  }

  @FieldResolver(() => TransactionConnection, {
    nullable: true,
    description:
      'Transactions between two dates, both inclusive. Null, with an error on its path, when the upstream call fails.',
  })
  transactions(
    @Root() account: Account,
    @Args() args: TransactionsArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TransactionConnection> {
    return ctx.accounts.transactions(ctx.loaders, account, args);
  }
}
