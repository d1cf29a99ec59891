/**
 * The GraphQL layer: schema, resolvers and loaders over the upstream client. It knows nothing of
 * HTTP; the server layer hands it a token, the device fields and a signal per request.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { CallStats } from '../woori/api';
import { AccountsService } from './accounts.service';
import { CursorCodec } from './cursor';
import { formatError } from './errors';
import { createLoaders } from './loaders';
import { createSchema } from './schema';
import { createProtection, DEFAULT_QUERY_LIMITS } from './protection';
import type { GraphQLContext, GraphQLService, GraphQLServiceOptions, RequestInput } from './service.types';
import { upstreamCostPlugin } from './upstream-extension.plugin';

export type { GraphQLContext, GraphQLService, GraphQLServiceOptions, RequestInput } from './service.types';
export { createSchema } from './schema';
export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './protection';
export { createLoaders, type LoaderOptions, type Loaders } from './loaders';

export async function createGraphQLService(options: GraphQLServiceOptions): Promise<GraphQLService> {
  const schema = await createSchema(options.limits);
  const accounts = new AccountsService(new CursorCodec(options.cursorSecret), options.limits);
  const protection = createProtection(
    { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits },
    options.production,
  );
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    allowBatchedHttpRequests: false,
    // The server layer owns shutdown: it drains requests in flight before it stops Apollo.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
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
  const createContext = (input: RequestInput): GraphQLContext => {
    const stats: CallStats = { calls: 0, retries: 0, durationMs: 0 };
    const call = input.token
      ? { token: input.token, device: input.device, signal: input.signal, stats }
      : null;
    const loaders = buildLoaders(options.api, call, {
      upstreamMaxSpanDays: options.limits.upstreamMaxSpanDays,
      onBatch: options.onLoaderBatch,
    });
    return { loaders, accounts, stats, requestId: input.requestId };
  };
  return { apollo, schema, createContext };
}
