/**
 * The service's settings: the one module that reads `process.env`. Every value is read, checked
 * and converted here, once, into a frozen {@link Config}; everything else receives its values
 * through constructors. A bad value throws a {@link ConfigError} naming the variable and the rule.
 *
 * An empty variable counts as unset, so that `.env` files can list every setting.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { DEFAULT_CEILINGS } from '../graphql/ceilings';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../graphql/protection';
import { CLIENT_DEFAULTS } from '../woori/client';
import { DEVICE_FIELD_MAX_LENGTH, type DeviceInfo } from '../woori/domain';
import { POLICY_DEFAULTS } from '../woori/policy';
import { CONNECTION_DEFAULTS, type ConnectionLimits } from './connections';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The upstream connection. `baseUrl` null means: start the embedded sandbox and use it. */
export interface UpstreamConfig {
  baseUrl: string | null;
  /** Null only in sandbox mode, where the sandbox's own credentials are used. */
  appKey: string | null;
  secretKey: string | null;
  method: 'GET' | 'POST';
  tokenHeader: 'bearer' | 'token';
  timeoutMs: number;
  /**
   * Upstream call starts per second that the service stays under by queuing; 0: no limit. With
   * Redis (`REDIS_URL`), the limit of all replicas together.
   */
  maxRps: number;
  /** Replicas sharing `maxRps`: while Redis does not answer, each keeps to `maxRps / replicas`. */
  replicas: number;
  connections: number;
  accountListPath: string;
  /** The largest upstream answer body read, in bytes: a larger one fails the call (UPSTREAM_ERROR). */
  maxBodyBytes: number;
  /** Longest date range the upstream accepts in one transactions call, inclusive days. */
  maxSpanDays: number;
}

/**
 * What happens around each upstream call (see `UpstreamPolicy` in `src/woori/policy.ts`): retries,
 * the circuit breaker and the concurrency caps. The rate limit is `upstream.maxRps`.
 */
export interface UpstreamPolicyConfig {
  /** Attempts per upstream call, the first included; 1 turns retries off. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Retries may add at most this percentage to the calls of a 10 s window… */
  retryBudgetPercent: number;
  /** …plus this many per second of it, whatever the traffic. */
  retryBudgetMinPerSecond: number;
  /** Failed upstream calls since the last answer that open the circuit, when they also span… */
  breakerThreshold: number;
  /** …this many distinct inputs… */
  breakerMinInputs: number;
  /** …of this many distinct customers, within… */
  breakerMinCustomers: number;
  /** …this window, ms. */
  breakerWindowMs: number;
  /** Failed attempts in a row that hold one input back (0 = never). */
  holdBackAfterFailures: number;
  /** How long an input is held back. */
  holdBackMs: number;
  /** How long the circuit stays open before a call may test the upstream again. */
  halfOpenAfterMs: number;
  /** Upstream calls in flight at once, over all requests (at most `upstream.connections`). */
  maxConcurrency: number;
  maxConcurrencyPerRequest: number;
  /** Calls waiting for a slot beyond this fail at once (UPSTREAM_UNAVAILABLE). */
  maxQueue: number;
  /** Upstream calls one customer may make per `customerWindowMs` (0 = no ceiling). */
  customerMaxCalls: number;
  customerWindowMs: number;
  /** A request whose upstream call waited this long in the fair queue gets a log line (once). */
  queueWaitLogMs: number;
}

/** The Redis that replicas share (see `src/store/redis.ts`). */
export interface RedisConfig {
  /** `redis://…` or `rediss://…`; may carry a password, so it is never logged. */
  url: string;
  /** How long one Redis command may take before it counts as failed (a cache miss). */
  commandTimeoutMs: number;
  /** How long one connection attempt may take. */
  connectTimeoutMs: number;
}

/** The answer cache (see `src/cache/`). */
export interface CacheConfig {
  /** Answers that can still change (the account list, basics as of today, ranges with today); 0: not cached. */
  ttlSeconds: number;
  /** Answers about closed days (ranges before today in KST, basics as of a past date); 0: not cached. */
  historyTtlSeconds: number;
  /** Keys entries per customer and, with the customer's token, encrypts them. */
  secret: string;
  /** True when CACHE_SECRET was unset and a random one was made for this process. */
  secretGenerated: boolean;
  /** Answers larger than this (stored form) are not cached. */
  maxEntryBytes: number;
  /** The in-process cache's bound (used when there is no Redis). */
  maxBytes: number;
}

export interface Config {
  nodeEnv: NodeEnv;
  /** `NODE_ENV=production`: no GraphiQL, no introspection, no embedded sandbox. */
  production: boolean;
  port: number;
  host: string;
  upstream: Readonly<UpstreamConfig>;
  upstreamPolicy: Readonly<UpstreamPolicyConfig>;
  /** Longest `transactions(from, to)` span a caller may ask for, inclusive days. */
  maxSpanDays: number;
  /** What one GraphQL document may ask: checked before execution, a 400 when over. */
  queryLimits: Readonly<QueryLimits>;
  /** Upstream calls one request may make (retries aside); the call past it stops the request (LIMIT_EXCEEDED). */
  maxUpstreamCallsPerRequest: number;
  /** The largest GraphQL response body sent, in bytes; a larger one is replaced by LIMIT_EXCEEDED. */
  maxResponseBytes: number;
  requestDeadlineMs: number;
  cursorSecret: string;
  /** True when CURSOR_SECRET was unset and a random one was made for this process. */
  cursorSecretGenerated: boolean;
  /** Device fields for callers that send no device headers (server-to-server). */
  deviceDefaults: Readonly<DeviceInfo>;
  /** Whether the left-most `X-Forwarded-For` address is taken as the caller's IP. */
  trustProxy: boolean;
  logLevel: LogLevel;
  shutdownGraceMs: number;
  bodyLimitBytes: number;
  /** Path of the persisted-documents manifest (TRUSTED_DOCUMENTS): only its documents run. Null: any document. */
  trustedDocuments: string | null;
  /** Serve the schema as an Apollo Federation 2 subgraph (`_service`, `_entities`). */
  federationSubgraph: boolean;
  /** Null: no Redis; the cache, the rate limit and de-duplication are in-process. */
  redis: Readonly<RedisConfig> | null;
  cache: Readonly<CacheConfig>;
  /** What one client may hold of the process: request timeouts and connection caps. */
  connections: Readonly<ConnectionLimits>;
  /** Where `/metrics` is served: on its own port (and host) when `port` is set, else on the main port. */
  metrics: Readonly<{ port: number | null; host: string }>;
  sandbox: Readonly<{ latencyMs: number; wireFormat: SandboxWireFormat }>;
}

/** How the embedded sandbox writes amounts and dates: the document's examples, or Woori's own (spec §4). */
export type SandboxWireFormat = 'document' | 'woori';
export const SANDBOX_WIRE_FORMATS: readonly SandboxWireFormat[] = ['document', 'woori'];

/** A setting that is missing or breaks its rule. `variable` is the environment variable's name. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly rule: string,
  ) {
    super(`${variable} ${rule}`);
  }
}

/** Settings whose values must never be echoed, not even in an error message. */
const SECRET_VARIABLES = new Set([
  'WOORI_APP_KEY',
  'WOORI_SECRET_KEY',
  'CURSOR_SECRET',
  'DEVICE_DEFAULT_PHONE',
  'REDIS_URL',
  'CACHE_SECRET',
]);

/** Reads and checks every setting. Throws a {@link ConfigError} on the first bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';

  const baseUrl = read.url('WOORI_BASE_URL');
  if (baseUrl === null && production) {
    throw new ConfigError(
      'WOORI_BASE_URL',
      'is required in production (the embedded sandbox runs only outside production)',
    );
  }
  const credentialRule = 'is required when WOORI_BASE_URL is set';
  const upstream: UpstreamConfig = {
    baseUrl,
    appKey: baseUrl === null ? null : read.required('WOORI_APP_KEY', credentialRule),
    secretKey: baseUrl === null ? null : read.required('WOORI_SECRET_KEY', credentialRule),
    method: read.oneOf('WOORI_HTTP_METHOD', ['GET', 'POST'] as const, CLIENT_DEFAULTS.method, {
      upperCase: true,
    }),
    tokenHeader: read.oneOf('WOORI_TOKEN_HEADER', ['bearer', 'token'] as const, CLIENT_DEFAULTS.tokenHeader, {
      lowerCase: true,
    }),
    timeoutMs: read.int('WOORI_TIMEOUT_MS', CLIENT_DEFAULTS.timeoutMs, 100, 600_000),
    // The embedded sandbox has no per-second limit unless told to, so the limiter is off with it.
    maxRps: read.int('WOORI_MAX_RPS', baseUrl === null ? 0 : 10, 0, 10_000),
    replicas: read.int('WOORI_REPLICAS', 1, 1, 1_000),
    connections: read.int('WOORI_CONNECTIONS', CLIENT_DEFAULTS.connections, 1, 1024),
    accountListPath: read.pathSegment('WOORI_ACCOUNT_LIST_PATH', CLIENT_DEFAULTS.accountListPath),
    maxBodyBytes: read.int('WOORI_MAX_BODY_BYTES', CLIENT_DEFAULTS.maxBodyBytes, 1024, 1024 * 1024 * 1024),
    maxSpanDays: read.int('WOORI_MAX_SPAN_DAYS', 366, 1, 36_600),
  };

  const upstreamPolicy = readUpstreamPolicy(read, upstream.connections, baseUrl === null);

  const generatedSecret = randomBytes(32).toString('base64url');
  const cursorSecret = production
    ? read.required('CURSOR_SECRET', 'is required in production (it signs pagination cursors)')
    : (read.optional('CURSOR_SECRET') ?? generatedSecret);
  if (cursorSecret.length < 32) {
    throw new ConfigError('CURSOR_SECRET', 'must be at least 32 characters long');
  }

  const config: Config = {
    nodeEnv,
    production,
    port: read.int('PORT', 4000, 0, 65_535),
    host: read.host('HOST', production ? '0.0.0.0' : '127.0.0.1'),
    upstream: Object.freeze(upstream),
    upstreamPolicy: Object.freeze(upstreamPolicy),
    maxSpanDays: read.int('MAX_SPAN_DAYS', 366, 1, 36_600),
    queryLimits: Object.freeze({
      maxDepth: read.int('MAX_QUERY_DEPTH', DEFAULT_QUERY_LIMITS.maxDepth, 2, 100),
      maxAliases: read.int('MAX_QUERY_ALIASES', DEFAULT_QUERY_LIMITS.maxAliases, 0, 10_000),
      maxDirectives: read.int('MAX_QUERY_DIRECTIVES', DEFAULT_QUERY_LIMITS.maxDirectives, 0, 1_000),
      maxTokens: read.int('MAX_QUERY_TOKENS', DEFAULT_QUERY_LIMITS.maxTokens, 100, 1_000_000),
      maxCost: read.int('MAX_QUERY_COST', DEFAULT_QUERY_LIMITS.maxCost, 1, 1_000_000),
      assumedAccounts: read.int(
        'QUERY_COST_ASSUMED_ACCOUNTS',
        DEFAULT_QUERY_LIMITS.assumedAccounts,
        1,
        10_000,
      ),
      maxNodes: read.int('MAX_QUERY_NODES', DEFAULT_QUERY_LIMITS.maxNodes, 1, 100_000_000),
    }),
    maxUpstreamCallsPerRequest: read.int(
      'MAX_UPSTREAM_CALLS_PER_REQUEST',
      DEFAULT_CEILINGS.maxUpstreamCallsPerRequest,
      1,
      100_000,
    ),
    maxResponseBytes: read.int('MAX_RESPONSE_BYTES', DEFAULT_CEILINGS.maxResponseBytes, 1_024, 1_073_741_824),
    requestDeadlineMs: read.int('REQUEST_DEADLINE_MS', 30_000, 100, 600_000),
    cursorSecret,
    cursorSecretGenerated: cursorSecret === generatedSecret,
    deviceDefaults: Object.freeze(readDeviceDefaults(read)),
    trustProxy: read.bool('TRUST_PROXY', false),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
      { lowerCase: true },
    ),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 102_400, 1_024, 52_428_800),
    trustedDocuments: read.optional('TRUSTED_DOCUMENTS'),
    federationSubgraph: read.bool('FEDERATION_SUBGRAPH', false),
    redis: readRedis(read),
    cache: Object.freeze(readCache(read, production)),
    connections: Object.freeze(readConnectionLimits(read)),
    metrics: Object.freeze(readMetricsListener(read, production)),
    sandbox: Object.freeze({
      latencyMs: read.int('SANDBOX_LATENCY_MS', 0, 0, 600_000),
      wireFormat: read.oneOf('SANDBOX_WIRE_FORMAT', SANDBOX_WIRE_FORMATS, 'document', { lowerCase: true }),
    }),
  };
  if (config.trustedDocuments !== null && config.federationSubgraph) {
    // A router's query planner writes the subgraph's queries itself: no manifest can list them.
    throw new ConfigError(
      'TRUSTED_DOCUMENTS',
      'must be unset when FEDERATION_SUBGRAPH=true: a router sends queries of its own making, so keep the list of trusted documents at the router',
    );
  }
  return Object.freeze(config);
}

function readUpstreamPolicy(read: EnvReader, connections: number, sandbox: boolean): UpstreamPolicyConfig {
  const D = POLICY_DEFAULTS;
  const backoffBaseMs = read.int('WOORI_RETRY_BACKOFF_BASE_MS', D.backoffBaseMs, 1, 60_000);
  const backoffMaxMs = read.int(
    'WOORI_RETRY_BACKOFF_MAX_MS',
    Math.max(D.backoffMaxMs, backoffBaseMs),
    1,
    600_000,
  );
  if (backoffMaxMs < backoffBaseMs) {
    throw new ConfigError(
      'WOORI_RETRY_BACKOFF_MAX_MS',
      `must be at least WOORI_RETRY_BACKOFF_BASE_MS (${backoffBaseMs}), but got ${backoffMaxMs}`,
    );
  }
  // More calls in flight than pooled connections would queue inside the HTTP client, out of sight
  // of the rate limiter: they would then leave in bursts.
  const maxConcurrency = read.int('WOORI_MAX_CONCURRENCY', Math.min(D.maxConcurrency, connections), 1, 1024);
  if (maxConcurrency > connections) {
    throw new ConfigError(
      'WOORI_MAX_CONCURRENCY',
      `must be at most WOORI_CONNECTIONS (${connections}), but got ${maxConcurrency}`,
    );
  }
  return {
    maxAttempts: read.int('WOORI_RETRY_MAX_ATTEMPTS', D.maxAttempts, 1, 10),
    backoffBaseMs,
    backoffMaxMs,
    retryBudgetPercent: read.int('WOORI_RETRY_BUDGET_PERCENT', D.retryBudgetPercent, 0, 100),
    retryBudgetMinPerSecond: read.int(
      'WOORI_RETRY_BUDGET_MIN_PER_SECOND',
      D.retryBudgetMinPerSecond,
      0,
      1_000,
    ),
    breakerThreshold: read.int('WOORI_BREAKER_THRESHOLD', D.breakerThreshold, 1, 1_000),
    breakerMinInputs: read.int('WOORI_BREAKER_MIN_INPUTS', D.breakerMinInputs, 1, 1_000),
    breakerMinCustomers: read.int('WOORI_BREAKER_MIN_CUSTOMERS', D.breakerMinCustomers, 1, 1_000),
    breakerWindowMs: read.int('WOORI_BREAKER_WINDOW_MS', D.breakerWindowMs, 100, 600_000),
    holdBackAfterFailures: read.int('WOORI_HOLD_BACK_AFTER_FAILURES', D.holdBackAfterFailures, 0, 1_000),
    holdBackMs: read.int('WOORI_HOLD_BACK_MS', D.holdBackMs, 100, 3_600_000),
    halfOpenAfterMs: read.int('WOORI_BREAKER_HALF_OPEN_MS', D.halfOpenAfterMs, 100, 600_000),
    maxConcurrency,
    maxConcurrencyPerRequest: read.int(
      'WOORI_MAX_CONCURRENCY_PER_REQUEST',
      D.maxConcurrencyPerRequest,
      1,
      1024,
    ),
    maxQueue: read.int('WOORI_MAX_QUEUE', D.maxQueue, 0, 100_000),
    // The embedded sandbox has no quota to protect, and benchmarks drive one customer hard.
    customerMaxCalls: read.int('WOORI_CUSTOMER_MAX_CALLS', sandbox ? 0 : 300, 0, 1_000_000),
    customerWindowMs: read.int('WOORI_CUSTOMER_WINDOW_MS', D.customerWindowMs, 1_000, 86_400_000),
    queueWaitLogMs: read.int('WOORI_QUEUE_WAIT_LOG_MS', 1_000, 0, 600_000),
  };
}

function readRedis(read: EnvReader): Readonly<RedisConfig> | null {
  const url = read.redisUrl('REDIS_URL');
  if (url === null) return null;
  return Object.freeze({
    url,
    commandTimeoutMs: read.int('REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
    connectTimeoutMs: read.int('REDIS_CONNECT_TIMEOUT_MS', 2_000, 100, 60_000),
  });
}

function readCache(read: EnvReader, production: boolean): CacheConfig {
  const ttlSeconds = read.int('CACHE_TTL_SECONDS', 30, 0, 86_400);
  const historyTtlSeconds = read.int('CACHE_HISTORY_TTL_SECONDS', 3_600, 0, 2_592_000);
  const caching = ttlSeconds > 0 || historyTtlSeconds > 0;
  const generated = randomBytes(32).toString('base64url');
  const secret =
    production && caching
      ? read.required(
          'CACHE_SECRET',
          'is required in production while caching is on (CACHE_TTL_SECONDS or CACHE_HISTORY_TTL_SECONDS above 0): it keys and encrypts cache entries',
        )
      : (read.optional('CACHE_SECRET') ?? generated);
  if (secret.length < 32) throw new ConfigError('CACHE_SECRET', 'must be at least 32 characters long');
  const maxBytes = read.int('CACHE_MAX_BYTES', 67_108_864, 0, 17_179_869_184);
  const maxEntryBytes = read.int('CACHE_MAX_ENTRY_BYTES', 16_777_216, 1_024, 536_870_912);
  if (maxBytes > 0 && maxEntryBytes > maxBytes) {
    throw new ConfigError(
      'CACHE_MAX_ENTRY_BYTES',
      `must be at most CACHE_MAX_BYTES (${maxBytes}), but got ${maxEntryBytes}`,
    );
  }
  return {
    ttlSeconds,
    historyTtlSeconds,
    secret,
    secretGenerated: secret === generated,
    maxEntryBytes,
    maxBytes,
  };
}

function readConnectionLimits(read: EnvReader): ConnectionLimits {
  const D = CONNECTION_DEFAULTS;
  const requestTimeoutMs = read.int('HTTP_REQUEST_TIMEOUT_MS', D.requestTimeoutMs, 500, 600_000);
  const headersTimeoutMs = read.int(
    'HTTP_HEADERS_TIMEOUT_MS',
    Math.min(D.headersTimeoutMs, requestTimeoutMs),
    500,
    600_000,
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must be at most HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), but got ${headersTimeoutMs}`,
    );
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    maxConnections: read.int('MAX_CONNECTIONS', D.maxConnections, 0, 1_000_000),
    maxConnectionsPerAddress: read.int(
      'MAX_CONNECTIONS_PER_ADDRESS',
      D.maxConnectionsPerAddress,
      0,
      1_000_000,
    ),
  };
}

function readMetricsListener(read: EnvReader, production: boolean): { port: number | null; host: string } {
  const port = read.optional('METRICS_PORT') === null ? null : read.int('METRICS_PORT', 0, 0, 65_535);
  return { port, host: read.host('METRICS_HOST', production ? '0.0.0.0' : '127.0.0.1') };
}

/** The environment variable of each device default, and its value when unset. */
export const DEVICE_DEFAULT_VARIABLES: Readonly<Record<keyof DeviceInfo, readonly [string, string]>> = {
  ip: ['DEVICE_DEFAULT_IP', '127.0.0.1'],
  deviceId: ['DEVICE_DEFAULT_ID', 'woori-graphql'],
  phone: ['DEVICE_DEFAULT_PHONE', ''],
  deviceSerial: ['DEVICE_DEFAULT_SERIAL', 'server'],
  osCode: ['DEVICE_DEFAULT_OS', '1'],
  osVersion: ['DEVICE_DEFAULT_OS_VERSION', 'server'],
  model: ['DEVICE_DEFAULT_MODEL', 'server'],
  appVersion: ['DEVICE_DEFAULT_APP_VERSION', '0.1.0'],
};

function readDeviceDefaults(read: EnvReader): DeviceInfo {
  const device = {} as DeviceInfo;
  for (const field of Object.keys(DEVICE_DEFAULT_VARIABLES) as (keyof DeviceInfo)[]) {
    const [variable, fallback] = DEVICE_DEFAULT_VARIABLES[field];
    const value = read.optional(variable) ?? fallback;
    const max = DEVICE_FIELD_MAX_LENGTH[field];
    if (value.length > max) {
      throw new ConfigError(variable, `must be at most ${max} characters long${shown(variable, value)}`);
    }
    device[field] = value;
  }
  if (!isIP(device.ip)) {
    throw new ConfigError('DEVICE_DEFAULT_IP', `must be an IPv4 or IPv6 address${shown('', device.ip)}`);
  }
  return device;
}

/** `, but got "…"`, unless the variable holds a secret. */
function shown(variable: string, value: string): string {
  return SECRET_VARIABLES.has(variable) ? '' : `, but got ${JSON.stringify(value)}`;
}

class EnvReader {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  required(name: string, rule: string): string {
    const value = this.optional(name);
    if (value === null) throw new ConfigError(name, rule);
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(name, `must be a whole number from ${min} to ${max}${shown(name, raw)}`);
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    const lower = raw.toLowerCase();
    if (['true', '1', 'yes'].includes(lower)) return true;
    if (['false', '0', 'no'].includes(lower)) return false;
    throw new ConfigError(name, `must be true or false${shown(name, raw)}`);
  }

  oneOf<T extends string>(
    name: string,
    values: readonly T[],
    fallback: T,
    { upperCase = false, lowerCase = false } = {},
  ): T {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    const value = upperCase ? raw.toUpperCase() : lowerCase ? raw.toLowerCase() : raw;
    if (!(values as readonly string[]).includes(value)) {
      throw new ConfigError(name, `must be one of ${values.join(', ')}${shown(name, raw)}`);
    }
    return value as T;
  }

  /** An absolute http(s) URL, without a trailing slash, or null when unset. */
  url(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(name, `must be an absolute http:// or https:// URL${shown(name, raw)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(name, `must be an absolute http:// or https:// URL${shown(name, raw)}`);
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new ConfigError(name, 'must not carry credentials, a query or a fragment');
    }
    return url.href.replace(/\/+$/, '');
  }

  /** A `redis://` or `rediss://` URL, or null when unset. Never echoed: it may carry a password. */
  redisUrl(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    const rule =
      'must be a redis:// or rediss:// URL with a host, and optionally a database number: redis://host:6379/0';
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(name, rule);
    }
    if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
      throw new ConfigError(name, rule);
    }
    if (!/^(\/\d{0,2})?$/.test(url.pathname) || url.hash) throw new ConfigError(name, rule);
    return raw;
  }

  pathSegment(name: string, fallback: string): string {
    const raw = this.optional(name) ?? fallback;
    if (!/^[A-Za-z0-9._~-]{1,100}$/.test(raw)) {
      throw new ConfigError(
        name,
        `must be one URL path segment (letters, digits, . _ ~ -)${shown(name, raw)}`,
      );
    }
    return raw;
  }

  host(name: string, fallback: string): string {
    const raw = this.optional(name) ?? fallback;
    if (!isIP(raw) && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(raw)) {
      throw new ConfigError(name, `must be an IP address or a host name${shown(name, raw)}`);
    }
    return raw;
  }
}
