/**
 * The whole-request argument check, as GitHub's and Shopify's APIs do it: before anything runs,
 * every field the operation would execute has its arguments (literals and variables, coerced as
 * execution would) held to the rules of `validation.ts`. One bad argument anywhere, at any depth,
 * under a list or beside valid fields, and the request executes nothing: HTTP 400, no `data`, one
 * BAD_USER_INPUT error per broken rule. Under a list the field is checked once, not once per item,
 * since its arguments are the same for every item.
 */
import { type ApolloServerPlugin, type BaseContext, type GraphQLResponse, HeaderMap } from '@apollo/server';
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { ArgumentError, formatError } from './errors';
import { eachField, selectedFields } from './operation-fields';
import { perOperation } from './operation-memo';
import type { ArgumentRules } from './validation';

/** Refuses, before execution, a request in which any field's arguments break a rule. */
export function argumentCheckPlugin(rules: ArgumentRules): ApolloServerPlugin<BaseContext> {
  // The rules look at the arguments alone (and the settings): an operation whose arguments passed
  // passes again with the same variables, without the walk (operation-memo.ts). A refusal is not kept.
  const check = perOperation(
    (input: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operation: OperationDefinitionNode;
      operationName?: string | null;
      variables?: Readonly<Record<string, unknown>>;
    }) => findArgumentErrors(rules, input.schema, input.document, input.operation, input.variables),
    (errors) => errors.length === 0,
  );
  return {
    async requestDidStart() {
      let refused: GraphQLFormattedError[] = [];
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const errors = check({
            schema,
            document,
            operation,
            operationName: request.operationName,
            variables: request.variables,
          });
          refused = errors.map((error) => formatError(error.toJSON(), error));
        },
        // Not an error thrown from didResolveOperation: that answers with one error only.
        async responseForOperation(): Promise<GraphQLResponse | null> {
          if (refused.length === 0) return null;
          return {
            http: { status: 400, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { errors: refused } },
          };
        },
      };
    },
  };
}

/** One error per broken rule of every field `operation` would execute; empty when none. */
export function findArgumentErrors(
  rules: ArgumentRules,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
): ArgumentError[] {
  const errors: ArgumentError[] = [];
  for (const field of eachField(selectedFields(schema, document, operation, rawVariables) ?? [])) {
    if (!field.args || field.field.args.length === 0) continue;
    for (const violation of rules.check(field.coordinate, field.args)) {
      errors.push(
        new ArgumentError([violation], {
          nodes: [field.nodes[0]],
          field: field.coordinate,
          path: field.path,
        }),
      );
    }
  }
  return errors;
}
