import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheEvent } from '../cache/answer-cache';
import type { CallEvent } from '../woori/api';

/** How one GraphQL request ended: no errors, data with errors, no data, or refused before execution. */
export type GraphQLOutcome = 'ok' | 'partial' | 'error' | 'rejected';
export type LoaderName = 'accounts' | 'basics' | 'transactions';

/** At most this many distinct operation names get their own label value; the rest share `(other)`. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const UPSTREAM_OUTCOME = /^[A-Z][A-Z0-9_]{0,31}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * The service's Prometheus metrics, on a registry of its own (so that tests and embedders can run
 * several services in one process). Label values are bounded: operation names are the caller's
 * choice, so only well-formed names count, and only the first {@link MAX_OPERATION_NAMES} of them.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests, by route and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, from the first byte in to the last byte out.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly graphqlRequests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests, by operation name and outcome (ok, partial, error, rejected).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly graphqlDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency, by operation name and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by operation name and extensions.code.',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });
  private readonly upstreamCalls = new Counter({
    name: 'woori_upstream_calls_total',
    help: 'Upstream call attempts, by operation and outcome (OK, the SYSCD code, or the error kind).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly upstreamRetries = new Counter({
    name: 'woori_upstream_retries_total',
    help: 'Upstream call attempts that were retries of an earlier attempt, by operation.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  private readonly upstreamDuration = new Histogram({
    name: 'woori_upstream_call_duration_seconds',
    help: 'Upstream call latency per attempt, by operation and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly loaderBatch = new Histogram({
    name: 'graphql_loader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 3, 5, 10, 20, 50, 100, 200],
    registers: [this.registry],
  });
  private readonly connectionsRefused = new Counter({
    name: 'http_connections_refused_total',
    help: 'Connections closed as soon as they were accepted, by reason (max_connections, max_connections_per_address).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly parserRefusals = new Counter({
    name: 'http_parser_refusals_total',
    help: "Requests refused by Node's HTTP parser or its timeouts before any route ran, by the status answered (400, 408, 413, 431).",
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** Read when scraped: 0 closed, 1 half-open, 2 open. */
  private circuitStatus: () => 'closed' | 'half-open' | 'open' = () => 'closed';
  private readonly circuit = new Gauge({
    name: 'woori_upstream_circuit_state',
    help: "The upstream circuit breaker's state: 0 closed, 1 half-open (one call tests the upstream), 2 open (calls fail fast).",
    registers: [this.registry],
    collect: () => {
      const status = this.circuitStatus();
      this.circuit.set(status === 'open' ? 2 : status === 'half-open' ? 1 : 0);
    },
  });

  private readonly redisErrors = new Counter({
    name: 'woori_redis_errors_total',
    help: 'Redis commands that failed or timed out (each one a cache miss or a local fallback, never a failed request).',
    registers: [this.registry],
  });

  private readonly cacheHits = new Counter({
    name: 'woori_cache_hits_total',
    help: 'Answers served without an upstream call (from the cache, or shared with an identical call in flight), by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly cacheMisses = new Counter({
    name: 'woori_cache_misses_total',
    help: 'Answers looked for in the cache and not found (or not fresh enough), by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly cacheBytes = new Counter({
    name: 'woori_cache_bytes_total',
    help: 'Bytes of cache entries (sealed) read and stored, by kind and direction (read, stored).',
    labelNames: ['kind', 'direction'] as const,
    registers: [this.registry],
  });
  private readonly cacheTooLarge = new Counter({
    name: 'woori_cache_too_large_total',
    help: 'Answers not cached because they were larger than CACHE_MAX_ENTRY_BYTES, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly circuitOpened = new Counter({
    name: 'woori_upstream_circuit_opened_total',
    help: 'Times the upstream circuit breaker opened (on spread failures, or a failed half-open test).',
    registers: [this.registry],
  });

  private readonly queueWait = new Histogram({
    name: 'woori_upstream_queue_wait_seconds',
    help: "Time upstream calls waited in the fair queue for a slot and the rate limiter's start, by outcome (started, aborted: the caller gave up, rejected: the queue was full).",
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly customerCeiling = new Counter({
    name: 'woori_upstream_customer_ceiling_refusals_total',
    help: 'Upstream calls refused because their customer was over WOORI_CUSTOMER_MAX_CALLS (RATE_LIMITED, scope customer).',
    registers: [this.registry],
  });

  private readonly limiterFallback = new Gauge({
    name: 'woori_upstream_limiter_fallback',
    help: '1 while this replica keeps to its own share of WOORI_MAX_RPS because the shared Redis does not answer; 0 while the limit is shared (or not shared at all).',
    registers: [this.registry],
  });

  /** Read when scraped: inputs held back now, and calls refused for that so far. */
  private heldBack: () => { inputs: number; calls: number } = () => ({ inputs: 0, calls: 0 });
  private readonly heldBackInputs: Gauge = new Gauge({
    name: 'woori_upstream_inputs_held_back',
    help: 'Inputs (an operation on one account of one customer) held back now after failing again and again: their calls fail at once without an upstream call.',
    registers: [this.registry],
    collect: () => {
      this.heldBackInputs.set(this.heldBack().inputs);
    },
  });
  /** The policy's own count of held-back calls at the last scrape. */
  private heldBackCallsSeen = 0;
  private readonly heldBackCalls: Counter = new Counter({
    name: 'woori_upstream_held_back_calls_total',
    help: 'Calls answered with the last error of their held-back input, without an upstream call.',
    registers: [this.registry],
    collect: () => {
      // The policy counts; the counter catches up at each scrape.
      const calls = this.heldBack().calls;
      if (calls > this.heldBackCallsSeen) this.heldBackCalls.inc(calls - this.heldBackCallsSeen);
      this.heldBackCallsSeen = Math.max(this.heldBackCallsSeen, calls);
    },
  });

  constructor({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  observeHttp(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  observeGraphQL(
    operationName: string | null | undefined,
    outcome: GraphQLOutcome,
    seconds: number,
    errorCodes: readonly string[] = [],
  ): void {
    const operation = this.operationLabel(operationName);
    this.graphqlRequests.inc({ operation, outcome });
    this.graphqlDuration.observe({ operation, outcome }, seconds);
    for (const code of errorCodes) {
      this.graphqlErrors.inc({ operation, code: ERROR_CODE.test(code) ? code : 'OTHER' });
    }
  }

  /** The client's `onCall` hook: one event per upstream attempt. */
  readonly onCall = (event: CallEvent): void => {
    const outcome = UPSTREAM_OUTCOME.test(event.outcome) ? event.outcome : 'OTHER';
    this.upstreamCalls.inc({ operation: event.operation, outcome });
    this.upstreamDuration.observe({ operation: event.operation, outcome }, event.durationMs / 1000);
    if (event.attempt > 1) this.upstreamRetries.inc({ operation: event.operation });
  };

  /** A connection closed as soon as it was accepted (see `connections.ts`). */
  onConnectionRefused(reason: 'max_connections' | 'max_connections_per_address'): void {
    this.connectionsRefused.inc({ reason });
  }

  /** A request Node's parser refused, answered with `status`. */
  onParserRefusal(status: number): void {
    this.parserRefusals.inc({ status: String(status) });
  }

  /** Where the circuit breaker's state is read at each scrape. */
  watchCircuit(status: () => 'closed' | 'half-open' | 'open'): void {
    this.circuitStatus = status;
  }

  /** Where Redis's state is read at each scrape; without a call, the gauge is absent (no Redis). */
  watchRedis(state: () => 'up' | 'down'): void {
    const gauge: Gauge = new Gauge({
      name: 'woori_redis_up',
      help: 'Whether the shared Redis answers: 1 up, 0 down or slow (absent without REDIS_URL).',
      registers: [this.registry],
      collect: () => gauge.set(state() === 'up' ? 1 : 0),
    });
  }

  /** Where the service's degradation (running without Redis) is read at each scrape. */
  watchDegraded(degraded: () => boolean): void {
    const gauge: Gauge = new Gauge({
      name: 'woori_degraded',
      help: 'Whether the service runs without something that makes it better (1: Redis unreachable, answers per replica); /readyz says what.',
      registers: [this.registry],
      collect: () => gauge.set(degraded() ? 1 : 0),
    });
  }

  /** The answer cache's `onEvent` hook. */
  readonly onCacheEvent = (event: CacheEvent): void => {
    const { kind } = event;
    if (event.outcome === 'hit') this.cacheHits.inc({ kind });
    else if (event.outcome === 'miss') this.cacheMisses.inc({ kind });
    else if (event.outcome === 'too-large') this.cacheTooLarge.inc({ kind });
    else this.cacheBytes.inc({ kind, direction: event.outcome }, event.bytes);
  };

  /** Where the in-process cache's size is read at each scrape (absent with Redis). */
  watchCacheMemory(bytes: () => number): void {
    const gauge: Gauge = new Gauge({
      name: 'woori_cache_memory_bytes',
      help: 'Bytes held by the in-process answer cache (keys and sealed entries).',
      registers: [this.registry],
      collect: () => gauge.set(bytes()),
    });
  }

  /** SharedRedis's `onCommandError` hook. */
  readonly onRedisError = (): void => {
    this.redisErrors.inc();
  };
  /** Told of every change of the circuit's state: counts the openings. */
  onCircuitChange(status: 'closed' | 'half-open' | 'open'): void {
    if (status === 'open') this.circuitOpened.inc();
  }

  /** The fair queue's hook: how long one call waited, and how the wait ended. */
  onQueueWait(outcome: 'started' | 'aborted' | 'rejected', waitedMs: number): void {
    this.queueWait.observe({ outcome }, waitedMs / 1000);
  }

  /** The shared rate limiter's hook: on this replica's share (true), or shared through Redis again. */
  onLimiterFallback(fallback: boolean): void {
    this.limiterFallback.set(fallback ? 1 : 0);
  }

  /** One call refused by its customer's ceiling. */
  onCustomerCeiling(): void {
    this.customerCeiling.inc();
  }

  /** Where the broken-input memory's figures are read at each scrape. */
  watchHeldBack(read: () => { inputs: number; calls: number }): void {
    this.heldBack = read;
  }

  /** The GraphQL service's `onLoaderBatch` hook. */
  readonly onLoaderBatch = (loader: LoaderName, size: number): void => {
    this.loaderBatch.observe({ loader }, size);
  };

  private operationLabel(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return '(anonymous)';
    if (!OPERATION_NAME.test(name)) return '(invalid)';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return '(other)';
    this.operationNames.add(name);
    return name;
  }
}
