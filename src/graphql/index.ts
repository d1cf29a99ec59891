/**
 * The GraphQL layer: schema, resolvers and loaders over the upstream client. It knows nothing of
 * HTTP; the server layer hands it each request's call context (token, device fields, signal,
 * deadline and counters).
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { RequestCallContext } from '../woori/call-context';
import { AccountsService } from './accounts.service';
import { CursorCodec } from './cursor';
import { formatError } from './errors';
import { createLoaders } from './loaders';
import { createSchema } from './schema';
import { createProtection, DEFAULT_QUERY_LIMITS } from './protection';
import type { GraphQLContext, GraphQLService, GraphQLServiceOptions } from './service.types';
import { upstreamCostPlugin } from './upstream-extension.plugin';

export type { GraphQLContext, GraphQLService, GraphQLServiceOptions, LoaderFactory } from './service.types';
export type { ArgumentLimits } from './validation';
export { createSchema } from './schema';
export { errorBody, internalErrorBody, type ErrorBody } from './errors';
export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './protection';
export { createLoaders, type LoaderOptions, type Loaders } from './loaders';

/** The schema, Apollo Server (started) and the per-request context factory. */
export async function createGraphQLService<TContext extends GraphQLContext = GraphQLContext>(
  options: GraphQLServiceOptions<TContext>,
): Promise<GraphQLService<TContext>> {
  const schema = await createSchema(options.limits);
  const accounts = new AccountsService(new CursorCodec(options.cursorSecret), options.limits);
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
      upstreamCostPlugin(),
      ...protection.plugins,
      ...(options.plugins ?? []),
    ],
  });
  const buildLoaders = options.loaderFactory ?? createLoaders;
  // Started here so that the server layer can execute requests at once; it calls `apollo.stop()`.
  await apollo.start();
  const createContext = (call: RequestCallContext): GraphQLContext => ({
    call,
    loaders: buildLoaders(options.api, call, {
      upstreamMaxSpanDays: options.limits.upstreamMaxSpanDays,
      onBatch: options.onLoaderBatch,
      cache: options.cache,
    }),
    accounts,
  });
  return { apollo, schema, createContext };
}
