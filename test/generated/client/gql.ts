/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AccountBasics($number: String!, $asOf: Date) {\n  account(number: $number) {\n    number\n    productName\n    detail(asOf: $asOf) {\n      number\n      asOf\n      statusCode\n      currency\n      productCode\n      currentBalance {\n        amount\n        currency\n      }\n      openedOn\n      maturesOn\n      taxBenefitProductCode\n      monthlyPayment {\n        amount\n      }\n      todayBasePrice\n      todayValuation {\n        amount\n      }\n      investedPrincipal {\n        amount\n      }\n      simpleReturnRate\n      currentUnits\n      lastLoanPrincipal {\n        amount\n      }\n    }\n  }\n}": typeof types.AccountBasicsDocument,
    "query AccountTransactions($number: String!, $from: Date!, $to: Date!, $first: Int, $after: String, $type: TransactionType, $order: TransactionOrder) {\n  account(number: $number) {\n    number\n    productName\n    currency\n    transactions(\n      from: $from\n      to: $to\n      first: $first\n      after: $after\n      type: $type\n      order: $order\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          occurredAt\n          date\n          type\n          amount {\n            amount\n            currency\n          }\n          deposit {\n            amount\n          }\n          withdrawal {\n            amount\n          }\n          balanceAfter {\n            amount\n          }\n          memo\n          counterparty\n          passbookSummaryCode\n          depositKindCode\n          channelCode\n          installmentNumber\n          statusCode\n        }\n      }\n    }\n  }\n}": typeof types.AccountTransactionsDocument,
    "query Accounts {\n  accounts {\n    number\n    productCode\n    productName\n    currency\n    balance {\n      amount\n      currency\n    }\n    withdrawableAmount {\n      amount\n      currency\n    }\n    openedOn\n    lastTransactionOn\n    maturesOn\n    hasAccidentReport\n    kindCode\n  }\n}": typeof types.AccountsDocument,
    "query Dashboard($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {\n  accounts {\n    number\n    productName\n    balance {\n      amount\n      currency\n    }\n    detail {\n      statusCode\n      currentBalance {\n        amount\n      }\n    }\n    thisMonth: transactions(from: $from, to: $to, first: 20) {\n      totalCount\n      nodes {\n        occurredAt\n        type\n        amount {\n          amount\n        }\n        memo\n      }\n    }\n    lastMonth: transactions(from: $prevFrom, to: $prevTo) {\n      totalCount\n    }\n  }\n}": typeof types.DashboardDocument,
};
const documents: Documents = {
    "query AccountBasics($number: String!, $asOf: Date) {\n  account(number: $number) {\n    number\n    productName\n    detail(asOf: $asOf) {\n      number\n      asOf\n      statusCode\n      currency\n      productCode\n      currentBalance {\n        amount\n        currency\n      }\n      openedOn\n      maturesOn\n      taxBenefitProductCode\n      monthlyPayment {\n        amount\n      }\n      todayBasePrice\n      todayValuation {\n        amount\n      }\n      investedPrincipal {\n        amount\n      }\n      simpleReturnRate\n      currentUnits\n      lastLoanPrincipal {\n        amount\n      }\n    }\n  }\n}": types.AccountBasicsDocument,
    "query AccountTransactions($number: String!, $from: Date!, $to: Date!, $first: Int, $after: String, $type: TransactionType, $order: TransactionOrder) {\n  account(number: $number) {\n    number\n    productName\n    currency\n    transactions(\n      from: $from\n      to: $to\n      first: $first\n      after: $after\n      type: $type\n      order: $order\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          occurredAt\n          date\n          type\n          amount {\n            amount\n            currency\n          }\n          deposit {\n            amount\n          }\n          withdrawal {\n            amount\n          }\n          balanceAfter {\n            amount\n          }\n          memo\n          counterparty\n          passbookSummaryCode\n          depositKindCode\n          channelCode\n          installmentNumber\n          statusCode\n        }\n      }\n    }\n  }\n}": types.AccountTransactionsDocument,
    "query Accounts {\n  accounts {\n    number\n    productCode\n    productName\n    currency\n    balance {\n      amount\n      currency\n    }\n    withdrawableAmount {\n      amount\n      currency\n    }\n    openedOn\n    lastTransactionOn\n    maturesOn\n    hasAccidentReport\n    kindCode\n  }\n}": types.AccountsDocument,
    "query Dashboard($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {\n  accounts {\n    number\n    productName\n    balance {\n      amount\n      currency\n    }\n    detail {\n      statusCode\n      currentBalance {\n        amount\n      }\n    }\n    thisMonth: transactions(from: $from, to: $to, first: 20) {\n      totalCount\n      nodes {\n        occurredAt\n        type\n        amount {\n          amount\n        }\n        memo\n      }\n    }\n    lastMonth: transactions(from: $prevFrom, to: $prevTo) {\n      totalCount\n    }\n  }\n}": types.DashboardDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountBasics($number: String!, $asOf: Date) {\n  account(number: $number) {\n    number\n    productName\n    detail(asOf: $asOf) {\n      number\n      asOf\n      statusCode\n      currency\n      productCode\n      currentBalance {\n        amount\n        currency\n      }\n      openedOn\n      maturesOn\n      taxBenefitProductCode\n      monthlyPayment {\n        amount\n      }\n      todayBasePrice\n      todayValuation {\n        amount\n      }\n      investedPrincipal {\n        amount\n      }\n      simpleReturnRate\n      currentUnits\n      lastLoanPrincipal {\n        amount\n      }\n    }\n  }\n}"): (typeof documents)["query AccountBasics($number: String!, $asOf: Date) {\n  account(number: $number) {\n    number\n    productName\n    detail(asOf: $asOf) {\n      number\n      asOf\n      statusCode\n      currency\n      productCode\n      currentBalance {\n        amount\n        currency\n      }\n      openedOn\n      maturesOn\n      taxBenefitProductCode\n      monthlyPayment {\n        amount\n      }\n      todayBasePrice\n      todayValuation {\n        amount\n      }\n      investedPrincipal {\n        amount\n      }\n      simpleReturnRate\n      currentUnits\n      lastLoanPrincipal {\n        amount\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountTransactions($number: String!, $from: Date!, $to: Date!, $first: Int, $after: String, $type: TransactionType, $order: TransactionOrder) {\n  account(number: $number) {\n    number\n    productName\n    currency\n    transactions(\n      from: $from\n      to: $to\n      first: $first\n      after: $after\n      type: $type\n      order: $order\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          occurredAt\n          date\n          type\n          amount {\n            amount\n            currency\n          }\n          deposit {\n            amount\n          }\n          withdrawal {\n            amount\n          }\n          balanceAfter {\n            amount\n          }\n          memo\n          counterparty\n          passbookSummaryCode\n          depositKindCode\n          channelCode\n          installmentNumber\n          statusCode\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query AccountTransactions($number: String!, $from: Date!, $to: Date!, $first: Int, $after: String, $type: TransactionType, $order: TransactionOrder) {\n  account(number: $number) {\n    number\n    productName\n    currency\n    transactions(\n      from: $from\n      to: $to\n      first: $first\n      after: $after\n      type: $type\n      order: $order\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          occurredAt\n          date\n          type\n          amount {\n            amount\n            currency\n          }\n          deposit {\n            amount\n          }\n          withdrawal {\n            amount\n          }\n          balanceAfter {\n            amount\n          }\n          memo\n          counterparty\n          passbookSummaryCode\n          depositKindCode\n          channelCode\n          installmentNumber\n          statusCode\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Accounts {\n  accounts {\n    number\n    productCode\n    productName\n    currency\n    balance {\n      amount\n      currency\n    }\n    withdrawableAmount {\n      amount\n      currency\n    }\n    openedOn\n    lastTransactionOn\n    maturesOn\n    hasAccidentReport\n    kindCode\n  }\n}"): (typeof documents)["query Accounts {\n  accounts {\n    number\n    productCode\n    productName\n    currency\n    balance {\n      amount\n      currency\n    }\n    withdrawableAmount {\n      amount\n      currency\n    }\n    openedOn\n    lastTransactionOn\n    maturesOn\n    hasAccidentReport\n    kindCode\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {\n  accounts {\n    number\n    productName\n    balance {\n      amount\n      currency\n    }\n    detail {\n      statusCode\n      currentBalance {\n        amount\n      }\n    }\n    thisMonth: transactions(from: $from, to: $to, first: 20) {\n      totalCount\n      nodes {\n        occurredAt\n        type\n        amount {\n          amount\n        }\n        memo\n      }\n    }\n    lastMonth: transactions(from: $prevFrom, to: $prevTo) {\n      totalCount\n    }\n  }\n}"): (typeof documents)["query Dashboard($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {\n  accounts {\n    number\n    productName\n    balance {\n      amount\n      currency\n    }\n    detail {\n      statusCode\n      currentBalance {\n        amount\n      }\n    }\n    thisMonth: transactions(from: $from, to: $to, first: 20) {\n      totalCount\n      nodes {\n        occurredAt\n        type\n        amount {\n          amount\n        }\n        memo\n      }\n    }\n    lastMonth: transactions(from: $prevFrom, to: $prevTo) {\n      totalCount\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;