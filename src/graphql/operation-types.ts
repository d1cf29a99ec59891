/**
 * A validation rule graphql-js 16 lacks (17 has it as `KnownOperationTypesRule`): an operation whose
 * type the schema does not have. This schema has queries only, so `mutation { __typename }` or
 * `subscription { … }` is the client's mistake, answered with a 400 validation error; without the
 * rule graphql-js fails it during execution and the client sees INTERNAL_SERVER_ERROR.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(
      new GraphQLError(
        `This service needs a query operation, got a ${node.operation}: the schema has no ${node.operation} type.`,
        { nodes: node },
      ),
    );
  },
});
