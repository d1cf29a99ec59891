/**
 * The composition root: builds the service from its settings (logger, metrics, upstream client,
 * GraphQL service, HTTP server, and the embedded sandbox when no upstream is configured) and knows
 * how to take it down again. `main.ts` runs it as a process; tests run it in-process on port 0.
 */
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DestinationStream } from 'pino';
import { createGraphQLService } from '../graphql';
import { WooriClient } from '../woori/client';
import { UpstreamPolicy } from '../woori/policy';
import type { Config } from './config';
import { GracefulServer } from './graceful-server';
import { GraphiQLHost } from './graphiql';
import { RequestHandler } from './http-handler';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { logUpstreamCall, observabilityPlugin } from './observability.plugin';
import { ReadinessProbe } from './readiness';
import { requestStore } from './request-state';
import { startEmbeddedSandbox } from './sandbox';

export interface ServiceOverrides {
  /** Where log lines go (standard output by default): tests read them back. */
  logDestination?: DestinationStream;
  /** The clock of GraphiQL's example dates. */
  now?: () => Date;
}

export interface RunningService {
  /** The service's base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  graphqlUrl: string;
  /** Where GraphiQL is, when it is on (not in production). */
  graphiqlUrl: string | null;
  /** The embedded sandbox, when the service started one (no WOORI_BASE_URL). */
  sandbox?: { url: string; demoToken: string; demoAccountNumber: string };
  logger: Logger;
  metrics: Metrics;
  /** Graceful shutdown: drain within SHUTDOWN_GRACE_MS, then close the upstream client and sandbox. */
  close(): Promise<void>;
}

/** Starts the whole service. On failure, whatever was already started is closed again. */
export async function startService(
  config: Readonly<Config>,
  overrides: ServiceOverrides = {},
): Promise<RunningService> {
  const sandbox = config.upstream.baseUrl === null ? await startEmbeddedSandbox(config.sandbox) : null;
  const upstream = sandbox
    ? { baseUrl: sandbox.url, appKey: sandbox.appKey, secretKey: sandbox.secretKey }
    : {
        baseUrl: config.upstream.baseUrl!,
        appKey: config.upstream.appKey!,
        secretKey: config.upstream.secretKey!,
      };
  const logger = createLogger({
    level: config.logLevel,
    secrets: [upstream.appKey, upstream.secretKey, config.cursorSecret],
    currentSecrets: () => requestStore.getStore()?.secrets ?? [],
    destination: overrides.logDestination,
  });
  const teardown: (() => Promise<void>)[] = [];
  if (sandbox) teardown.unshift(() => sandbox.close());
  try {
    const metrics = new Metrics();
    const policy = new UpstreamPolicy({
      ...config.upstreamPolicy,
      attemptTimeoutMs: config.upstream.timeoutMs,
      maxRps: config.upstream.maxRps,
      onCircuitChange: (circuit) =>
        logger[circuit === 'closed' ? 'info' : 'warn']({ circuit }, 'upstream circuit breaker changed state'),
    });
    metrics.watchCircuit(() => policy.circuitStatus());
    const client = new WooriClient(
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
    teardown.unshift(() => client.close());

    const graphql = await createGraphQLService({
      api: client,
      limits: { maxSpanDays: config.maxSpanDays, upstreamMaxSpanDays: config.upstream.maxSpanDays },
      queryLimits: config.queryLimits,
      cursorSecret: config.cursorSecret,
      production: config.production,
      // GraphiQL is served by this layer; Apollo's own landing page would load from a CDN.
      plugins: [ApolloServerPluginLandingPageDisabled(), observabilityPlugin()],
      onLoaderBatch: metrics.onLoaderBatch,
    });
    teardown.unshift(() => graphql.apollo.stop());

    const demo = sandbox && { token: sandbox.demoToken, accountNumber: sandbox.demoAccountNumber };
    const handler = new RequestHandler({
      graphql: {
        apollo: graphql.apollo,
        // The handler aborts each request's signal at REQUEST_DEADLINE_MS: a retry needs to know when.
        createContext: (input) => {
          if (input.signal) policy.setDeadline(input.signal, config.requestDeadlineMs);
          return graphql.createContext(input);
        },
      },
      logger,
      metrics,
      readiness: new ReadinessProbe({
        baseUrl: upstream.baseUrl,
        timeoutMs: Math.min(2_000, config.upstream.timeoutMs),
        circuitStatus: () => policy.circuitStatus(),
      }),
      graphiql: config.production
        ? null
        : new GraphiQLHost({ endpoint: '/graphql', demo, now: overrides.now }),
      bodyLimitBytes: config.bodyLimitBytes,
      requestDeadlineMs: config.requestDeadlineMs,
      deviceDefaults: config.deviceDefaults,
      trustProxy: config.trustProxy,
    });
    const server = new GracefulServer(handler.handle);
    const address = await server.listen(config.port, config.host);
    const url = `http://${displayHost(address.address, address.family)}:${address.port}`;

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

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        logger.info({ graceMs: config.shutdownGraceMs, inFlight: server.inFlightCount }, 'shutting down');
        handler.startDraining();
        const deadline = Date.now() + Math.max(0, config.shutdownGraceMs - 100);
        const { forced } = await server.close(drainBudget(config.shutdownGraceMs));
        if (forced) logger.warn('grace period over: closed the connections still open');
        await runTeardown(teardown, logger, deadline);
        logger.info('stopped');
      })());

    return {
      url,
      graphqlUrl: `${url}/graphql`,
      graphiqlUrl: config.production ? null : `${url}/graphql`,
      sandbox: sandbox
        ? { url: sandbox.url, demoToken: sandbox.demoToken, demoAccountNumber: sandbox.demoAccountNumber }
        : undefined,
      logger,
      metrics,
      close,
    };
  } catch (error) {
    await runTeardown(teardown, logger);
    throw error;
  }
}

/**
 * The part of the grace period given to requests in flight; the rest is kept for closing the
 * upstream client and the sandbox, so that the process is gone within SHUTDOWN_GRACE_MS.
 */
export function drainBudget(graceMs: number): number {
  return Math.max(0, graceMs - Math.min(1_000, Math.floor(graceMs / 5)));
}

/** Runs each step in turn; a step still running at `deadline` is left behind (and logged). */
async function runTeardown(
  steps: (() => Promise<void>)[],
  logger: Logger,
  deadline = Infinity,
): Promise<void> {
  for (const step of steps.splice(0)) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      if (Number.isFinite(deadline))
        timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
    });
    try {
      if ((await Promise.race([step(), late])) === 'late')
        logger.warn('shutdown step still running at the deadline');
    } catch (error) {
      logger.warn({ err: error }, 'shutdown step failed');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A URL host for a bound address: the unspecified addresses become loopback. */
function displayHost(address: string, family: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return family === 'IPv6' ? `[${address}]` : address;
}
