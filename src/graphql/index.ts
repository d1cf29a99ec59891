/**
 * The GraphQL layer: schema, resolvers and loaders over the upstream client. It knows nothing of
 * HTTP; the server layer hands it each request's call context (token, device fields, signal,
 * deadline and counters).
 */
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { RequestCallContext } from '../woori/call-context';
import { AccountsService } from './accounts.service';
import { argumentCheckPlugin } from './argument-check.plugin';
import { CallCeiling, ceilingPlugin, DEFAULT_CEILINGS, withCallCeiling } from './ceilings';
import { CursorCodec } from './cursor';
import { formatError } from './errors';
import { createLoaders } from './loaders';
import { createSubgraphSchema } from './federation';
import { createSchema } from './schema';
import { createProtection, DEFAULT_QUERY_LIMITS } from './protection';
import type { GraphQLContext, GraphQLService, GraphQLServiceOptions } from './service.types';
import { upstreamCostPlugin } from './upstream-extension.plugin';
import { ArgumentRules } from './validation';

export type { GraphQLContext, GraphQLService, GraphQLServiceOptions, LoaderFactory } from './service.types';
export type { ArgumentLimits } from './validation';
export { createSchema } from './schema';
export { createSubgraphSchema, subgraphSdl } from './federation';
export { errorBody, internalErrorBody, type ErrorBody } from './errors';
export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './protection';
export { DEFAULT_CEILINGS, type Ceilings } from './ceilings';
export { createLoaders, type LoaderOptions, type Loaders } from './loaders';

/** The schema, Apollo Server (started) and the per-request context factory. */
export async function createGraphQLService<TContext extends GraphQLContext = GraphQLContext>(
  options: GraphQLServiceOptions<TContext>,
): Promise<GraphQLService<TContext>> {
  const schema = options.federation ? await createSubgraphSchema(options.limits) : await createSchema();
  const codec = new CursorCodec(options.cursorSecret);
  const accounts = new AccountsService(codec, options.limits);
  const protection = createProtection(
    { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits },
    options.production,
  );
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    allowBatchedHttpRequests: false,
    // The server layer owns shutdown: it drains requests in flight before it stops Apollo.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    ...(options.persistedQueryCache ? { persistedQueries: { cache: options.persistedQueryCache } } : {}),
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    plugins: [
      // Nothing here is cacheable across customers; the cache-control plugin would only wrap every resolver.
      ApolloServerPluginCacheControlDisabled(),
      // A subgraph would otherwise send a router per-field traces (timings, error texts) on request.
      ApolloServerPluginInlineTraceDisabled(),
      upstreamCostPlugin(),
      ...protection.plugins,
      argumentCheckPlugin(new ArgumentRules(options.limits, codec)),
      ceilingPlugin(),
      ...(options.plugins ?? []),
    ],
  });
  const buildLoaders = options.loaderFactory ?? createLoaders;
  // Started here so that the server layer can execute requests at once; it calls `apollo.stop()`.
  await apollo.start();
  const maxCalls = options.maxUpstreamCallsPerRequest ?? DEFAULT_CEILINGS.maxUpstreamCallsPerRequest;
  const createContext = (call: RequestCallContext): GraphQLContext => ({
    call,
    loaders: buildLoaders(withCallCeiling(options.api, new CallCeiling(maxCalls)), call, {
      upstreamMaxSpanDays: options.limits.upstreamMaxSpanDays,
      onBatch: options.onLoaderBatch,
      cache: options.cache,
    }),
    accounts,
  });
  return { apollo, schema, createContext };
}
