/**
 * A service variant (loaded with `node --require`): operations run by graphql-jit instead of
 * graphql-js, plugged into Apollo Server through its gateway interface. Parsing, validation and
 * every plugin stay Apollo's; only execution changes: each operation is compiled once into a
 * function of its variables, and the compiled function runs at each request. Same schema, same
 * resolvers.
 *
 * `createGraphQLService` builds its `ApolloServer` with `schema`; this variant swaps the class that
 * `@apollo/server` hands out for one that turns `schema` into that gateway. Measured, not shipped:
 * see bench/ANALYSIS.md for whether it pays.
 */
import 'reflect-metadata';
import type {
  ApolloServer,
  ApolloServerOptions,
  ApolloServerOptionsWithGateway,
  BaseContext,
} from '@apollo/server';
import {
  type ExecutionResult,
  getVariableValues,
  GraphQLError,
  type GraphQLSchema,
  printSchema,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { join } from 'node:path';
import { ROOT } from '../lib/dist';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** Compiled operations kept; beyond this the oldest is compiled again when next asked. */
const MAX_COMPILED_OPERATIONS = 1_000;

// `@apollo/server`'s `ApolloServer` export is a getter over this module's export: replacing it
// here is what every `new ApolloServer(…)` after this point constructs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apolloModule = require(join(ROOT, 'node_modules/@apollo/server/dist/cjs/ApolloServer.js')) as {
  ApolloServer: typeof ApolloServer;
};
const Original = apolloModule.ApolloServer;
apolloModule.ApolloServer = class JitApolloServer<TContext extends BaseContext> extends Original<TContext> {
  constructor(config: ApolloServerOptions<TContext>) {
    super(config.schema ? { ...config, schema: undefined, gateway: jitGateway(config.schema) } : config);
  }
} as typeof ApolloServer;

/**
 * Two seams are mended, because Apollo and the service's `formatError` rely on graphql-js's
 * shapes: graphql-jit's errors may have `extensions` undefined (formatting them throws, and the
 * client gets a bare INTERNAL_SERVER_ERROR instead of UNAUTHENTICATED or UPSTREAM_ERROR with its
 * path), so they are rebuilt as graphql-js errors; and a variable that does not coerce must come
 * back as BAD_USER_INPUT, which Apollo recognizes by the variable's definition node that only
 * graphql-js's own coercion attaches, so variables are coerced by graphql-js first.
 */
function jitGateway(schema: GraphQLSchema): Gateway {
  const compiled = new Map<string, CompiledQuery | ExecutionResult>();
  const compile = (key: string, compileOnce: () => CompiledQuery | ExecutionResult) => {
    let query = compiled.get(key);
    if (!query) {
      query = compileOnce();
      if (compiled.size >= MAX_COMPILED_OPERATIONS) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, query);
    }
    return query;
  };
  return {
    async load() {
      return {
        async executor(request) {
          const variables = request.request.variables ?? {};
          const coerced = getVariableValues(schema, request.operation.variableDefinitions ?? [], variables);
          if (coerced.errors) return { errors: coerced.errors };
          const operationName = request.operationName ?? undefined;
          const query = compile(`${request.queryHash}:${operationName ?? ''}`, () =>
            compileQuery(schema, request.document, operationName),
          );
          // A query that cannot be compiled comes back as its errors, as graphql-js returns them.
          if (!isCompiledQuery(query)) return query;
          const result = await query.query(undefined, request.context, variables);
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}

/** graphql-jit's error as the graphql-js error it stands for (`extensions` always an object). */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  // Locations are positions in the query text; graphql-jit computed them already.
  return error.locations ? Object.assign(rebuilt, { locations: error.locations }) : rebuilt;
}
