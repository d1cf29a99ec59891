/**
 * Every HTTP request of the service: routing, the request id, the access log and HTTP metrics, and
 * the bridge from `node:http` to Apollo Server (`executeHTTPGraphQLRequest`).
 */
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLService } from '../graphql';
import type { DeviceInfo } from '../woori/domain';
import { BodyError, readBody } from './body';
import { GRAPHIQL_ASSET_PREFIX, type GraphiQLHost, type StaticResponse } from './graphiql';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';
import { requestStore, type RequestState } from './request-state';
import { BadHeaderError, bearerToken, deviceFromRequest, incomingRequestId } from './request-input';

export interface RequestHandlerOptions {
  graphql: Pick<GraphQLService, 'apollo' | 'createContext'>;
  logger: Logger;
  metrics: Metrics;
  readiness: { check(): Promise<Readiness> };
  /** Null turns GraphiQL off (production). */
  graphiql: GraphiQLHost | null;
  bodyLimitBytes: number;
  requestDeadlineMs: number;
  deviceDefaults: Readonly<DeviceInfo>;
  trustProxy: boolean;
}

export const GRAPHQL_PATH = '/graphql';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
};

/** Probes, scrapes and static files: counted in metrics, but no access-log line each. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics', 'graphiql-asset']);

/** The reasons a request's signal is aborted with. */
export const DEADLINE_EXCEEDED = 'request deadline exceeded';
export const CLIENT_CLOSED = 'client closed the connection';

export class RequestHandler {
  private draining = false;

  constructor(private readonly options: RequestHandlerOptions) {}

  /** From now on `/readyz` answers 503, so that load balancers stop sending traffic. */
  startDraining(): void {
    this.draining = true;
  }

  /** The `node:http` request listener. Never rejects. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const requestId = incomingRequestId(req.headers) ?? randomUUID();
    const url = parseTarget(req.url);
    const route = url ? routeOf(url.pathname) : 'other';
    const state: RequestState = { requestId, log: this.options.logger.child({ requestId }), secrets: [] };
    const token = bearerToken(req.headers);
    if (token) state.secrets.push(token);
    res.setHeader('x-request-id', requestId);

    res.once('close', () =>
      requestStore.run(state, () => this.finished(req, res, url, route, state, started)),
    );

    requestStore.run(state, () => {
      if (!url) {
        sendJson(res, 400, { error: 'bad request target' });
        return;
      }
      this.route(req, res, url, route, state).catch((error: unknown) => {
        state.log.error({ err: error }, 'request failed');
        if (!res.headersSent) {
          sendJson(res, 500, graphqlErrors('Internal server error.', 'INTERNAL_SERVER_ERROR'));
        } else {
          res.destroy();
        }
      });
    });
  };

  /** Metrics and the access log of one request, once its response is done (or abandoned). */
  private finished(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL | null,
    route: string,
    state: RequestState,
    started: bigint,
  ): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = res.writableFinished ? res.statusCode : 499;
    const { metrics } = this.options;
    metrics.observeHttp(route, req.method ?? 'UNKNOWN', status, seconds);
    if (route === GRAPHQL_PATH && !state.servedPage) {
      metrics.observeGraphQL(state.operationName, state.outcome ?? 'rejected', seconds, state.errorCodes);
    }
    if (QUIET_ROUTES.has(route)) return;
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
        upstream: state.stats && { ...state.stats, durationMs: Math.round(state.stats.durationMs * 10) / 10 },
      },
      'request finished',
    );
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: string,
    state: RequestState,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    switch (route) {
      case '/healthz':
        if (onlyGet(req, res)) sendJson(res, 200, { status: 'ok' });
        return;
      case '/readyz':
        if (onlyGet(req, res)) await this.ready(res);
        return;
      case '/metrics':
        if (!onlyGet(req, res)) return;
        send(res, {
          status: 200,
          headers: { 'content-type': this.options.metrics.contentType, 'cache-control': 'no-store' },
          body: Buffer.from(await this.options.metrics.render()),
        });
        return;
      case 'graphiql-asset': {
        const asset =
          onlyGet(req, res) && this.options.graphiql?.asset(url.pathname, header(req, 'accept-encoding'));
        if (asset) send(res, asset);
        else if (!res.headersSent) sendJson(res, 404, { error: 'not found' });
        return;
      }
      case GRAPHQL_PATH:
        if (method === 'GET' && this.options.graphiql && prefersHtml(header(req, 'accept'))) {
          state.servedPage = true;
          send(res, this.options.graphiql.page());
          return;
        }
        return this.graphql(req, res, url, state);
      default:
        sendJson(res, 404, { error: 'not found' });
    }
  }

  private async ready(res: ServerResponse): Promise<void> {
    if (this.draining) {
      sendJson(res, 503, { status: 'unavailable', reason: 'shutting down' });
      return;
    }
    const readiness = await this.options.readiness.check();
    sendJson(res, readiness.ready ? 200 : 503, {
      status: readiness.ready ? 'ready' : 'unavailable',
      ...readiness,
    });
  }

  private async graphql(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    state: RequestState,
  ): Promise<void> {
    const { graphql, bodyLimitBytes, requestDeadlineMs, deviceDefaults, trustProxy } = this.options;
    let device: DeviceInfo;
    let body: unknown;
    try {
      device = deviceFromRequest(
        { headers: req.headers, remoteAddress: req.socket.remoteAddress },
        deviceDefaults,
        trustProxy,
      );
      state.secrets.push(device.phone);
      body = req.method === 'POST' ? await readBody(req, bodyLimitBytes) : undefined;
    } catch (error) {
      if (error instanceof BadHeaderError) {
        sendJson(res, 400, graphqlErrors(error.message, 'BAD_USER_INPUT', { header: error.header }));
        return;
      }
      if (error instanceof BodyError) {
        if (error.status === 413) res.setHeader('connection', 'close');
        sendJson(res, error.status, graphqlErrors(error.message, 'BAD_REQUEST'));
        return;
      }
      throw error;
    }

    const controller = new AbortController();
    const deadline = setTimeout(
      () => controller.abort(new DOMException(DEADLINE_EXCEEDED, 'TimeoutError')),
      requestDeadlineMs,
    );
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort(new DOMException(CLIENT_CLOSED, 'AbortError'));
    };
    res.once('close', onClose);
    try {
      const response = await graphql.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: toHttpGraphQLRequest(req, url, body),
        context: async () => {
          const context = graphql.createContext({
            token: bearerToken(req.headers),
            device,
            signal: controller.signal,
            requestId: state.requestId,
          });
          state.stats = context.stats;
          return context;
        },
      });
      await writeGraphQLResponse(res, response);
    } finally {
      clearTimeout(deadline);
      res.off('close', onClose);
    }
  }
}

/** The bounded route label of a path: metrics must not grow with whatever paths clients try. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://service.invalid');
  } catch {
    return null;
  }
}

function routeOf(pathname: string): string {
  if (
    pathname === GRAPHQL_PATH ||
    pathname === '/healthz' ||
    pathname === '/readyz' ||
    pathname === '/metrics'
  ) {
    return pathname;
  }
  if (pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return 'graphiql-asset';
  return 'other';
}

function toHttpGraphQLRequest(req: IncomingMessage, url: URL, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body };
}

async function writeGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  const chunks = response.body.asyncIterator;
  try {
    for await (const chunk of chunks) {
      if (res.destroyed) break;
      // Respect backpressure: an incremental response can be long.
      if (!res.write(chunk))
        await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } finally {
    if (res.destroyed) await chunks.return?.();
    else res.end();
  }
}

/**
 * Whether a GET wants a page rather than a GraphQL result: `text/html` is acceptable and no JSON
 * type is preferred over it. Browsers navigating say `text/html,…,*\/*;q=0.8`; `curl` and GraphQL
 * clients do not mention HTML.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type.trim() === 'text/html') html = Math.max(html, q);
    if (type.trim() === 'application/json' || type.trim() === 'application/graphql-response+json') {
      json = Math.max(json, q);
    }
  }
  return html > 0 && html >= json;
}

function graphqlErrors(message: string, code: string, extensions: Record<string, unknown> = {}): unknown {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

function onlyGet(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.setHeader('allow', 'GET, HEAD');
  sendJson(res, 405, { error: 'method not allowed' });
  return false;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, {
    status,
    headers: { ...JSON_HEADERS, 'cache-control': 'no-store' },
    body: Buffer.from(JSON.stringify(body)),
  });
}

function send(res: ServerResponse, { status, headers, body }: StaticResponse): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}
