import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { CallContext, CallStats, WooriApi } from '../woori/api';
import type { DeviceInfo } from '../woori/domain';
import type { AccountsService } from './accounts.service';
import type { LoaderOptions, Loaders } from './loaders';
import type { QueryLimits } from './protection';

/** Argument limits, from settings. */
export interface ArgumentLimits {
  /** Longest `transactions(from, to)` span a caller may ask for, inclusive days (contract: 366). */
  maxSpanDays: number;
  /** Longest range the upstream accepts in one call; wider coalesced ranges are split. */
  upstreamMaxSpanDays: number;
}

export interface GraphQLServiceOptions {
  api: WooriApi;
  limits: ArgumentLimits;
  /** Signs pagination cursors so that only cursors this service issued are accepted. */
  cursorSecret: string;
  /** Production: no introspection, no field suggestions, no stack traces. */
  production: boolean;
  /** Extra Apollo plugins from the server layer (metrics, logging). */
  plugins?: ApolloServerPlugin<GraphQLContext>[];
  /** Query protections; each unset one takes its default (`DEFAULT_QUERY_LIMITS`). */
  queryLimits?: Partial<QueryLimits>;
  /**
   * Builds each request's loaders (default `createLoaders`). The benchmark's naive variant passes
   * one that calls the upstream once per field, to measure what the loaders save.
   */
  loaderFactory?: (api: WooriApi, ctx: CallContext | null, options: LoaderOptions) => Loaders;
  /** Called once per loader batch: the input of the loader batch-size metric. */
  onLoaderBatch?: (loader: 'accounts' | 'basics' | 'transactions', size: number) => void;
}

/** What the HTTP layer knows about one request. */
export interface RequestInput {
  /** The bearer token, or null when the request had none (then data fields fail UNAUTHENTICATED). */
  token: string | null;
  device: DeviceInfo;
  /** Aborted at the request's deadline or when the client goes away. */
  signal?: AbortSignal;
  requestId?: string;
}

/** The per-request GraphQL context: built fresh for every request, never shared. */
export interface GraphQLContext {
  loaders: Loaders;
  /** The process-wide accounts service (stateless; the request's state is in `loaders`). */
  accounts: AccountsService;
  stats: CallStats;
  requestId?: string;
}

export interface GraphQLService {
  apollo: ApolloServer<GraphQLContext>;
  schema: GraphQLSchema;
  /** Builds the context of one request (fresh loaders; no upstream call happens here). */
  createContext(input: RequestInput): GraphQLContext;
}
