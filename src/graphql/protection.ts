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
import { GraphQLError, type ValidationRule } from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
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
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 5,
  maxTokens: 1000,
  maxCost: 500,
  assumedAccounts: 50,
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
 * `account` is one call; every `detail` and `transactions` is one call (coalescing can only lower
 * the real figure); every other field is free.
 */
export function upstreamCallEstimator(assumedAccounts: number): ComplexityEstimator {
  return ({ type, field, childComplexity }) => {
    if (type.name === 'Query' && field.name === 'accounts') return 1 + assumedAccounts * childComplexity;
    if (type.name === 'Query' && field.name === 'account') return 1 + childComplexity;
    if (type.name === 'Account' && (field.name === 'detail' || field.name === 'transactions')) return 1;
    return childComplexity;
  };
}

function upstreamCostLimit(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  const estimators = [upstreamCallEstimator(limits.assumedAccounts)];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators,
            });
          } catch {
            // Variables that do not coerce: execution rejects them (BAD_USER_INPUT, 400) before any resolver runs.
            return;
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
