/**
 * The failure-handling settings: defaults, validation naming the variable, and /readyz following
 * the circuit breaker.
 */
import { ReadinessProbe } from '../../src/server/readiness';
import { ConfigError, loadConfig } from '../../src/server/config';

const UPSTREAM = {
  WOORI_BASE_URL: 'https://openapi.wooribank.example:8443',
  WOORI_APP_KEY: 'app-key-0123456789',
  WOORI_SECRET_KEY: 'secret-key-0123456789',
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the failure-handling settings', () => {
  it('have defaults', () => {
    expect(loadConfig(UPSTREAM).upstreamPolicy).toEqual({
      maxAttempts: 3,
      backoffBaseMs: 100,
      backoffMaxMs: 2000,
      retryBudgetPercent: 20,
      retryBudgetMinPerSecond: 1,
      breakerThreshold: 5,
      breakerMinInputs: 3,
      breakerMinCustomers: 2,
      breakerWindowMs: 10_000,
      halfOpenAfterMs: 10_000,
      holdBackAfterFailures: 2,
      holdBackMs: 10_000,
      maxConcurrency: 64,
      maxConcurrencyPerRequest: 32,
      maxQueue: 10_000,
      customerMaxCalls: 300,
      customerWindowMs: 60_000,
      queueWaitLogMs: 1000,
    });
  });

  it('put a ceiling on each customer with an upstream, and none with the embedded sandbox', () => {
    expect(loadConfig({}).upstreamPolicy.customerMaxCalls).toBe(0);
  });

  it('limit the upstream to 10 calls a second by default, and not at all with the embedded sandbox', () => {
    expect(loadConfig(UPSTREAM).upstream.maxRps).toBe(10);
    expect(loadConfig({}).upstream.maxRps).toBe(0);
    expect(loadConfig({ ...UPSTREAM, WOORI_MAX_RPS: '0' }).upstream.maxRps).toBe(0);
  });

  it('are read from the environment', () => {
    const config = loadConfig({
      WOORI_RETRY_MAX_ATTEMPTS: '5',
      WOORI_RETRY_BACKOFF_BASE_MS: '50',
      WOORI_RETRY_BACKOFF_MAX_MS: '800',
      WOORI_RETRY_BUDGET_PERCENT: '10',
      WOORI_RETRY_BUDGET_MIN_PER_SECOND: '0',
      WOORI_BREAKER_THRESHOLD: '3',
      WOORI_BREAKER_HALF_OPEN_MS: '2500',
      WOORI_BREAKER_MIN_INPUTS: '4',
      WOORI_BREAKER_MIN_CUSTOMERS: '1',
      WOORI_BREAKER_WINDOW_MS: '3000',
      WOORI_HOLD_BACK_AFTER_FAILURES: '0',
      WOORI_HOLD_BACK_MS: '60000',
      WOORI_CONNECTIONS: '32',
      WOORI_MAX_CONCURRENCY: '20',
      WOORI_MAX_CONCURRENCY_PER_REQUEST: '4',
      WOORI_MAX_QUEUE: '0',
      WOORI_MAX_RPS: '25',
      WOORI_CUSTOMER_MAX_CALLS: '50',
      WOORI_CUSTOMER_WINDOW_MS: '10000',
      WOORI_QUEUE_WAIT_LOG_MS: '0',
    });
    expect(config.upstreamPolicy).toEqual({
      maxAttempts: 5,
      backoffBaseMs: 50,
      backoffMaxMs: 800,
      retryBudgetPercent: 10,
      retryBudgetMinPerSecond: 0,
      breakerThreshold: 3,
      breakerMinInputs: 4,
      breakerMinCustomers: 1,
      breakerWindowMs: 3000,
      halfOpenAfterMs: 2500,
      holdBackAfterFailures: 0,
      holdBackMs: 60_000,
      maxConcurrency: 20,
      maxConcurrencyPerRequest: 4,
      maxQueue: 0,
      customerMaxCalls: 50,
      customerWindowMs: 10_000,
      queueWaitLogMs: 0,
    });
    expect(config.upstream.maxRps).toBe(25);
    expect(Object.isFrozen(config.upstreamPolicy)).toBe(true);
  });

  it('read the Redis that replicas share, without echoing its password when it is wrong', () => {
    expect(loadConfig({}).redis).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redis?.url).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ WOORI_REPLICAS: '3' }).upstream.replicas).toBe(3);
    expect(() => loadConfig({ REDIS_URL: 'redis//:hunter2@nowhere' })).toThrow(/^REDIS_URL must be a redis:/);
    expect(() => loadConfig({ REDIS_URL: 'redis//:hunter2@nowhere' })).not.toThrow(/hunter2/);
  });

  it('keep overall concurrency within the connection pool by default', () => {
    expect(loadConfig({ WOORI_CONNECTIONS: '8' }).upstreamPolicy.maxConcurrency).toBe(8);
  });

  it.each([
    [{ WOORI_RETRY_MAX_ATTEMPTS: '0' }, 'WOORI_RETRY_MAX_ATTEMPTS', 'must be a whole number from 1 to 10'],
    [{ WOORI_RETRY_BACKOFF_BASE_MS: 'fast' }, 'WOORI_RETRY_BACKOFF_BASE_MS', 'must be a whole number'],
    [
      { WOORI_RETRY_BACKOFF_BASE_MS: '500', WOORI_RETRY_BACKOFF_MAX_MS: '100' },
      'WOORI_RETRY_BACKOFF_MAX_MS',
      'must be at least WOORI_RETRY_BACKOFF_BASE_MS (500)',
    ],
    [{ WOORI_RETRY_BUDGET_PERCENT: '150' }, 'WOORI_RETRY_BUDGET_PERCENT', 'from 0 to 100'],
    [{ WOORI_RETRY_BUDGET_MIN_PER_SECOND: '-1' }, 'WOORI_RETRY_BUDGET_MIN_PER_SECOND', 'from 0'],
    [{ WOORI_BREAKER_THRESHOLD: '0' }, 'WOORI_BREAKER_THRESHOLD', 'from 1'],
    [{ WOORI_BREAKER_MIN_CUSTOMERS: '0' }, 'WOORI_BREAKER_MIN_CUSTOMERS', 'from 1'],
    [{ WOORI_HOLD_BACK_MS: '10' }, 'WOORI_HOLD_BACK_MS', 'from 100'],
    [{ WOORI_BREAKER_HALF_OPEN_MS: '10' }, 'WOORI_BREAKER_HALF_OPEN_MS', 'from 100'],
    [{ WOORI_MAX_RPS: '-1' }, 'WOORI_MAX_RPS', 'from 0 to 10000'],
    [
      { WOORI_MAX_CONCURRENCY: '100' },
      'WOORI_MAX_CONCURRENCY',
      'must be at most WOORI_CONNECTIONS (64), but got 100',
    ],
    [{ WOORI_MAX_CONCURRENCY_PER_REQUEST: '0' }, 'WOORI_MAX_CONCURRENCY_PER_REQUEST', 'from 1'],
    [{ WOORI_MAX_QUEUE: 'lots' }, 'WOORI_MAX_QUEUE', 'must be a whole number from 0'],
    [{ WOORI_REPLICAS: '0' }, 'WOORI_REPLICAS', 'from 1'],
    [{ WOORI_CUSTOMER_WINDOW_MS: '10' }, 'WOORI_CUSTOMER_WINDOW_MS', 'from 1000'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL', 'must be a redis:// or rediss:// URL'],
  ])('reject %j naming the variable and the rule', (env, variable, rule) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(rule);
  });
});

describe('readiness and the circuit breaker', () => {
  /** An address where nothing listens: a probe that ran would say so. */
  const unreachable = 'http://127.0.0.1:9';

  it('is not ready while the circuit is open, without probing the upstream', async () => {
    const probe = new ReadinessProbe({ baseUrl: unreachable, timeoutMs: 500, circuitStatus: () => 'open' });
    await expect(probe.check()).resolves.toMatchObject({
      ready: false,
      reason: 'upstream calls suspended after repeated failures (circuit open)',
    });
  });

  it('probes as before while the circuit is closed or half-open', async () => {
    let status: 'closed' | 'open' | 'half-open' = 'open';
    const probe = new ReadinessProbe({ baseUrl: unreachable, timeoutMs: 500, circuitStatus: () => status });
    await probe.check();
    status = 'half-open';
    await expect(probe.check()).resolves.toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^upstream unreachable/),
    });
  });
});
