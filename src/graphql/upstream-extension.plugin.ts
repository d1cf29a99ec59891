import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from './service.types';

/**
 * Adds `extensions.upstream` (`{ calls, retries, durationMs, cacheHits }`) to every response: what
 * the request cost upstream, and how many answers it took from the cache (or from an identical
 * call already in flight) instead. It first waits for the request's calls still out (a prefetch that turned out not
 * to be needed), so that every call the request caused is counted.
 */
export function upstreamCostPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const call = contextValue?.call;
          await call?.inFlight.settled();
          const {
            calls,
            retries,
            durationMs,
            cacheHits = 0,
          } = call?.stats ?? { calls: 0, retries: 0, durationMs: 0 };
          const upstream = { calls, retries, durationMs: Math.round(durationMs * 10) / 10, cacheHits };
          if (response.body.kind === 'single') {
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, upstream };
          } else {
            const initial = response.body.initialResult;
            initial.extensions = { ...initial.extensions, upstream };
          }
        },
      };
    },
  };
}
