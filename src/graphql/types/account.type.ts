import { Directive, Field, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';
import { Money } from './money.type';

// The entity key of the federation subgraph (FEDERATION_SUBGRAPH); the plain schema ignores it.
@Directive('@key(fields: "number")')
@ObjectType({
  description: "One of the signed-in customer's accounts, as the bank's account list (전계좌조회) shows it.",
  simpleResolvers: true,
})
export class Account {
  @Field(() => String, { description: 'The account number, an opaque string of digits.' })
  number!: string;

  @Field(() => String, { description: "The bank's product code (PDCD)." })
  productCode!: string;

  @Field(() => String, { description: 'The product name, in Korean, e.g. "우리급여 저축예금".' })
  productName!: string;

  @Field(() => String, { description: 'ISO 4217 currency code of the account.' })
  currency!: string;

  @Field(() => Money, {
    description:
      "The passbook balance now (PBOK_BAL, from the account list). It is `detail`'s `currentBalance` as of today and the latest transaction's `balanceAfter`; `detail(asOf:)` gives the balance of another day.",
  })
  balance!: Money;

  @Field(() => Money, {
    nullable: true,
    description: 'The amount that can be withdrawn now, when the bank says.',
  })
  withdrawableAmount!: Money | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the account was opened.' })
  openedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day of the last transaction.' })
  lastTransactionOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The maturity date, for accounts that have one.' })
  maturesOn!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether a loss, theft or other accident is registered on the account; null when the bank does not say.',
  })
  hasAccidentReport!: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: "The bank's account kind code (ACCT_KND: P, J, U, L or A; meanings undocumented).",
  })
  kindCode!: string | null;

  @Field(() => DateTimeScalar, {
    description:
      'When the account list behind this account left the upstream: now, or earlier when it came from the cache (see the `Cache-Control` request header).',
  })
  fetchedAt!: string;
}
