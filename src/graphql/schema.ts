import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccountResolver } from './resolvers/account.resolver';
import type { ArgumentLimits } from './service.types';
import { createArgumentValidator } from './validation';

/** The schema, built from the code. `schema.graphql` at the top of the repository is printed from it. */
export function createSchema(limits: ArgumentLimits): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AccountResolver],
    validateFn: createArgumentValidator(limits),
  });
}
