import { AsyncLocalStorage } from 'node:async_hooks';
import type { GraphQLContext } from '../graphql';
import type { RequestCallContext } from '../woori/call-context';
import type { Logger } from './logger';
import type { GraphQLOutcome } from './metrics';

/**
 * What the server layer learns about one HTTP request while it runs, for its metrics and its
 * access-log line. Made by the request handler and passed explicitly: to the GraphQL route, and to
 * the Apollo plugins through the request's {@link ServerContext}.
 */
export interface RequestState {
  requestId: string;
  log: Logger;
  operationName?: string | null;
  outcome?: GraphQLOutcome;
  errorCodes?: string[];
  /** This request's own secrets (its token, its phone number), removed from every line it logs. */
  secrets: string[];
  /** The request was a browser asking for GraphiQL, not a GraphQL operation. */
  servedPage?: boolean;
  /** The request's upstream call context, once the GraphQL route made it: its counters. */
  call?: RequestCallContext;
}

/** What Apollo gets as the context of a request: the GraphQL layer's, and the request's state. */
export interface ServerContext extends GraphQLContext {
  request: RequestState;
}

/**
 * The request's state for code that runs inside the request but cannot be handed it: pino's write
 * hook, which removes the request's own secrets from every line (`logger.ts`), and the upstream
 * client's process-wide `onCall` hook, which logs each call under the request's id. Everything
 * else receives the state as an argument.
 */
export const requestStore = new AsyncLocalStorage<RequestState>();
