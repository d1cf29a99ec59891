import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { useLeanResolvers } from './lean-resolvers';
import { AccountResolver } from './resolvers/account.resolver';
import { BalanceResolver } from './resolvers/balance.resolver';

/** The classes whose methods resolve fields. */
export const RESOLVER_CLASSES = [AccountResolver, BalanceResolver] as const;

/**
 * The schema, built from the code. `schema.graphql` at the top of the repository is printed from it.
 * The argument rules are checked for the whole request before execution (`argument-check.plugin.ts`),
 * so type-graphql validates nothing per call, and the resolver methods run without its wrapper
 * (`lean-resolvers.ts`).
 */
export async function createSchema(): Promise<GraphQLSchema> {
  const built = await buildSchema({ resolvers: RESOLVER_CLASSES, validate: false });
  // type-graphql gives the root type no description; the schema's readers deserve one.
  const config = built.toConfig();
  const query = new GraphQLObjectType({
    ...built.getQueryType()!.toConfig(),
    description:
      "Read a Woori Bank customer's accounts, account basics and transactions. Send the customer's Woori access token as `Authorization: Bearer <token>`.",
  });
  const schema = new GraphQLSchema({
    ...config,
    query,
    types: config.types.filter((t) => t.name !== 'Query'),
  });
  useLeanResolvers(schema, RESOLVER_CLASSES);
  return schema;
}
