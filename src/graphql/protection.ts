/**
 * Limits on what one GraphQL document may ask, checked before execution so that a hostile or
 * careless query is refused with a 400 and costs no upstream call: depth, aliases (those of
 * `__typename` included), directives, tokens (by the parser itself, so it is a parse error) and an
 * estimate of the upstream calls the query can cause. In production, error messages also lose
 * their "Did you mean" suggestions (fields, arguments, types, enum values, in literals and in
 * variables), which would otherwise map the schema for an attacker.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  getNullableType,
  GraphQLError,
  type GraphQLSchema,
  isListType,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { isIsoDate } from './dates';
import { type SelectedField, selectedFields } from './operation-fields';
import { perOperation } from './operation-memo';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size';
import { knownOperationTypesRule } from './operation-types';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Most upstream calls a query may be estimated to cause. */
  maxCost: number;
  /** How many accounts the estimate assumes a customer has (the list's length is unknown before the call). */
  assumedAccounts: number;
  /**
   * Most values a response may be estimated to carry: every field counts once per time it would
   * appear, lists counted at their largest (`first`, the assumed accounts, the months of a range).
   */
  maxNodes: number;
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 5,
  maxTokens: 1000,
  maxCost: 500,
  assumedAccounts: 50,
  maxNodes: 50_000,
};

export interface Protection {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<BaseContext>[];
  parseOptions: { maxTokens: number };
}

export function createProtection(limits: QueryLimits, production: boolean): Protection {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: !production, flattenFragments: true },
    maxAliases: { n: limits.maxAliases, allowList: [] },
    maxDirectives: { n: limits.maxDirectives },
    // The parser's own limit (parseOptions) answers with a parse error; armor's would be a second pass.
    maxTokens: { enabled: false },
    // Our cost is upstream calls, estimated below; armor's counts fields.
    costLimit: { enabled: false },
    // Armor's masks field suggestions only, and leaves "[Suggestion hidden]?" behind: see withoutSuggestions.
    blockFieldSuggestion: { enabled: false },
  });
  const armored = armor.protect();
  return {
    validationRules: [knownOperationTypesRule, ...armored.validationRules],
    plugins: [
      ...(armored.plugins as ApolloServerPlugin<BaseContext>[]),
      upstreamCostLimit(limits),
      ...(production ? [withoutSuggestions()] : []),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/**
 * The estimate: `accounts` is one call and multiplies what is under it by `assumedAccounts`;
 * `account` is one call, and so is `_entities` (plus what is asked of each reference); every
 * `detail` and `transactions` is one call (coalescing can only lower the real figure); every other
 * field is free.
 */
export function upstreamCallEstimator(assumedAccounts: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (type.name === 'Query' && field.name === 'accounts') return 1 + assumedAccounts * childComplexity;
    if (type.name === 'Query' && field.name === 'account') return 1 + childComplexity;
    // A federation router's entity fetch (FEDERATION_SUBGRAPH): the account list, and what is asked of each reference.
    if (type.name === 'Query' && field.name === '_entities') {
      const references = Array.isArray(args.representations) ? args.representations.length : 1;
      return 1 + references * childComplexity;
    }
    // The account list, which `accounts` shares when the request asks for both.
    if (type.name === 'Query' && field.name === 'balances') return 1;
    if (type.name === 'Account' && (field.name === 'detail' || field.name === 'transactions')) return 1;
    return childComplexity;
  };
}

/**
 * The estimate of a response's size, as GitHub's node limit counts: each field counts 1 (and what
 * it holds), once per time it would appear; a list multiplies what is under it by its largest
 * length: `nodes` and `edges` by their connection's `first`, `months` by the calendar months of
 * its range, and any other list (`accounts`, `balances`) by `assumedAccounts`.
 */
export function estimateNodes(
  fields: readonly SelectedField[],
  assumedAccounts: number,
  connection: Record<string, unknown> | null = null,
): number {
  let total = 0;
  for (const f of fields) {
    const args = f.coordinate === 'Account.transactions' ? f.args : connection;
    const each = 1 + estimateNodes(f.children, assumedAccounts, args);
    total += isListType(getNullableType(f.field.type))
      ? each * listLength(f.coordinate, args, assumedAccounts)
      : each;
  }
  return total;
}

function listLength(
  coordinate: string,
  connection: Record<string, unknown> | null,
  assumedAccounts: number,
): number {
  switch (coordinate) {
    case 'TransactionConnection.nodes':
    case 'TransactionConnection.edges':
      // A `first` out of its range is the argument check's to refuse, as BAD_USER_INPUT, not this one's.
      return typeof connection?.first === 'number'
        ? Math.min(Math.max(connection.first, 0), MAX_PAGE_SIZE)
        : DEFAULT_PAGE_SIZE;
    case 'TransactionSummary.months': {
      const { from, to } = connection ?? {};
      return isIsoDate(from) && isIsoDate(to) && from <= to ? monthsBetween(from, to) : 1;
    }
    default:
      return assumedAccounts;
  }
}

function monthsBetween(from: string, to: string): number {
  const months = (date: string): number => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
  return months(to) - months(from) + 1;
}

function upstreamCostLimit(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  const estimators = [upstreamCallEstimator(limits.assumedAccounts)];
  // Both estimates depend on the operation and its variables alone: an operation within the limits
  // is within them again with the same variables, without the walks (operation-memo.ts).
  const estimate = perOperation(
    (input: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operation: OperationDefinitionNode | undefined;
      operationName?: string | null;
      variables?: Readonly<Record<string, unknown>>;
    }): { cost: number; nodes: number } | { uncoercible: true } => {
      const { schema, document, operation, operationName, variables } = input;
      let cost: number;
      try {
        cost = getComplexity({
          schema,
          query: document,
          operationName: operationName ?? undefined,
          variables,
          estimators,
        });
      } catch {
        // Variables that do not coerce: execution rejects them (BAD_USER_INPUT, 400) before any resolver runs.
        return { uncoercible: true };
      }
      const fields = operation ? selectedFields(schema, document, operation, variables) : null;
      return { cost, nodes: fields ? estimateNodes(fields, limits.assumedAccounts) : 0 };
    },
    (found) => 'cost' in found && found.cost <= limits.maxCost && found.nodes <= limits.maxNodes,
  );
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          const found = estimate({
            schema,
            document,
            operation,
            operationName: request.operationName,
            variables: request.variables,
          });
          if (!('cost' in found)) return;
          const { cost, nodes } = found;
          if (nodes > limits.maxNodes) {
            throw new GraphQLError(
              `The response could carry about ${nodes} values; the limit is ${limits.maxNodes}. Ask for smaller pages (\`first\`), fewer aliases or fewer fields under lists.`,
              {
                extensions: {
                  code: 'GRAPHQL_VALIDATION_FAILED',
                  nodes,
                  maxNodes: limits.maxNodes,
                  http: { status: 400 },
                },
              },
            );
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `The query could cause about ${cost} upstream calls; the limit is ${limits.maxCost}. Ask for fewer accounts, fields or ranges per query.`,
              {
                extensions: {
                  code: 'GRAPHQL_VALIDATION_FAILED',
                  cost,
                  maxCost: limits.maxCost,
                  http: { status: 400 },
                },
              },
            );
          }
        },
      };
    },
  };
}

/** graphql-js's suggestions: always a last sentence, `Did you mean "A", "B", or "C"?` or `Did you mean the enum value "X"?`. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Drops every "Did you mean …?" from the errors of a response, whichever step raised them
 * (validation, variable coercion): they run before formatting, on the errors themselves.
 */
export function withoutSuggestions(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}
