import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { errorCodeOf } from '../graphql/errors';
import type { CallContext, CallEvent } from '../woori/api';
import { WooriError } from '../woori/errors';
import type { Logger } from './logger';
import type { GraphQLOutcome } from './metrics';
import { requestOfCall, type ServerContext } from './request-state';

/**
 * Tells the HTTP layer each request's operation name and outcome (for metrics and the access log),
 * and logs the errors of a response with what an operator needs to find them upstream: the code,
 * the path, the upstream `SYSCD` code and `GLBL_ID`. Messages pass through the logger's redaction.
 */
export function observabilityPlugin(): ApolloServerPlugin<ServerContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, request, contextValue }) {
          const state = contextValue.request;
          state.operationName = operationName;
          state.log.debug({ operation: operationName, variables: request.variables }, 'GraphQL operation');
        },
        async didEncounterErrors({ errors, operationName, request, contextValue }) {
          const operation = operationName ?? request.operationName ?? null;
          // INTERNAL_SERVER_ERROR means a defect of ours: an error line, under the request's id.
          const defects = errors.filter((e) => errorCodeOf(e) === 'INTERNAL_SERVER_ERROR');
          if (defects.length > 0) {
            contextValue.request.log.error(
              { operation, errors: defects.map(describeError) },
              'internal server error',
            );
          }
          const others = errors.filter((e) => !defects.includes(e));
          if (others.length > 0) {
            contextValue.request.log.warn(
              { operation, errors: others.map(describeError) },
              'GraphQL request had errors',
            );
          }
        },
        async willSendResponse({ response, operationName, request, contextValue }) {
          const state = contextValue.request;
          const result =
            response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const errors = result.errors ?? [];
          state.operationName ??= operationName ?? request.operationName ?? null;
          state.errorCodes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          state.outcome = outcomeOf(result.data, errors.length);
        },
      };
    },
  };
}

/** The log line of one upstream attempt, under the request's id when a request made it. */
export function logUpstreamCall(fallback: Logger, event: CallEvent, context?: CallContext): void {
  const log = requestOfCall(context)?.log ?? fallback;
  // A dashboard makes dozens of calls: successes are debug detail, failures are worth a warning.
  if (event.outcome === 'OK' && !log.isLevelEnabled('debug')) return;
  const line = {
    upstream: {
      operation: event.operation,
      outcome: event.outcome,
      durationMs: Math.round(event.durationMs * 10) / 10,
      httpStatus: event.httpStatus,
      attempt: event.attempt,
      message: event.message,
    },
    traceId: event.traceId,
  };
  if (event.outcome === 'OK') log.debug(line, 'upstream call');
  else log.warn(line, 'upstream call failed');
}

function outcomeOf(data: unknown, errorCount: number): GraphQLOutcome {
  if (errorCount === 0) return 'ok';
  return data === null || data === undefined ? 'error' : 'partial';
}

function describeError(error: GraphQLError): Record<string, unknown> {
  const original = unwrapResolverError(error);
  const described: Record<string, unknown> = {
    code: error.extensions?.code,
    message: error.message,
    path: error.path?.join('.'),
  };
  if (original instanceof WooriError) {
    described.kind = original.kind;
    described.upstreamCode = original.upstreamCode;
    described.traceId = original.traceId;
    described.httpStatus = original.httpStatus;
  } else if (original instanceof Error && !(original instanceof GraphQLError)) {
    // An unexpected failure: the caller sees a generic message, so the log keeps the stack.
    described.cause = original;
  }
  return described;
}
