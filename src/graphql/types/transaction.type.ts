import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';
import { Money } from './money.type';
import { TransactionSummary } from './summary.type';

export enum TransactionType {
  DEPOSIT = 'DEPOSIT',
  WITHDRAWAL = 'WITHDRAWAL',
}
registerEnumType(TransactionType, {
  name: 'TransactionType',
  description: 'Which way money moved.',
  valuesConfig: {
    DEPOSIT: { description: 'Money came into the account.' },
    WITHDRAWAL: { description: 'Money left the account.' },
  },
});

export enum TransactionOrder {
  NEWEST_FIRST = 'NEWEST_FIRST',
  OLDEST_FIRST = 'OLDEST_FIRST',
}
registerEnumType(TransactionOrder, {
  name: 'TransactionOrder',
  description: 'The order of a transaction list.',
  valuesConfig: {
    NEWEST_FIRST: { description: 'The most recent transaction first.' },
    OLDEST_FIRST: { description: 'The earliest transaction first.' },
  },
});

@ObjectType({ description: 'One transaction on an account (거래내역조회).', simpleResolvers: true })
export class Transaction {
  @Field(() => DateTimeScalar, { description: 'When it happened, in Korea Standard Time.' })
  occurredAt!: string;

  @Field(() => DateScalar, { description: 'The day it happened, in Korea Standard Time.' })
  date!: string;

  @Field(() => TransactionType, {
    nullable: true,
    description: 'Deposit or withdrawal; null when the bank reports neither amount.',
  })
  type!: TransactionType | null;

  @Field(() => Money, { description: 'The amount that moved (deposit or withdrawal), positive.' })
  amount!: Money;

  @Field(() => Money, { description: 'The amount deposited (zero for a withdrawal).' })
  deposit!: Money;

  @Field(() => Money, { description: 'The amount withdrawn (zero for a deposit).' })
  withdrawal!: Money;

  @Field(() => Money, {
    description:
      "The running balance right after this transaction (DPS_BAL): the previous transaction's `balanceAfter` + `deposit` - `withdrawal`. The latest transaction's is the account's `balance` now.",
  })
  balanceAfter!: Money;

  @Field(() => String, {
    nullable: true,
    description: 'The memo printed in the passbook, e.g. a shop or a name.',
  })
  memo!: string | null;

  @Field(() => String, { nullable: true, description: 'The other party, as the bank records it.' })
  counterparty!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The bank's passbook summary code (PBOK_PRNG_OTLN_CD).",
  })
  passbookSummaryCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The bank's deposit receipt/payment kind code (DPS_RAP_KDCD).",
  })
  depositKindCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The bank's channel code (MD_KDCD), e.g. card or ATM.",
  })
  channelCode!: string | null;

  @Field(() => Int, { nullable: true, description: 'The installment number, for installment savings.' })
  installmentNumber!: number | null;

  @Field(() => String, { nullable: true, description: "The bank's transaction status code (TRN_STCD)." })
  statusCode!: string | null;
}

@ObjectType({ description: 'A transaction and the cursor that points at it.', simpleResolvers: true })
export class TransactionEdge {
  @Field(() => String, { description: 'Pass it as `after` to get the transactions that follow this one.' })
  cursor!: string;

  @Field(() => Transaction, { description: 'The transaction.' })
  node!: Transaction;
}

@ObjectType({ description: 'Where a page stands in its list.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more transactions follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether transactions come before this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first transaction of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last transaction of the page.' })
  endCursor!: string | null;
}

@ObjectType({ description: 'A page of transactions.', simpleResolvers: true })
export class TransactionConnection {
  @Field(() => [TransactionEdge], { description: 'The transactions of this page, each with its cursor.' })
  edges!: TransactionEdge[];

  @Field(() => [Transaction], { description: 'The transactions of this page.' })
  nodes!: Transaction[];

  @Field(() => PageInfo, { description: 'Where this page stands in the list.' })
  pageInfo!: PageInfo;

  @Field(() => Int, {
    description: 'All transactions in the range that match the filter, not only this page.',
  })
  totalCount!: number;

  @Field(() => TransactionSummary, {
    description:
      'Totals over the whole range and filter, not only this page: counts, sums, opening and closing balances, and months. Exact, and no upstream call of its own.',
  })
  summary!: TransactionSummary;
  @Field(() => DateTimeScalar, {
    description:
      'When the oldest of the upstream answers this list is built from left the upstream: now, or earlier for days that came from the cache (see the `Cache-Control` request header).',
  })
  fetchedAt!: string;
}
