import { Ctx, Query, Resolver } from 'type-graphql';
import { sumBalances } from '../balances';
import type { GraphQLContext } from '../service.types';
import { CurrencyBalance } from '../types/balance.type';

/** Totals over the customer's accounts, from the account list the rest of the request shares. */
@Resolver(() => CurrencyBalance)
export class BalanceResolver {
  @Query(() => [CurrencyBalance], {
    description:
      "Balances summed per currency over the customer's accounts (from the account list: no extra upstream call).",
  })
  async balances(@Ctx() ctx: GraphQLContext): Promise<CurrencyBalance[]> {
    return sumBalances(await ctx.loaders.accounts());
  }
}
