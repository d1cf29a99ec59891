import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from './money.type';

@ObjectType({
  description: "The balances of the customer's accounts in one currency, summed exactly.",
  simpleResolvers: true,
})
export class CurrencyBalance {
  @Field(() => String, {
    description: 'ISO 4217 currency code, e.g. "KRW", "USD"; "XAU" is gold, counted in grams.',
  })
  currency!: string;

  @Field(() => Money, { description: 'The sum of the balances of the accounts in this currency, exact.' })
  total!: Money;

  @Field(() => Int, { description: 'How many accounts hold this currency.' })
  accountCount!: number;
}
