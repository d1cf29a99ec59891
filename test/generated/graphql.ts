import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Calendar date, ISO 8601: "2019-01-10". */
  Date: { input: string; output: string; }
  /** Instant with offset, ISO 8601, in Korea Standard Time: "2019-01-10T10:56:55+09:00". */
  DateTime: { input: string; output: string; }
  /** Exact decimal number, sent as a JSON string: "71888", "100.5", "123456789012345678". Never a float. */
  Decimal: { input: string; output: string; }
};

/** One of the signed-in customer's accounts, as the bank's account list (전계좌조회) shows it. */
export type Account = {
  __typename?: 'Account';
  /** The passbook balance now (PBOK_BAL, from the account list). It is `detail`'s `currentBalance` as of today and the latest transaction's `balanceAfter`; `detail(asOf:)` gives the balance of another day. */
  balance: Money;
  /** ISO 4217 currency code of the account. */
  currency: Scalars['String']['output'];
  /** Account basics as of a date (default: today in KST). Null, with an error on its path, when the upstream call fails. */
  detail?: Maybe<AccountDetail>;
  /** When the account list behind this account left the upstream: now, or earlier when it came from the cache (see the `Cache-Control` request header). */
  fetchedAt: Scalars['DateTime']['output'];
  /** Whether a loss, theft or other accident is registered on the account; null when the bank does not say. */
  hasAccidentReport?: Maybe<Scalars['Boolean']['output']>;
  /** The bank's account kind code (ACCT_KND: P, J, U, L or A; meanings undocumented). */
  kindCode?: Maybe<Scalars['String']['output']>;
  /** The day of the last transaction. */
  lastTransactionOn?: Maybe<Scalars['Date']['output']>;
  /** The maturity date, for accounts that have one. */
  maturesOn?: Maybe<Scalars['Date']['output']>;
  /** The account number, an opaque string of digits. */
  number: Scalars['String']['output'];
  /** The day the account was opened. */
  openedOn?: Maybe<Scalars['Date']['output']>;
  /** The bank's product code (PDCD). */
  productCode: Scalars['String']['output'];
  /** The product name, in Korean, e.g. "우리급여 저축예금". */
  productName: Scalars['String']['output'];
  /** Transactions between two dates, both inclusive. Null, with an error on its path, when the upstream call fails. */
  transactions?: Maybe<TransactionConnection>;
  /** The amount that can be withdrawn now, when the bank says. */
  withdrawableAmount?: Maybe<Money>;
};


/** One of the signed-in customer's accounts, as the bank's account list (전계좌조회) shows it. */
export type AccountDetailArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


/** One of the signed-in customer's accounts, as the bank's account list (전계좌조회) shows it. */
export type AccountTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from: Scalars['Date']['input'];
  order?: InputMaybe<TransactionOrder>;
  to: Scalars['Date']['input'];
  type?: InputMaybe<TransactionType>;
};

/** One account's basics as of a date (계좌기본조회). Fund, savings and loan fields are null for other products. */
export type AccountDetail = {
  __typename?: 'AccountDetail';
  /** The date these basics are as of. */
  asOf: Scalars['Date']['output'];
  /** ISO 4217 currency code of the account. */
  currency: Scalars['String']['output'];
  /** The balance as of `asOf` (CT_BAL): at the end of that day for a past date, now for today, when it equals the account's `balance`. */
  currentBalance: Money;
  /** The fund units held now. */
  currentUnits?: Maybe<Scalars['Decimal']['output']>;
  /** When these basics left the upstream: now, or earlier when they came from the cache (see the `Cache-Control` request header). */
  fetchedAt: Scalars['DateTime']['output'];
  /** The principal invested in a fund. */
  investedPrincipal?: Maybe<Money>;
  /** The principal of the last loan drawn. */
  lastLoanPrincipal?: Maybe<Money>;
  /** The maturity date, for accounts that have one. */
  maturesOn?: Maybe<Scalars['Date']['output']>;
  /** The monthly payment of an installment savings account. */
  monthlyPayment?: Maybe<Money>;
  /** The account number. */
  number: Scalars['String']['output'];
  /** The day the account was opened. */
  openedOn?: Maybe<Scalars['Date']['output']>;
  /** The bank's product code. */
  productCode?: Maybe<Scalars['String']['output']>;
  /** A fund's simple return, in percent. */
  simpleReturnRate?: Maybe<Scalars['Decimal']['output']>;
  /** The bank's account status code (ACT_STS, e.g. "01"). */
  statusCode?: Maybe<Scalars['String']['output']>;
  /** The tax-benefit product code, when the account has one. */
  taxBenefitProductCode?: Maybe<Scalars['String']['output']>;
  /** A fund's base price (NAV) today. */
  todayBasePrice?: Maybe<Scalars['Decimal']['output']>;
  /** A fund's valuation today. */
  todayValuation?: Maybe<Money>;
};

/** The balances of the customer's accounts in one currency, summed exactly. */
export type CurrencyBalance = {
  __typename?: 'CurrencyBalance';
  /** How many accounts hold this currency. */
  accountCount: Scalars['Int']['output'];
  /** ISO 4217 currency code, e.g. "KRW", "USD"; "XAU" is gold, counted in grams. */
  currency: Scalars['String']['output'];
  /** The sum of the balances of the accounts in this currency, exact. */
  total: Money;
};

/** An exact amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  /** The amount, exact, as a decimal string (never a float). */
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 currency code, e.g. "KRW", "USD"; "XAU" is gold, counted in grams. */
  currency: Scalars['String']['output'];
};

/** Totals of the transactions of one calendar month (KST) of a range. */
export type MonthSummary = {
  __typename?: 'MonthSummary';
  /** The balance after the month's last transaction in the range (of any type). */
  closingBalance?: Maybe<Money>;
  /** Transactions of the month that match the filter. */
  count: Scalars['Int']['output'];
  /** The sum of their deposits, exact. */
  deposits: Money;
  /** The month, `YYYY-MM`, in Korea Standard Time, e.g. "2024-06". */
  month: Scalars['String']['output'];
  /** `deposits` - `withdrawals`, exact. */
  net: Money;
  /** The sum of their withdrawals, exact. */
  withdrawals: Money;
};

/** Where a page stands in its list. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last transaction of the page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more transactions follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether transactions come before this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first transaction of the page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Read a Woori Bank customer's accounts, account basics and transactions. Send the customer's Woori access token as `Authorization: Bearer <token>`. */
export type Query = {
  __typename?: 'Query';
  /** One of the customer's accounts, or null when the customer has no such account. */
  account?: Maybe<Account>;
  /** The signed-in customer's accounts (one upstream call per request, however often it is asked). */
  accounts: Array<Account>;
  /** Balances summed per currency over the customer's accounts (from the account list: no extra upstream call). */
  balances: Array<CurrencyBalance>;
};


/** Read a Woori Bank customer's accounts, account basics and transactions. Send the customer's Woori access token as `Authorization: Bearer <token>`. */
export type QueryAccountArgs = {
  number: Scalars['String']['input'];
};

/** One transaction on an account (거래내역조회). */
export type Transaction = {
  __typename?: 'Transaction';
  /** The amount that moved (deposit or withdrawal), positive. */
  amount: Money;
  /** The running balance right after this transaction (DPS_BAL): the previous transaction's `balanceAfter` + `deposit` - `withdrawal`. The latest transaction's is the account's `balance` now. */
  balanceAfter: Money;
  /** The bank's channel code (MD_KDCD), e.g. card or ATM. */
  channelCode?: Maybe<Scalars['String']['output']>;
  /** The other party, as the bank records it. */
  counterparty?: Maybe<Scalars['String']['output']>;
  /** The day it happened, in Korea Standard Time. */
  date: Scalars['Date']['output'];
  /** The amount deposited (zero for a withdrawal). */
  deposit: Money;
  /** The bank's deposit receipt/payment kind code (DPS_RAP_KDCD). */
  depositKindCode?: Maybe<Scalars['String']['output']>;
  /** The installment number, for installment savings. */
  installmentNumber?: Maybe<Scalars['Int']['output']>;
  /** The memo printed in the passbook, e.g. a shop or a name. */
  memo?: Maybe<Scalars['String']['output']>;
  /** When it happened, in Korea Standard Time. */
  occurredAt: Scalars['DateTime']['output'];
  /** The bank's passbook summary code (PBOK_PRNG_OTLN_CD). */
  passbookSummaryCode?: Maybe<Scalars['String']['output']>;
  /** The bank's transaction status code (TRN_STCD). */
  statusCode?: Maybe<Scalars['String']['output']>;
  /** Deposit or withdrawal; null when the bank reports neither amount. */
  type?: Maybe<TransactionType>;
  /** The amount withdrawn (zero for a deposit). */
  withdrawal: Money;
};

/** A page of transactions. */
export type TransactionConnection = {
  __typename?: 'TransactionConnection';
  /** The transactions of this page, each with its cursor. */
  edges: Array<TransactionEdge>;
  /** When the oldest of the upstream answers this list is built from left the upstream: now, or earlier for days that came from the cache (see the `Cache-Control` request header). */
  fetchedAt: Scalars['DateTime']['output'];
  /** The transactions of this page. */
  nodes: Array<Transaction>;
  /** Where this page stands in the list. */
  pageInfo: PageInfo;
  /** Totals over the whole range and filter, not only this page: counts, sums, opening and closing balances, and months. Exact, and no upstream call of its own. */
  summary: TransactionSummary;
  /** All transactions in the range that match the filter, not only this page. */
  totalCount: Scalars['Int']['output'];
};

/** A transaction and the cursor that points at it. */
export type TransactionEdge = {
  __typename?: 'TransactionEdge';
  /** Pass it as `after` to get the transactions that follow this one. */
  cursor: Scalars['String']['output'];
  /** The transaction. */
  node: Transaction;
};

/** The order of a transaction list. */
export type TransactionOrder =
  /** The most recent transaction first. */
  | 'NEWEST_FIRST'
  /** The earliest transaction first. */
  | 'OLDEST_FIRST';

/** Totals over the whole range and filter, not only the page: computed exactly from the transactions the page comes from, with no upstream call of its own. */
export type TransactionSummary = {
  __typename?: 'TransactionSummary';
  /** Balance after the range's last transaction (of any type, whatever the filter); null for an empty range. */
  closingBalance?: Maybe<Money>;
  /** Transactions in the range that match the filter (`totalCount`). */
  count: Scalars['Int']['output'];
  /** Of them, deposits. */
  depositCount: Scalars['Int']['output'];
  /** The sum of their deposits, exact. */
  deposits: Money;
  /** One entry per calendar month (KST) of the range that has transactions (of any type), oldest first; under a filter, its counts and sums are of the matching ones. */
  months: Array<MonthSummary>;
  /** `deposits` - `withdrawals`, exact. */
  net: Money;
  /** Balance before the range's first transaction (of any type, whatever the filter); null for an empty range. */
  openingBalance?: Maybe<Money>;
  /** Of them, withdrawals. */
  withdrawalCount: Scalars['Int']['output'];
  /** The sum of their withdrawals, exact. */
  withdrawals: Money;
};

/** Which way money moved. */
export type TransactionType =
  /** Money came into the account. */
  | 'DEPOSIT'
  /** Money left the account. */
  | 'WITHDRAWAL';

export type AccountBasicsQueryVariables = Exact<{
  number: Scalars['String']['input'];
  asOf?: InputMaybe<Scalars['Date']['input']>;
}>;


export type AccountBasicsQuery = { __typename?: 'Query', account?: { __typename?: 'Account', number: string, productName: string, detail?: { __typename?: 'AccountDetail', number: string, asOf: string, statusCode?: string | null, currency: string, productCode?: string | null, openedOn?: string | null, maturesOn?: string | null, taxBenefitProductCode?: string | null, todayBasePrice?: string | null, simpleReturnRate?: string | null, currentUnits?: string | null, currentBalance: { __typename?: 'Money', amount: string, currency: string }, monthlyPayment?: { __typename?: 'Money', amount: string } | null, todayValuation?: { __typename?: 'Money', amount: string } | null, investedPrincipal?: { __typename?: 'Money', amount: string } | null, lastLoanPrincipal?: { __typename?: 'Money', amount: string } | null } | null } | null };

export type AccountTransactionsQueryVariables = Exact<{
  number: Scalars['String']['input'];
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<TransactionType>;
  order?: InputMaybe<TransactionOrder>;
}>;


export type AccountTransactionsQuery = { __typename?: 'Query', account?: { __typename?: 'Account', number: string, productName: string, currency: string, transactions?: { __typename?: 'TransactionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, edges: Array<{ __typename?: 'TransactionEdge', cursor: string, node: { __typename?: 'Transaction', occurredAt: string, date: string, type?: TransactionType | null, memo?: string | null, counterparty?: string | null, passbookSummaryCode?: string | null, depositKindCode?: string | null, channelCode?: string | null, installmentNumber?: number | null, statusCode?: string | null, amount: { __typename?: 'Money', amount: string, currency: string }, deposit: { __typename?: 'Money', amount: string }, withdrawal: { __typename?: 'Money', amount: string }, balanceAfter: { __typename?: 'Money', amount: string } } }> } | null } | null };

export type AccountsQueryVariables = Exact<{ [key: string]: never; }>;


export type AccountsQuery = { __typename?: 'Query', accounts: Array<{ __typename?: 'Account', number: string, productCode: string, productName: string, currency: string, openedOn?: string | null, lastTransactionOn?: string | null, maturesOn?: string | null, hasAccidentReport?: boolean | null, kindCode?: string | null, balance: { __typename?: 'Money', amount: string, currency: string }, withdrawableAmount?: { __typename?: 'Money', amount: string, currency: string } | null }> };

export type DashboardQueryVariables = Exact<{
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
  prevFrom: Scalars['Date']['input'];
  prevTo: Scalars['Date']['input'];
}>;


export type DashboardQuery = { __typename?: 'Query', accounts: Array<{ __typename?: 'Account', number: string, productName: string, balance: { __typename?: 'Money', amount: string, currency: string }, detail?: { __typename?: 'AccountDetail', statusCode?: string | null, currentBalance: { __typename?: 'Money', amount: string } } | null, thisMonth?: { __typename?: 'TransactionConnection', totalCount: number, nodes: Array<{ __typename?: 'Transaction', occurredAt: string, type?: TransactionType | null, memo?: string | null, amount: { __typename?: 'Money', amount: string } }> } | null, lastMonth?: { __typename?: 'TransactionConnection', totalCount: number } | null }> };

export type DemoDashboardQueryVariables = Exact<{
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type DemoDashboardQuery = { __typename?: 'Query', balances: Array<{ __typename?: 'CurrencyBalance', currency: string, accountCount: number, total: { __typename?: 'Money', amount: string, currency: string } }>, accounts: Array<{ __typename?: 'Account', number: string, productName: string, currency: string, balance: { __typename?: 'Money', amount: string, currency: string }, transactions?: { __typename?: 'TransactionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Transaction', occurredAt: string, type?: TransactionType | null, memo?: string | null, amount: { __typename?: 'Money', amount: string, currency: string } }>, summary: { __typename?: 'TransactionSummary', deposits: { __typename?: 'Money', amount: string }, withdrawals: { __typename?: 'Money', amount: string }, net: { __typename?: 'Money', amount: string }, openingBalance?: { __typename?: 'Money', amount: string } | null, closingBalance?: { __typename?: 'Money', amount: string } | null, months: Array<{ __typename?: 'MonthSummary', month: string, count: number, deposits: { __typename?: 'Money', amount: string }, withdrawals: { __typename?: 'Money', amount: string }, net: { __typename?: 'Money', amount: string }, closingBalance?: { __typename?: 'Money', amount: string } | null }> } } | null }> };

export type DemoTransactionsQueryVariables = Exact<{
  number: Scalars['String']['input'];
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DemoTransactionsQuery = { __typename?: 'Query', account?: { __typename?: 'Account', number: string, transactions?: { __typename?: 'TransactionConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Transaction', occurredAt: string, type?: TransactionType | null, memo?: string | null, amount: { __typename?: 'Money', amount: string, currency: string } }> } | null } | null };


export const AccountBasicsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccountBasics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"number"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"number"},"value":{"kind":"Variable","name":{"kind":"Name","value":"number"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"detail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"productCode"}},{"kind":"Field","name":{"kind":"Name","value":"currentBalance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"openedOn"}},{"kind":"Field","name":{"kind":"Name","value":"maturesOn"}},{"kind":"Field","name":{"kind":"Name","value":"taxBenefitProductCode"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyPayment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"todayBasePrice"}},{"kind":"Field","name":{"kind":"Name","value":"todayValuation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"investedPrincipal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"simpleReturnRate"}},{"kind":"Field","name":{"kind":"Name","value":"currentUnits"}},{"kind":"Field","name":{"kind":"Name","value":"lastLoanPrincipal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AccountBasicsQuery, AccountBasicsQueryVariables>;
export const AccountTransactionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccountTransactions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"number"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TransactionType"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"order"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TransactionOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"number"},"value":{"kind":"Variable","name":{"kind":"Name","value":"number"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}},{"kind":"Argument","name":{"kind":"Name","value":"order"},"value":{"kind":"Variable","name":{"kind":"Name","value":"order"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deposit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"withdrawal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"balanceAfter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"counterparty"}},{"kind":"Field","name":{"kind":"Name","value":"passbookSummaryCode"}},{"kind":"Field","name":{"kind":"Name","value":"depositKindCode"}},{"kind":"Field","name":{"kind":"Name","value":"channelCode"}},{"kind":"Field","name":{"kind":"Name","value":"installmentNumber"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AccountTransactionsQuery, AccountTransactionsQueryVariables>;
export const AccountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"productCode"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"withdrawableAmount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"openedOn"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransactionOn"}},{"kind":"Field","name":{"kind":"Name","value":"maturesOn"}},{"kind":"Field","name":{"kind":"Name","value":"hasAccidentReport"}},{"kind":"Field","name":{"kind":"Name","value":"kindCode"}}]}}]}}]} as unknown as DocumentNode<AccountsQuery, AccountsQueryVariables>;
export const DashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"prevFrom"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"prevTo"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"detail"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"currentBalance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"thisMonth"},"name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memo"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"lastMonth"},"name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"prevFrom"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"prevTo"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]}}]} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;
export const DemoDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DemoDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balances"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"accountCount"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memo"}}]}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deposits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"withdrawals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"net"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"openingBalance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"closingBalance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"months"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"deposits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"withdrawals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"net"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"closingBalance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DemoDashboardQuery, DemoDashboardQueryVariables>;
export const DemoTransactionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DemoTransactions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"number"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"number"},"value":{"kind":"Variable","name":{"kind":"Name","value":"number"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"amount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memo"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DemoTransactionsQuery, DemoTransactionsQueryVariables>;