import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccountResolver } from './resolvers/account.resolver';
import { BalanceResolver } from './resolvers/balance.resolver';
import { type ArgumentLimits, createArgumentValidator } from './validation';

/** The schema, built from the code. `schema.graphql` at the top of the repository is printed from it. */
export async function createSchema(limits: ArgumentLimits): Promise<GraphQLSchema> {
  const built = await buildSchema({
    resolvers: [AccountResolver, BalanceResolver],
    validateFn: createArgumentValidator(limits),
  });
  // type-graphql gives the root type no description; the schema's readers deserve one.
  const config = built.toConfig();
  const query = new GraphQLObjectType({
    ...built.getQueryType()!.toConfig(),
    description:
      "Read a Woori Bank customer's accounts, account basics and transactions. Send the customer's Woori access token as `Authorization: Bearer <token>`.",
  });
  return new GraphQLSchema({ ...config, query, types: config.types.filter((t) => t.name !== 'Query') });
}
