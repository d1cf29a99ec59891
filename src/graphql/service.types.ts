import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { GraphQLSchema } from 'graphql';
import type { AnswerCache } from '../cache/answer-cache';
import type { CallContext, WooriApi } from '../woori/api';
import type { RequestCallContext } from '../woori/call-context';
import type { AccountsService } from './accounts.service';
import type { LoaderOptions, Loaders } from './loaders';
import type { QueryLimits } from './protection';
import type { ArgumentLimits } from './validation';

/**
 * Builds one request's loaders over the upstream client (default `createLoaders`). The benchmark's
 * naive variant passes one that calls the upstream once per field, to measure what loaders save.
 */
export type LoaderFactory = (api: WooriApi, ctx: CallContext, options: LoaderOptions) => Loaders;

/** `TContext`: the context the server layer gives Apollo, the GraphQL context and more of its own. */
export interface GraphQLServiceOptions<TContext extends GraphQLContext = GraphQLContext> {
  api: WooriApi;
  limits: ArgumentLimits;
  /** Signs pagination cursors so that only cursors this service issued are accepted. */
  cursorSecret: string;
  /** Production: no introspection, no field suggestions, no stack traces. */
  production: boolean;
  /** Serve the schema as an Apollo Federation 2 subgraph (`_service`, `_entities`). */
  federation?: boolean;
  /** Extra Apollo plugins from the server layer (metrics, logging). */
  plugins?: ApolloServerPlugin<TContext>[];
  /** Query protections; each unset one takes its default (`DEFAULT_QUERY_LIMITS`). */
  queryLimits?: Partial<QueryLimits>;
  /** Upstream calls one request may make (default `DEFAULT_CEILINGS`); the next one stops it with LIMIT_EXCEEDED. */
  maxUpstreamCallsPerRequest?: number;
  loaderFactory?: LoaderFactory;
  /** Where automatic persisted queries are kept (shared by replicas through Redis); unset: Apollo's in-process default. */
  persistedQueryCache?: KeyValueCache<string>;
  /** The upstream's answers kept per customer, and identical calls in flight shared; unset: none. */
  cache?: AnswerCache;
  /** Called once per loader batch: the input of the loader batch-size metric. */
  onLoaderBatch?: (loader: 'accounts' | 'basics' | 'transactions', size: number) => void;
}

/** The per-request GraphQL context: built fresh for every request, never shared. */
export interface GraphQLContext {
  /** The request's call context, made by the server layer: every upstream call of the request carries it. */
  call: RequestCallContext;
  loaders: Loaders;
  /** The process-wide accounts service (stateless; the request's state is in `loaders`). */
  accounts: AccountsService;
}

export interface GraphQLService<TContext extends GraphQLContext = GraphQLContext> {
  apollo: ApolloServer<TContext>;
  schema: GraphQLSchema;
  /** Builds the GraphQL context of one request (fresh loaders; no upstream call happens here). */
  createContext(call: RequestCallContext): GraphQLContext;
}
