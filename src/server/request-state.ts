import type { GraphQLContext } from '../graphql';
import type { CallContext } from '../woori/api';
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

/** Each request's state by its upstream call context (see {@link bindCall}). */
const byCall = new WeakMap<CallContext, RequestState>();

/**
 * Makes `call` the request's upstream call context: the upstream client's and policy's
 * process-wide hooks, which are told the call context of each event, find the request through it
 * ({@link requestOfCall}) and log under its id, with its secrets removed. Passed along, not looked
 * up in an async context: an AsyncLocalStorage would run a hook on every promise of every request
 * (bench/ANALYSIS.md).
 */
export function bindCall(state: RequestState, call: RequestCallContext): void {
  state.call = call;
  byCall.set(call, state);
}

/** The state of the request that made `context`, when a request made it. */
export function requestOfCall(context: CallContext | undefined): RequestState | undefined {
  return context && byCall.get(context);
}
