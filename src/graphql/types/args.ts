import {
  Max,
  Min,
  Matches,
  ValidateIf,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  type ValidationArguments,
  Validate,
} from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { DateScalar } from '../scalars';
import { TransactionOrder, TransactionType } from './transaction.type';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../page-size';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

function firstMessage({ value }: ValidationArguments): string {
  return `Argument "first" needs a whole number from 1 to ${MAX_PAGE_SIZE}, got ${String(value)}.`;
}

/** An account number as a message may show it: by its shape, since the value may be a real number. */
function describeNumber(value: unknown): string {
  if (typeof value !== 'string') return 'no string';
  const kind = /^\d*$/.test(value) ? 'digits' : 'characters, not all digits';
  return `${value.length} ${kind}`;
}

@ArgsType()
export class AccountArgs {
  @Field(() => String, { description: 'The account number: 10 to 15 digits.' })
  @Matches(/^\d{10,15}$/, {
    message: ({ value }: ValidationArguments) =>
      `Argument "number" needs 10 to 15 digits, got ${describeNumber(value)}.`,
  })
  number!: string;
}

@ArgsType()
export class DetailArgs {
  @Field(() => DateScalar, {
    nullable: true,
    description: 'The date the basics are as of (default: today in KST).',
  })
  asOf?: string | null;
}

@ValidatorConstraint({ name: 'fromNotAfterTo' })
class FromNotAfterTo implements ValidatorConstraintInterface {
  validate(to: unknown, args: ValidationArguments): boolean {
    const from = (args.object as TransactionsArgs).from;
    return typeof to !== 'string' || typeof from !== 'string' || from <= to;
  }
  defaultMessage(args: ValidationArguments): string {
    const from = (args.object as TransactionsArgs).from;
    return `Argument "to" needs a date on or after "from" (${from}), got ${String(args.value)}.`;
  }
}

@ArgsType()
export class TransactionsArgs {
  @Field(() => DateScalar, { description: 'The first day of the range (inclusive).' })
  from!: string;

  @Field(() => DateScalar, {
    description: 'The last day of the range (inclusive); at most 366 days after `from` by default.',
  })
  @Validate(FromNotAfterTo)
  to!: string;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: 'How many transactions to return: 1 to 1000 (default 100).',
  })
  @Min(1, { message: firstMessage })
  @Max(MAX_PAGE_SIZE, { message: firstMessage })
  first?: number | null = DEFAULT_PAGE_SIZE;

  @Field(() => String, {
    nullable: true,
    description:
      'Return the transactions after this cursor (an `endCursor` or edge `cursor` of the same list).',
  })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, {
    message: 'Argument "after" needs a cursor this service issued, got a string that is not one.',
  })
  after?: string | null;

  @Field(() => TransactionType, { nullable: true, description: 'Only deposits, or only withdrawals.' })
  type?: TransactionType | null;

  @Field(() => TransactionOrder, {
    nullable: true,
    defaultValue: TransactionOrder.NEWEST_FIRST,
    description: 'The order of the list (default: newest first).',
  })
  order?: TransactionOrder | null = TransactionOrder.NEWEST_FIRST;
}
