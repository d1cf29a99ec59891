import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallStats } from '../woori/api';
import type { Logger } from './logger';
import type { GraphQLOutcome } from './metrics';

/**
 * What the server layer learns about one HTTP request while it runs. It travels in an
 * AsyncLocalStorage because two of its writers cannot be handed the request: the upstream client's
 * process-wide `onCall` hook (which logs with the request's id) and Apollo's plugin hooks.
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
  /** The GraphQL context's running totals, once the context exists. */
  stats?: CallStats;
}

export const requestStore = new AsyncLocalStorage<RequestState>();
