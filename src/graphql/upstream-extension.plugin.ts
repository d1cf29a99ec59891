import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from './service.types';

/** Adds `extensions.upstream` (`{ calls, retries, durationMs }`) to every response: what the request cost upstream. */
export function upstreamCostPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const { calls, retries, durationMs } = contextValue?.stats ?? {
            calls: 0,
            retries: 0,
            durationMs: 0,
          };
          const upstream = { calls, retries, durationMs: Math.round(durationMs * 10) / 10 };
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
