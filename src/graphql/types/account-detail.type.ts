import { Field, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';
import { Money } from './money.type';

@ObjectType({
  description:
    "One account's basics as of a date (계좌기본조회). Fund, savings and loan fields are null for other products.",
  simpleResolvers: true,
})
export class AccountDetail {
  @Field(() => String, { description: 'The account number.' })
  number!: string;

  @Field(() => DateScalar, { description: 'The date these basics are as of.' })
  asOf!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The bank\'s account status code (ACT_STS, e.g. "01").',
  })
  statusCode!: string | null;

  @Field(() => String, { description: 'ISO 4217 currency code of the account.' })
  currency!: string;

  @Field(() => String, { nullable: true, description: "The bank's product code." })
  productCode!: string | null;

  @Field(() => Money, {
    description:
      "The balance as of `asOf` (CT_BAL): at the end of that day for a past date, now for today, when it equals the account's `balance`.",
  })
  currentBalance!: Money;

  @Field(() => DateScalar, { nullable: true, description: 'The day the account was opened.' })
  openedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The maturity date, for accounts that have one.' })
  maturesOn!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The tax-benefit product code, when the account has one.',
  })
  taxBenefitProductCode!: string | null;

  @Field(() => Money, {
    nullable: true,
    description: 'The monthly payment of an installment savings account.',
  })
  monthlyPayment!: Money | null;

  @Field(() => DecimalScalar, { nullable: true, description: "A fund's base price (NAV) today." })
  todayBasePrice!: string | null;

  @Field(() => Money, { nullable: true, description: "A fund's valuation today." })
  todayValuation!: Money | null;

  @Field(() => Money, { nullable: true, description: 'The principal invested in a fund.' })
  investedPrincipal!: Money | null;

  @Field(() => DecimalScalar, { nullable: true, description: "A fund's simple return, in percent." })
  simpleReturnRate!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The fund units held now.' })
  currentUnits!: string | null;

  @Field(() => Money, { nullable: true, description: 'The principal of the last loan drawn.' })
  lastLoanPrincipal!: Money | null;

  @Field(() => DateTimeScalar, {
    description:
      'When these basics left the upstream: now, or earlier when they came from the cache (see the `Cache-Control` request header).',
  })
  fetchedAt!: string;
}
