import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from './money.type';

@ObjectType({
  description: 'Totals of the transactions of one calendar month (KST) of a range.',
  simpleResolvers: true,
})
export class MonthSummary {
  @Field(() => String, { description: 'The month, `YYYY-MM`, in Korea Standard Time, e.g. "2024-06".' })
  month!: string;

  @Field(() => Int, { description: 'Transactions of the month that match the filter.' })
  count!: number;

  @Field(() => Money, { description: 'The sum of their deposits, exact.' })
  deposits!: Money;

  @Field(() => Money, { description: 'The sum of their withdrawals, exact.' })
  withdrawals!: Money;

  @Field(() => Money, { description: '`deposits` - `withdrawals`, exact.' })
  net!: Money;

  @Field(() => Money, {
    nullable: true,
    description: "The balance after the month's last transaction in the range (of any type).",
  })
  closingBalance!: Money | null;
}

@ObjectType({
  description:
    'Totals over the whole range and filter, not only the page: computed exactly from the transactions the page comes from, with no upstream call of its own.',
  simpleResolvers: true,
})
export class TransactionSummary {
  @Field(() => Int, { description: 'Transactions in the range that match the filter (`totalCount`).' })
  count!: number;

  @Field(() => Int, { description: 'Of them, deposits.' })
  depositCount!: number;

  @Field(() => Int, { description: 'Of them, withdrawals.' })
  withdrawalCount!: number;

  @Field(() => Money, { description: 'The sum of their deposits, exact.' })
  deposits!: Money;

  @Field(() => Money, { description: 'The sum of their withdrawals, exact.' })
  withdrawals!: Money;

  @Field(() => Money, { description: '`deposits` - `withdrawals`, exact.' })
  net!: Money;

  @Field(() => Money, {
    nullable: true,
    description:
      "Balance before the range's first transaction (of any type, whatever the filter); null for an empty range.",
  })
  openingBalance!: Money | null;

  @Field(() => Money, {
    nullable: true,
    description:
      "Balance after the range's last transaction (of any type, whatever the filter); null for an empty range.",
  })
  closingBalance!: Money | null;

  @Field(() => [MonthSummary], {
    description:
      'One entry per calendar month (KST) of the range that has transactions (of any type), oldest first; under a filter, its counts and sums are of the matching ones.',
  })
  months!: MonthSummary[];
}
