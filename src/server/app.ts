/**
 * The composition root: builds the service from its settings (logger, metrics, upstream client,
 * GraphQL service, HTTP server, and the embedded sandbox when no upstream is configured) and knows
 * how to take it down again. `main.ts` runs it as a process; tests run it in-process on port 0.
 */
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createHash } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { createGraphQLService, type GraphQLService, type LoaderFactory } from '../graphql';
import { AnswerCache } from '../cache/answer-cache';
import { PersistedQueryCache } from '../cache/persisted-queries';
import { MemoryStore } from '../store/memory-store';
import { SharedRedis } from '../store/redis';
import { RedisStore } from '../store/redis-store';
import type { KeyValueStore } from '../store/store';
import { WooriClient, type WooriClientOptions } from '../woori/client';
import { type CircuitStatus, UpstreamPolicy } from '../woori/policy';
import type { Config } from './config';
import { DEMO_PATH, DemoHost } from './demo';
import { ConnectionGuard, serverOptions } from './connections';
import { GracefulServer } from './graceful-server';
import { GraphiQLHost } from './graphiql';
import { RequestHandler } from './http-handler';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { logUpstreamCall, observabilityPlugin } from './observability.plugin';
import { logCircuitChange, logHeldBack, longWaitLogger } from './policy-log';
import { metricsOnlyListener } from './probes';
import { ReadinessProbe } from './readiness';
import { GRAPHQL_PATH } from './routes';
import type { ServerContext } from './request-state';
import { type EmbeddedSandbox, startEmbeddedSandbox } from './sandbox';
import { TrustedDocuments } from './trusted-documents';

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
  /**
   * Upstream client options that are no settings, for benchmarks that compare them
   * (bench/stall-probe.ts: how large answers are decoded).
   */
  upstreamClient?: Pick<WooriClientOptions, 'streamFromBytes' | 'decodeSliceMs'>;
}

export interface RunningService {
  /** The service's base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  graphqlUrl: string;
  /** Where GraphiQL is, when it is on (not in production). */
  graphiqlUrl: string | null;
  /** Where the demo dashboard is, when it is on (not in production). */
  demoUrl: string | null;
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
  // A missing or malformed manifest stops the start before anything is started.
  const trustedDocuments = config.trustedDocuments ? TrustedDocuments.load(config.trustedDocuments) : null;
  const sandbox = config.upstream.baseUrl === null ? await startEmbeddedSandbox(config.sandbox) : null;
  const upstream = upstreamOf(config, sandbox);
  const logger = createServiceLogger(config, upstream, overrides.logDestination);
  const teardown = new Teardown(logger);
  if (sandbox) teardown.add(() => sandbox.close());
  try {
    // One monotonic clock for the upstream policy and the deadlines the HTTP layer sets.
    const clock = () => performance.now();
    const metrics = new Metrics();
    // One Redis connection per process, for everything replicas share (closed last).
    const redis = createSharedRedis(config, logger, metrics);
    if (redis) teardown.add(() => redis.close());
    const policy = createUpstreamPolicy(config, upstream, redis, logger, metrics, clock);
    metrics.watchCircuit(() => policy.circuitStatus());
    metrics.watchHeldBack(() => ({ inputs: policy.heldBackInputs(), calls: policy.heldBackCalls() }));
    metrics.watchDegraded(() => degradation(redis) !== undefined);
    const client = createUpstreamClient(config, upstream, policy, logger, metrics, overrides.upstreamClient);
    teardown.add(() => client.close());
    const store = createStore(config, redis, metrics);
    const cache = createAnswerCache(config, store, metrics);
    const graphql = await createGraphQL(config, client, metrics, overrides.loaderFactory, cache, store);
    teardown.add(() => graphql.apollo.stop());

    const handler = createRequestHandler(config, {
      graphql,
      logger,
      metrics,
      upstream,
      circuitStatus: () => policy.circuitStatus(),
      degraded: () => degradation(redis),
      graphiql: createGraphiQL(config, sandbox, overrides.now),
      demo: config.production
        ? null
        : new DemoHost({ endpoint: GRAPHQL_PATH, token: sandbox?.demoToken ?? null, now: overrides.now }),
      clock,
      trustedDocuments,
    });
    const server = listeningServer(handler.handle, config, logger, metrics);
    const address = await server.listen(config.port, config.host);
    const url = `http://${displayHost(address.address, address.family)}:${address.port}`;
    const metricsUrl = await startMetricsServer(config, logger, metrics, teardown);
    logListening(logger, config, url, upstream, sandbox, trustedDocuments);

    return {
      url,
      graphqlUrl: `${url}/graphql`,
      graphiqlUrl: config.production ? null : `${url}/graphql`,
      demoUrl: config.production ? null : `${url}${DEMO_PATH}`,
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
    secrets: [
      upstream.appKey,
      upstream.secretKey,
      config.cursorSecret,
      config.cache.secret,
      ...redisSecrets(config),
    ],
    destination,
  });
}

/** The URL's password (and user name) as given and decoded, to keep out of every log line. */
function redisSecrets(config: Readonly<Config>): string[] {
  if (!config.redis) return [];
  const url = new URL(config.redis.url);
  const parts = [url.password, url.username].filter((part) => part !== '');
  return [...parts, ...parts.map((part) => decodeURIComponent(part))];
}

/** What the service runs without while Redis is down or slow; undefined while it is up (or unset). */
function degradation(redis: SharedRedis | null): string | undefined {
  if (!redis || redis.state === 'up') return undefined;
  return 'Redis unreachable: answers are cached, de-duplicated and rate-limited per replica until it is back';
}

/** The shared Redis when REDIS_URL is set; its state changes are logged and counted. */
function createSharedRedis(config: Readonly<Config>, logger: Logger, metrics: Metrics): SharedRedis | null {
  if (!config.redis) return null;
  const redis = new SharedRedis({
    ...config.redis,
    onStateChange: (state, reason) =>
      logger[state === 'up' ? 'info' : 'warn']({ redis: state, reason }, 'Redis state changed'),
    onCommandError: () => metrics.onRedisError(),
  });
  metrics.watchRedis(() => redis.state);
  return redis;
}

function createUpstreamPolicy(
  config: Readonly<Config>,
  upstream: Upstream,
  redis: SharedRedis | null,
  logger: Logger,
  metrics: Metrics,
  clock: () => number,
): UpstreamPolicy {
  const { maxConcurrencyPerRequest: _perRequest, queueWaitLogMs, ...settings } = config.upstreamPolicy;
  const logLongWait = longWaitLogger(logger, queueWaitLogMs);
  return new UpstreamPolicy(
    {
      ...settings,
      attemptTimeoutMs: config.upstream.timeoutMs,
      maxRps: config.upstream.maxRps,
      replicas: config.upstream.replicas,
      // Replicas that share an app key share its limit; a hash keeps the key itself out of Redis.
      sharedLimitKey: `woori:upstream:starts:${createHash('sha256').update(upstream.appKey).digest('hex').slice(0, 16)}`,
      onLimiterFallback: (fallback) => {
        metrics.onLimiterFallback(fallback);
        logger[fallback ? 'warn' : 'info'](
          { replicas: config.upstream.replicas },
          fallback
            ? 'redis did not answer: the upstream rate limit falls back on this replica’s share'
            : 'the upstream rate limit is shared through redis again',
        );
      },
      now: clock,
      onCircuitChange: (circuit, change) => {
        metrics.onCircuitChange(circuit);
        logCircuitChange(logger, circuit, change);
      },
      onHeldBack: (event, context) => logHeldBack(logger, event, context),
      onQueueWait: (wait) => {
        metrics.onQueueWait(wait.outcome, wait.waitedMs);
        logLongWait(wait);
      },
      onCustomerCeiling: () => metrics.onCustomerCeiling(),
    },
    { redis },
  );
}

function createUpstreamClient(
  config: Readonly<Config>,
  upstream: Upstream,
  policy: UpstreamPolicy,
  logger: Logger,
  metrics: Metrics,
  extra: ServiceOverrides['upstreamClient'],
): WooriClient {
  return new WooriClient(
    {
      ...extra,
      ...upstream,
      method: config.upstream.method,
      tokenHeader: config.upstream.tokenHeader,
      timeoutMs: config.upstream.timeoutMs,
      connections: config.upstream.connections,
      accountListPath: config.upstream.accountListPath,
      maxBodyBytes: config.upstream.maxBodyBytes,
      onCall: (event, context) => {
        metrics.onCall(event);
        logUpstreamCall(logger, event, context);
      },
    },
    { policy },
  );
}

/** How long an automatic persisted query is kept after its registration (a day). */
const PERSISTED_QUERY_TTL_SECONDS = 86_400;

/** Where what replicas share is kept: Redis when there is one, else this process's LRU. */
function createStore(config: Readonly<Config>, redis: SharedRedis | null, metrics: Metrics): KeyValueStore {
  const { maxEntryBytes, maxBytes } = config.cache;
  if (redis) return new RedisStore(redis, { maxEntryBytes });
  const store = new MemoryStore({ maxBytes, maxEntryBytes });
  metrics.watchCacheMemory(() => store.size);
  return store;
}

/**
 * The answer cache, or none when both TTLs are 0: then every request makes its own calls, identical
 * calls in flight included.
 */
function createAnswerCache(
  config: Readonly<Config>,
  store: KeyValueStore,
  metrics: Metrics,
): AnswerCache | undefined {
  if (cacheMode(config) === 'off') return undefined;
  return new AnswerCache({
    store,
    secret: config.cache.secret,
    liveTtlMs: config.cache.ttlSeconds * 1000,
    historyTtlMs: config.cache.historyTtlSeconds * 1000,
    maxEntryBytes: config.cache.maxEntryBytes,
    upstreamMaxSpanDays: config.upstream.maxSpanDays,
    // Long enough for another replica's call and one retry; a waiter's own deadline ends it sooner.
    waitMs: 2 * config.upstream.timeoutMs,
    onEvent: metrics.onCacheEvent,
  });
}

function createGraphQL(
  config: Readonly<Config>,
  client: WooriClient,
  metrics: Metrics,
  loaderFactory: LoaderFactory | undefined,
  cache: AnswerCache | undefined,
  store: KeyValueStore,
): Promise<GraphQLService<ServerContext>> {
  return createGraphQLService<ServerContext>({
    api: client,
    limits: { maxSpanDays: config.maxSpanDays, upstreamMaxSpanDays: config.upstream.maxSpanDays },
    queryLimits: config.queryLimits,
    maxUpstreamCallsPerRequest: config.maxUpstreamCallsPerRequest,
    cursorSecret: config.cursorSecret,
    production: config.production,
    federation: config.federationSubgraph,
    // GraphiQL is served by this layer; Apollo's own landing page would load from a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled(), observabilityPlugin()],
    loaderFactory,
    cache,
    // Automatic persisted queries where the answers are: shared by the replicas through Redis.
    persistedQueryCache: new PersistedQueryCache(store, {
      secret: config.cache.secret,
      defaultTtlSeconds: PERSISTED_QUERY_TTL_SECONDS,
      maxEntryBytes: config.cache.maxEntryBytes,
    }),
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
  /** What the service runs without now (see `ReadinessProbe`). */
  degraded: () => string | undefined;
  graphiql: GraphiQLHost | null;
  demo: DemoHost | null;
  /** The upstream policy's clock, for the deadlines of requests. */
  clock: () => number;
  trustedDocuments: TrustedDocuments | null;
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
      degraded: parts.degraded,
    }),
    graphiql: parts.graphiql,
    demo: parts.demo,
    serveMetrics: config.metrics.port === null,
    bodyLimitBytes: config.bodyLimitBytes,
    maxResponseBytes: config.maxResponseBytes,
    requestDeadlineMs: config.requestDeadlineMs,
    deviceDefaults: config.deviceDefaults,
    trustProxy: config.trustProxy,
    maxCallsInFlightPerRequest: config.upstreamPolicy.maxConcurrencyPerRequest,
    now: parts.clock,
    trustedDocuments: parts.trustedDocuments,
    customerKeySecret: config.cache.secret,
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
  return new GraphiQLHost({ endpoint: '/graphql', demo, demoPath: DEMO_PATH, now });
}

function logListening(
  logger: Logger,
  config: Readonly<Config>,
  url: string,
  upstream: Upstream,
  sandbox: EmbeddedSandbox | null,
  trustedDocuments: TrustedDocuments | null,
): void {
  logger.info(
    {
      url,
      mode: sandbox ? 'sandbox' : 'upstream',
      upstream: sandbox ? 'embedded sandbox' : new URL(upstream.baseUrl).origin,
      nodeEnv: config.nodeEnv,
      graphiql: !config.production,
      cursorSecretSource: config.cursorSecretGenerated ? 'random for this process' : 'CURSOR_SECRET',
      trustedDocuments: trustedDocuments?.size ?? 'off',
      federationSubgraph: config.federationSubgraph,
      cache: cacheMode(config),
      cacheSecretSource: config.cache.secretGenerated ? 'random for this process' : 'CACHE_SECRET',
    },
    'service listening',
  );
  if (config.redis && config.cache.secretGenerated && cacheMode(config) !== 'off') {
    logger.warn(
      'REDIS_URL is set but CACHE_SECRET is not: this replica keys and encrypts its cache entries with a secret of its own, so replicas share no cached answers',
    );
  }
}

/** Where answers are cached: shared through Redis, in this process, or not at all. */
function cacheMode(config: Readonly<Config>): 'redis' | 'in-process' | 'off' {
  if (config.cache.ttlSeconds === 0 && config.cache.historyTtlSeconds === 0) return 'off';
  return config.redis ? 'redis' : 'in-process';
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
