import { Field, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../scalars';

@ObjectType({ description: 'An exact amount of money in one currency.', simpleResolvers: true })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount, exact, as a decimal string (never a float).' })
  amount!: string;

  @Field(() => String, {
    description: 'ISO 4217 currency code, e.g. "KRW", "USD"; "XAU" is gold, counted in grams.',
  })
  currency!: string;
}
