/** What one request leaves behind once its response is done (or abandoned): HTTP and GraphQL metrics, and its access-log line. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics';
import type { RequestState } from './request-state';
import { GRAPHQL_PATH, QUIET_ROUTES, type Route } from './routes';

export interface FinishedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL | null;
  route: Route;
  state: RequestState;
  /** `process.hrtime.bigint()` when the request arrived. */
  started: bigint;
}

/** Records a finished request: metrics always, the access-log line except for quiet routes. */
export function recordFinished(
  metrics: Metrics,
  { req, res, url, route, state, started }: FinishedRequest,
): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const status = res.writableFinished ? res.statusCode : 499;
  metrics.observeHttp(route, req.method ?? 'UNKNOWN', status, seconds);
  if (route === GRAPHQL_PATH && !state.servedPage) {
    metrics.observeGraphQL(state.operationName, state.outcome ?? 'rejected', seconds, state.errorCodes);
  }
  if (QUIET_ROUTES.has(route)) return;
  const stats = state.call?.stats;
  state.log.info(
    {
      http: {
        method: req.method,
        path: url?.pathname ?? null,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
      },
      operation: state.operationName ?? undefined,
      outcome: state.outcome,
      upstream: stats && { ...stats, durationMs: Math.round(stats.durationMs * 10) / 10 },
    },
    'request finished',
  );
}
