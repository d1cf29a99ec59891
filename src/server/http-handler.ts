/**
 * Every HTTP request of the service: its id, its state, and the route that answers it. The routes
 * themselves live beside: probes and metrics (`probes.ts`), GraphiQL (`graphiql.ts`), GraphQL
 * (`graphql-route.ts`); what a request leaves behind is recorded by `access-log.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ErrorBody, errorBody, internalErrorBody } from '../graphql';
import { recordFinished } from './access-log';
import type { DemoHost } from './demo';
import type { GraphiQLHost } from './graphiql';
import { GraphQLRoute, type GraphQLRouteOptions } from './graphql-route';
import { type Logger, requestLogger } from './logger';
import type { Metrics } from './metrics';
import { Probes } from './probes';
import type { Readiness } from './readiness';
import type { RequestState } from './request-state';
import { bearerToken, incomingRequestId } from './request-input';
import { header, onlyGet, send, sendJson } from './responses';
import { GRAPHQL_PATH, parseTarget, prefersHtml, type Route, routeOf } from './routes';

export interface RequestHandlerOptions extends Omit<GraphQLRouteOptions, 'apollo' | 'createContext'> {
  graphql: Pick<GraphQLRouteOptions, 'apollo' | 'createContext'>;
  logger: Logger;
  metrics: Metrics;
  readiness: { check(): Promise<Readiness> };
  /** Null turns GraphiQL off (production). */
  graphiql: GraphiQLHost | null;
  /** The demo dashboard at /demo; null or unset: off (production). */
  demo?: DemoHost | null;
  /** False when `/metrics` is served on a port of its own (METRICS_PORT): here it is then a 404. */
  serveMetrics?: boolean;
}

export class RequestHandler {
  private readonly probes: Probes;
  private readonly graphqlRoute: GraphQLRoute;

  constructor(private readonly options: RequestHandlerOptions) {
    this.probes = new Probes(options);
    this.graphqlRoute = new GraphQLRoute({ ...options, ...options.graphql });
  }

  /** From now on `/readyz` answers 503, so that load balancers stop sending traffic. */
  startDraining(): void {
    this.probes.startDraining();
  }

  /** The `node:http` request listener. Never rejects. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const requestId = incomingRequestId(req.headers) ?? randomUUID();
    const url = parseTarget(req.url);
    const route = url ? routeOf(url.pathname) : 'other';
    // The request's own secrets: every line its logger writes loses them (the phone is added once read).
    const secrets: string[] = [];
    const token = bearerToken(req.headers);
    if (token) secrets.push(token);
    const state: RequestState = {
      requestId,
      log: requestLogger(this.options.logger, { requestId }, secrets),
      secrets,
    };
    res.setHeader('x-request-id', requestId);

    res.once('close', () => recordFinished(this.options.metrics, { req, res, url, route, state, started }));

    if (!url) {
      sendJson(res, 400, errorBody('The request target needs to be a URL path; it is not.', 'BAD_REQUEST'));
      return;
    }
    this.route(req, res, url, route, state).catch((error: unknown) => {
      state.log.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, internalErrorBody());
      else res.destroy();
    });
  };

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: Route,
    state: RequestState,
  ): Promise<void> {
    switch (route) {
      case '/healthz':
        return this.probes.health(req, res);
      case '/readyz':
        return this.probes.ready(req, res);
      case '/metrics':
        if (this.options.serveMetrics === false) {
          sendJson(res, 404, notFound());
          return;
        }
        return this.probes.scrape(req, res);
      case 'graphiql-asset': {
        const asset =
          onlyGet(req, res) && this.options.graphiql?.asset(url.pathname, header(req, 'accept-encoding'));
        if (asset) send(res, asset);
        else if (!res.headersSent) sendJson(res, 404, notFound());
        return;
      }
      case '/demo':
        if (!this.options.demo) sendJson(res, 404, { error: 'not found' });
        else if (onlyGet(req, res)) send(res, this.options.demo.page());
        return;
      case 'demo-asset': {
        const asset =
          onlyGet(req, res) && this.options.demo?.asset(url.pathname, header(req, 'accept-encoding'));
        if (asset) send(res, asset);
        else if (!res.headersSent) sendJson(res, 404, { error: 'not found' });
        return;
      }
      case GRAPHQL_PATH:
        if (req.method === 'GET' && this.options.graphiql && prefersHtml(header(req, 'accept'))) {
          state.servedPage = true;
          send(res, this.options.graphiql.page());
          return;
        }
        return this.graphqlRoute.serve(req, res, url, state);
      default:
        sendJson(res, 404, notFound());
    }
  }
}

function notFound(): ErrorBody {
  return errorBody(`Nothing is served at this path; GraphQL is at ${GRAPHQL_PATH}.`, 'NOT_FOUND');
}
