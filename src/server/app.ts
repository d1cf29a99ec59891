/**
 * The composition root: builds the service from its settings (logger, metrics, upstream client,
 * GraphQL service, HTTP server, and the embedded sandbox when no upstream is configured) and knows
 * how to take it down again. `main.ts` runs it as a process; tests run it in-process on port 0.
 */
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DestinationStream } from 'pino';
import { createGraphQLService, type GraphQLService, type LoaderFactory } from '../graphql';
import { WooriClient } from '../woori/client';
import { type CircuitStatus, UpstreamPolicy } from '../woori/policy';
import type { Config } from './config';
import { ConnectionGuard, serverOptions } from './connections';
import { GracefulServer } from './graceful-server';
import { GraphiQLHost } from './graphiql';
import { RequestHandler } from './http-handler';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { logUpstreamCall, observabilityPlugin } from './observability.plugin';
import { metricsOnlyListener } from './probes';
import { ReadinessProbe } from './readiness';
import { requestStore, type ServerContext } from './request-state';
import { type EmbeddedSandbox, startEmbeddedSandbox } from './sandbox';

export interface ServiceOverrides {
  /** Where log lines go (standard output by default): tests read them back. */
  logDestination?: DestinationStream;
  /** The clock of GraphiQL's example dates. */
  now?: () => Date;
  /**
   * Builds each request's loaders instead of `createLoaders`: the benchmark's naive variant calls
   * the upstream once per field, in an otherwise identical service.
   */
  loaderFactory?: LoaderFactory;
}

export interface RunningService {
  /** The service's base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  graphqlUrl: string;
  /** Where GraphiQL is, when it is on (not in production). */
  graphiqlUrl: string | null;
  /** Where the Prometheus scrape is: on the main port, or on METRICS_PORT. */
  metricsUrl: string;
  /** The embedded sandbox, when the service started one (no WOORI_BASE_URL). */
  sandbox?: { url: string; demoToken: string; demoAccountNumber: string };
  logger: Logger;
  metrics: Metrics;
  /** Graceful shutdown: drain within SHUTDOWN_GRACE_MS, then close the upstream client and sandbox. */
  close(): Promise<void>;
}

/** Where the upstream is and the credentials it takes: the configured API, or the embedded sandbox. */
interface Upstream {
  baseUrl: string;
  appKey: string;
  secretKey: string;
}

/** Starts the whole service. On failure, whatever was already started is closed again. */
export async function startService(
  config: Readonly<Config>,
  overrides: ServiceOverrides = {},
): Promise<RunningService> {
  const sandbox = config.upstream.baseUrl === null ? await startEmbeddedSandbox(config.sandbox) : null;
  const upstream = upstreamOf(config, sandbox);
  const logger = createServiceLogger(config, upstream, overrides.logDestination);
  const teardown = new Teardown(logger);
  if (sandbox) teardown.add(() => sandbox.close());
  try {
    // One monotonic clock for the upstream policy and the deadlines the HTTP layer sets.
    const clock = () => performance.now();
    const metrics = new Metrics();
    const policy = createUpstreamPolicy(config, logger, clock);
    metrics.watchCircuit(() => policy.circuitStatus());
    const client = createUpstreamClient(config, upstream, policy, logger, metrics);
    teardown.add(() => client.close());
    const graphql = await createGraphQL(config, client, metrics, overrides.loaderFactory);
    teardown.add(() => graphql.apollo.stop());

    const handler = createRequestHandler(config, {
      graphql,
      logger,
      metrics,
      upstream,
      circuitStatus: () => policy.circuitStatus(),
      graphiql: createGraphiQL(config, sandbox, overrides.now),
      clock,
    });
    const server = listeningServer(handler.handle, config, logger, metrics);
    const address = await server.listen(config.port, config.host);
    const url = `http://${displayHost(address.address, address.family)}:${address.port}`;
    const metricsUrl = await startMetricsServer(config, logger, metrics, teardown);
    logListening(logger, config, url, upstream, sandbox);

    return {
      url,
      graphqlUrl: `${url}/graphql`,
      graphiqlUrl: config.production ? null : `${url}/graphql`,
      metricsUrl: metricsUrl ?? `${url}/metrics`,
      sandbox: sandbox
        ? { url: sandbox.url, demoToken: sandbox.demoToken, demoAccountNumber: sandbox.demoAccountNumber }
        : undefined,
      logger,
      metrics,
      close: once(() => shutDown(config, logger, handler, server, teardown)),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/** The HTTP server with the connection limits: timeouts, caps, and answers to what Node's parser refuses. */
function listeningServer(
  listener: RequestHandler['handle'],
  config: Readonly<Config>,
  logger: Logger,
  metrics: Metrics,
): GracefulServer {
  const server = new GracefulServer(listener, { serverOptions: serverOptions(config.connections) });
  new ConnectionGuard(config.connections, { logger, metrics }).attach(server.server);
  return server;
}

/** `/metrics` on a port of its own when METRICS_PORT is set; its URL, or null. */
async function startMetricsServer(
  config: Readonly<Config>,
  logger: Logger,
  metrics: Metrics,
  teardown: Teardown,
): Promise<string | null> {
  if (config.metrics.port === null) return null;
  const server = listeningServer(metricsOnlyListener(metrics, logger), config, logger, metrics);
  const address = await server.listen(config.metrics.port, config.metrics.host);
  teardown.add(async () => void (await server.close(0)));
  return `http://${displayHost(address.address, address.family)}:${address.port}/metrics`;
}

/**
 * The part of the grace period given to requests in flight; the rest is kept for closing the
 * upstream client and the sandbox, so that the process is gone within SHUTDOWN_GRACE_MS.
 */
export function drainBudget(graceMs: number): number {
  return Math.max(0, graceMs - Math.min(1_000, Math.floor(graceMs / 5)));
}

function upstreamOf(config: Readonly<Config>, sandbox: EmbeddedSandbox | null): Upstream {
  if (sandbox) return { baseUrl: sandbox.url, appKey: sandbox.appKey, secretKey: sandbox.secretKey };
  return {
    baseUrl: config.upstream.baseUrl!,
    appKey: config.upstream.appKey!,
    secretKey: config.upstream.secretKey!,
  };
}

/** The logger, which keeps the upstream credentials, the cursor secret and each request's own secrets out of every line. */
function createServiceLogger(
  config: Readonly<Config>,
  upstream: Upstream,
  destination: DestinationStream | undefined,
): Logger {
  return createLogger({
    level: config.logLevel,
    secrets: [upstream.appKey, upstream.secretKey, config.cursorSecret],
    currentSecrets: () => requestStore.getStore()?.secrets ?? [],
    destination,
  });
}

function createUpstreamPolicy(config: Readonly<Config>, logger: Logger, clock: () => number): UpstreamPolicy {
  const { maxConcurrencyPerRequest: _perRequest, ...settings } = config.upstreamPolicy;
  return new UpstreamPolicy({
    ...settings,
    attemptTimeoutMs: config.upstream.timeoutMs,
    maxRps: config.upstream.maxRps,
    now: clock,
    onCircuitChange: (circuit) =>
      logger[circuit === 'closed' ? 'info' : 'warn']({ circuit }, 'upstream circuit breaker changed state'),
  });
}

function createUpstreamClient(
  config: Readonly<Config>,
  upstream: Upstream,
  policy: UpstreamPolicy,
  logger: Logger,
  metrics: Metrics,
): WooriClient {
  return new WooriClient(
    {
      ...upstream,
      method: config.upstream.method,
      tokenHeader: config.upstream.tokenHeader,
      timeoutMs: config.upstream.timeoutMs,
      connections: config.upstream.connections,
      accountListPath: config.upstream.accountListPath,
      onCall: (event) => {
        metrics.onCall(event);
        logUpstreamCall(logger, event);
      },
    },
    { policy },
  );
}

function createGraphQL(
  config: Readonly<Config>,
  client: WooriClient,
  metrics: Metrics,
  loaderFactory: LoaderFactory | undefined,
): Promise<GraphQLService<ServerContext>> {
  return createGraphQLService<ServerContext>({
    api: client,
    limits: { maxSpanDays: config.maxSpanDays, upstreamMaxSpanDays: config.upstream.maxSpanDays },
    queryLimits: config.queryLimits,
    cursorSecret: config.cursorSecret,
    production: config.production,
    // GraphiQL is served by this layer; Apollo's own landing page would load from a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled(), observabilityPlugin()],
    loaderFactory,
    onLoaderBatch: metrics.onLoaderBatch,
  });
}

/** The parts of the service the HTTP layer serves. */
interface HandlerParts {
  graphql: GraphQLService<ServerContext>;
  logger: Logger;
  metrics: Metrics;
  upstream: Upstream;
  circuitStatus: () => CircuitStatus;
  graphiql: GraphiQLHost | null;
  /** The upstream policy's clock, for the deadlines of requests. */
  clock: () => number;
}

function createRequestHandler(config: Readonly<Config>, parts: HandlerParts): RequestHandler {
  return new RequestHandler({
    graphql: parts.graphql,
    logger: parts.logger,
    metrics: parts.metrics,
    readiness: new ReadinessProbe({
      baseUrl: parts.upstream.baseUrl,
      timeoutMs: Math.min(2_000, config.upstream.timeoutMs),
      circuitStatus: parts.circuitStatus,
    }),
    graphiql: parts.graphiql,
    serveMetrics: config.metrics.port === null,
    bodyLimitBytes: config.bodyLimitBytes,
    requestDeadlineMs: config.requestDeadlineMs,
    deviceDefaults: config.deviceDefaults,
    trustProxy: config.trustProxy,
    maxCallsInFlightPerRequest: config.upstreamPolicy.maxConcurrencyPerRequest,
    now: parts.clock,
  });
}

/** GraphiQL outside production, with the embedded sandbox's demo customer when there is one. */
function createGraphiQL(
  config: Readonly<Config>,
  sandbox: EmbeddedSandbox | null,
  now: (() => Date) | undefined,
): GraphiQLHost | null {
  if (config.production) return null;
  const demo = sandbox ? { token: sandbox.demoToken, accountNumber: sandbox.demoAccountNumber } : null;
  return new GraphiQLHost({ endpoint: '/graphql', demo, now });
}

function logListening(
  logger: Logger,
  config: Readonly<Config>,
  url: string,
  upstream: Upstream,
  sandbox: EmbeddedSandbox | null,
): void {
  logger.info(
    {
      url,
      mode: sandbox ? 'sandbox' : 'upstream',
      upstream: sandbox ? 'embedded sandbox' : new URL(upstream.baseUrl).origin,
      nodeEnv: config.nodeEnv,
      graphiql: !config.production,
      cursorSecretSource: config.cursorSecretGenerated ? 'random for this process' : 'CURSOR_SECRET',
    },
    'service listening',
  );
}

/** Drains the HTTP server within the grace period, then closes what it used. */
async function shutDown(
  config: Readonly<Config>,
  logger: Logger,
  handler: RequestHandler,
  server: GracefulServer,
  teardown: Teardown,
): Promise<void> {
  logger.info({ graceMs: config.shutdownGraceMs, inFlight: server.inFlightCount }, 'shutting down');
  handler.startDraining();
  const deadline = Date.now() + Math.max(0, config.shutdownGraceMs - 100);
  const { forced } = await server.close(drainBudget(config.shutdownGraceMs));
  if (forced) logger.warn('grace period over: closed the connections still open');
  await teardown.run(deadline);
  logger.info('stopped');
}

/** What to close on the way down, last started first. */
class Teardown {
  private readonly steps: (() => Promise<void>)[] = [];

  constructor(private readonly logger: Logger) {}

  add(step: () => Promise<void>): void {
    this.steps.unshift(step);
  }

  /** Runs each step in turn; a step still running at `deadline` is left behind (and logged). */
  async run(deadline = Infinity): Promise<void> {
    for (const step of this.steps.splice(0)) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        if (Number.isFinite(deadline))
          timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
      });
      try {
        if ((await Promise.race([step(), late])) === 'late')
          this.logger.warn('shutdown step still running at the deadline');
      } catch (error) {
        this.logger.warn({ err: error }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** `fn`, run at its first call only; later calls get the same promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= fn());
}

/** A URL host for a bound address: the unspecified addresses become loopback. */
function displayHost(address: string, family: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return family === 'IPv6' ? `[${address}]` : address;
}
