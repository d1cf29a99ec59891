/**
 * The schema as an Apollo Federation 2 subgraph (FEDERATION_SUBGRAPH): the same types, fields and
 * resolvers, plus `_service { sdl }` and `_entities`, with `Account @key(fields: "number")` (the
 * directive sits on the type, `types/account.type.ts`). Built as type-graphql's federation example
 * does: the code's schema printed with its directives, under a `@link` to Federation 2, and given
 * back its resolvers by `buildSubgraphSchema`.
 *
 * A router resolves an `Account` reference through `_entities` with the caller's own headers, so
 * it goes through the same per-request loaders: the customer's account list decides, and another
 * customer's number resolves to null, with nothing of that account in the answer.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { graphql, type GraphQLResolveInfo, type GraphQLSchema, parse } from 'graphql';
import { createResolversMap } from 'type-graphql';
import { ArgumentError } from './errors';
import { createSchema } from './schema';
import type { GraphQLContext } from './service.types';
import type { Account } from './types/account.type';
import { AccountArgs } from './types/args';
import { type ArgumentLimits, findViolations } from './validation';

/** The Federation version the subgraph links to: 2.3 is understood by every current router. */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.3';

/** The subgraph schema: what the service serves when FEDERATION_SUBGRAPH is on. */
export async function createSubgraphSchema(limits: ArgumentLimits): Promise<GraphQLSchema> {
  const schema = await createSchema();
  const typeDefs = parse(
    `extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key"])\n\n${printSchemaWithDirectives(schema)}`,
  );
  const resolvers = createResolversMap(schema) as Record<string, object>;
  // Reference resolvers take (reference, context, info), which the map's field type does not describe.
  const account = { ...resolvers.Account, __resolveReference: accountReferenceResolver(limits) };
  return buildSubgraphSchema({
    typeDefs,
    resolvers: { ...resolvers, Account: account } as GraphQLResolverMap<unknown>,
  });
}

/** The SDL a router composes, as the subgraph answers `_service { sdl }` (and `subgraph.graphql` holds it). */
export async function subgraphSdl(subgraph: GraphQLSchema): Promise<string> {
  const result = await graphql({ schema: subgraph, source: '{ _service { sdl } }' });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== 'string')
    throw new Error(`needs _service.sdl from the subgraph, got ${JSON.stringify(result.errors)}`);
  return sdl;
}

/**
 * `Account.__resolveReference`: the caller's account with that number, or null. A malformed number
 * is refused with the `account(number:)` argument's own rule, before any upstream call.
 */
function accountReferenceResolver(limits: ArgumentLimits) {
  return (
    reference: { number?: unknown },
    context: GraphQLContext,
    info: GraphQLResolveInfo,
  ): Promise<Account | null> => {
    const args = Object.assign(new AccountArgs(), { number: reference.number });
    const violations = typeof reference.number === 'string' ? findViolations(args, limits) : [];
    if (typeof reference.number !== 'string') {
      violations.push({
        argument: 'number',
        rule: 'isString',
        message: 'An Account reference needs "number" as a string.',
      });
    }
    if (violations.length > 0) return Promise.reject(new ArgumentError(violations));
    return context.accounts.one(context.loaders, args.number, info);
  };
}
