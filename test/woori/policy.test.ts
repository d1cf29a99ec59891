/**
 * The upstream policies around the real client, against the real sandbox over HTTP: what is
 * retried and how long it waits, the circuit breaker, the caps, the rate limiter, and how every
 * wait ends at the caller's signal. Upstream calls are read from the sandbox's own counters.
 */
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import type { CallContext, CallEvent, CallStats } from '../../src/woori/api';
import { WooriClient } from '../../src/woori/client';
import { WooriError } from '../../src/woori/errors';
import {
  UpstreamPolicy,
  breaksCircuit,
  type CircuitStatus,
  type UpstreamPolicyOptions,
} from '../../src/woori/policy';
import { mostAtOnce } from '../resilience/observe';
import { DEVICE } from './fixtures';

const TODAY = '2024-06-30';
const DEMO_ACCOUNT = '1002146788200';
const TIMEOUT_MS = 300;

let sandbox: RunningSandbox;
const clients: WooriClient[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.configure({ faults: [], maxRps: 0, quota: 0, latencyMs: 0, jitterMs: 0, stallMs: 5_000 });
  sandbox.reset();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** A client with an `UpstreamPolicy`; the policy's options default to quick, test-sized ones. */
function clientWith(options: Partial<UpstreamPolicyOptions> = {}) {
  const events: CallEvent[] = [];
  const changes: CircuitStatus[] = [];
  const policy = new UpstreamPolicy({
    attemptTimeoutMs: TIMEOUT_MS,
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    onCircuitChange: (status) => changes.push(status),
    ...options,
  });
  const client = new WooriClient(
    {
      baseUrl: sandbox.url,
      appKey: sandbox.credentials.appKey,
      secretKey: sandbox.credentials.secretKey,
      timeoutMs: TIMEOUT_MS,
      onCall: (event) => events.push(event),
    },
    { policy },
  );
  clients.push(client);
  return { client, policy, events, changes };
}

function ctxFor(
  token: string = SANDBOX_TOKENS.demo,
  signal?: AbortSignal,
): CallContext & { stats: CallStats } {
  return { token, device: DEVICE, signal, stats: { calls: 0, retries: 0, durationMs: 0 } };
}

async function failureOf(call: Promise<unknown>): Promise<WooriError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WooriError) return error;
    throw new Error(`expected a WooriError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}

const codes = () => sandbox.counters().recent.map((call) => call.code);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retries', () => {
  it('retries what the classification calls retryable, and counts the retries', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 0.5 }] });
    const { client, events } = clientWith({ maxAttempts: 10, retryBudgetMinPerSecond: 100 });
    const ctx = ctxFor();
    for (let i = 0; i < 10; i++) await expect(client.listAccounts(ctx)).resolves.toHaveLength(2);
    expect(ctx.stats.calls).toBe(sandbox.counters().calls.total);
    expect(ctx.stats.retries).toBe(ctx.stats.calls - 10);
    expect(ctx.stats.retries).toBeGreaterThan(0);
    expect(events.filter((event) => event.attempt > 1)).toHaveLength(ctx.stats.retries);
    expect(Math.max(...events.map((event) => event.attempt))).toBeGreaterThan(1);
  });

  it('makes at most maxAttempts attempts and reports the last failure', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD01999', rate: 1 }] });
    const { client, events } = clientWith({ maxAttempts: 3 });
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD01999' });
    expect(codes()).toEqual(['SYSCD01999', 'SYSCD01999', 'SYSCD01999']);
    expect(events.map((event) => event.attempt)).toEqual([1, 2, 3]);
  });

  it.each([
    ['a bad token (UNAUTHENTICATED)', () => ({ token: 'sandbox-token-nobody' }), 'SYSCD03001'],
    ['bad input (BAD_INPUT)', () => ({ account: '9999999999' }), 'SYSCD01006'],
    ['a used-up quota (QUOTA_EXCEEDED)', () => (sandbox.configure({ quota: 1 }), {}), 'SYSCD03102'],
  ])('does not retry %s', async (_what, setUp, code) => {
    const { token, account } = { token: SANDBOX_TOKENS.demo, account: DEMO_ACCOUNT, ...setUp() };
    const { client } = clientWith({ maxAttempts: 5 });
    if (code === 'SYSCD03102') await client.listAccounts(ctxFor());
    const error = await failureOf(client.getAccountBasics(ctxFor(token), account, '2019-01-01'));
    expect(error.upstreamCode).toBe(code);
    expect(codes().filter((c) => c !== 'OK')).toEqual([code]);
  });

  it('waits at least the Retry-After of a RATE_LIMITED answer before retrying', async () => {
    sandbox.configure({ maxRps: 1 });
    const { client } = clientWith({ maxAttempts: 2, attemptTimeoutMs: TIMEOUT_MS });
    await client.listAccounts(ctxFor());
    const started = performance.now();
    await expect(client.listAccounts(ctxFor())).resolves.toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(codes()).toEqual(['OK', 'SYSCD03101', 'OK']);
  });

  it('stops retrying when the retry budget is spent', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
    const { client } = clientWith({
      maxAttempts: 3,
      retryBudgetPercent: 0,
      retryBudgetMinPerSecond: 1,
      breakerThreshold: 100,
    });
    const ctx = ctxFor();
    for (let i = 0; i < 6; i++) await failureOf(client.listAccounts(ctx));
    // 10 retries in the 10 s window: 6 calls would have liked 12.
    expect(ctx.stats.retries).toBe(10);
    expect(ctx.stats.calls).toBe(16);
  });
});

describe('deadlines', () => {
  it('does not start a retry with less than one timeout left before the deadline', async () => {
    sandbox.configure({ faults: [{ kind: 'stall', rate: 1 }] });
    const { client, policy } = clientWith({ maxAttempts: 3 });
    const controller = new AbortController();
    policy.setDeadline(controller.signal, 500);
    const timer = setTimeout(() => controller.abort(), 500);
    const started = performance.now();
    const error = await failureOf(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, controller.signal)));
    clearTimeout(timer);
    expect(performance.now() - started).toBeLessThan(450);
    expect(error).toMatchObject({ kind: 'TIMEOUT', retryable: true });
    expect(sandbox.counters().calls.total).toBe(1);
  });

  it('gives up a backoff the moment the signal aborts, and makes no call after it', async () => {
    sandbox.configure({ maxRps: 1 });
    const { client } = clientWith({ maxAttempts: 3 });
    await client.listAccounts(ctxFor());
    const signal = AbortSignal.timeout(150);
    const started = performance.now();
    // The sandbox asks for a one-second wait; the signal ends it after 150 ms.
    const error = await failureOf(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, signal)));
    expect(performance.now() - started).toBeLessThan(400);
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', upstreamCode: 'SYSCD03101' });
    await sleep(1200);
    expect(codes()).toEqual(['OK', 'SYSCD03101']);
  });

  it('gives up a wait in the rate limiter the moment the signal aborts', async () => {
    const { client } = clientWith({ maxRps: 1 });
    await client.listAccounts(ctxFor());
    const started = performance.now();
    const error = await failureOf(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, AbortSignal.timeout(100))));
    expect(performance.now() - started).toBeLessThan(350);
    expect(error).toMatchObject({ kind: 'TIMEOUT', retryable: false });
    await sleep(1200);
    expect(sandbox.counters().calls.total).toBe(1);
  });

  it('gives up a wait for a concurrency slot the moment the signal aborts', async () => {
    sandbox.configure({ latencyMs: 250 });
    const { client } = clientWith({ maxConcurrency: 1 });
    const busy = client.listAccounts(ctxFor());
    const started = performance.now();
    const error = await failureOf(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, AbortSignal.timeout(50))));
    expect(performance.now() - started).toBeLessThan(200);
    expect(error).toMatchObject({ kind: 'TIMEOUT', retryable: false });
    await busy;
    await sleep(50);
    expect(sandbox.counters().calls.total).toBe(1);
  });
});

describe('the circuit breaker', () => {
  it('opens after consecutive upstream failures, then fails fast without calling the upstream', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
    const { client, policy, changes } = clientWith({ maxAttempts: 1, breakerThreshold: 3 });
    for (let i = 0; i < 3; i++) await failureOf(client.listAccounts(ctxFor()));
    expect(policy.circuitStatus()).toBe('open');
    expect(changes).toEqual(['open']);
    sandbox.reset();
    const started = performance.now();
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(performance.now() - started).toBeLessThan(50);
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
    expect(error.upstreamCode).toBeUndefined();
    expect(sandbox.counters().calls.total).toBe(0);
  });

  it('lets one call test the upstream after the half-open delay, and closes when it succeeds', async () => {
    sandbox.configure({ faults: [{ kind: 'timeout', rate: 1 }] });
    const { client, policy, changes } = clientWith({
      maxAttempts: 1,
      breakerThreshold: 2,
      halfOpenAfterMs: 300,
    });
    for (let i = 0; i < 2; i++) await failureOf(client.listAccounts(ctxFor()));
    sandbox.configure({ faults: [] });
    await failureOf(client.listAccounts(ctxFor()));
    await sleep(320);
    expect(policy.circuitStatus()).toBe('half-open');
    await expect(client.listAccounts(ctxFor())).resolves.toHaveLength(2);
    expect(policy.circuitStatus()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('does not count bad tokens, bad input, the rate limit or the quota', async () => {
    const { client, policy } = clientWith({ maxAttempts: 1, breakerThreshold: 2 });
    for (let i = 0; i < 5; i++) {
      await failureOf(client.listAccounts(ctxFor('sandbox-token-nobody')));
      await failureOf(client.getAccountBasics(ctxFor(), '9999999999', '2019-01-01'));
    }
    sandbox.configure({ maxRps: 1 });
    for (let i = 0; i < 3; i++) await client.listAccounts(ctxFor()).catch(() => undefined);
    sandbox.configure({ maxRps: 0, quota: 1 });
    for (let i = 0; i < 3; i++) await client.listAccounts(ctxFor()).catch(() => undefined);
    expect(sandbox.counters().calls.byCode).toMatchObject({
      SYSCD03001: 5,
      SYSCD01006: 5,
      SYSCD03101: expect.any(Number),
      SYSCD03102: expect.any(Number),
    });
    expect(policy.circuitStatus()).toBe('closed');
  });

  it('does not count calls cancelled by their caller', async () => {
    sandbox.configure({ faults: [{ kind: 'stall', rate: 1 }] });
    const { client, policy } = clientWith({ maxAttempts: 1, breakerThreshold: 2 });
    for (let i = 0; i < 4; i++) {
      await failureOf(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, AbortSignal.timeout(30))));
    }
    expect(policy.circuitStatus()).toBe('closed');
  });

  it.each([
    ['TIMEOUT', true, true],
    ['TIMEOUT', false, false],
    ['UNAVAILABLE', true, true],
    ['UPSTREAM_ERROR', false, true],
    ['BAD_INPUT', false, false],
    ['UNAUTHENTICATED', false, false],
    ['RATE_LIMITED', true, false],
    ['QUOTA_EXCEEDED', false, false],
    ['MISCONFIGURED', false, false],
  ] as const)('counts %s (retryable %s) as an upstream failure: %s', (kind, retryable, counts) => {
    const error = new WooriError('x', { kind, retryable, operation: 'listAccounts' });
    expect(breaksCircuit(error)).toBe(counts);
  });
});

describe('concurrency caps', () => {
  it('keeps calls in flight within the overall cap and each request within its own', async () => {
    const latencyMs = 60;
    sandbox.configure({ latencyMs });
    const { client } = clientWith({ maxConcurrency: 5, maxConcurrencyPerRequest: 3 });
    const tokens = [SANDBOX_TOKENS.demo, SANDBOX_TOKENS.ten, SANDBOX_TOKENS.many];
    await Promise.all(
      tokens.map((token) => {
        const ctx = ctxFor(token);
        return Promise.all(Array.from({ length: 9 }, () => client.listAccounts(ctx)));
      }),
    );
    const { recent } = sandbox.counters();
    expect(recent).toHaveLength(27);
    const most = mostAtOnce(recent, latencyMs);
    expect(most).toBeLessThanOrEqual(5);
    expect(most).toBeGreaterThanOrEqual(4);
    for (const name of ['demo', 'ten', 'many']) {
      expect(
        mostAtOnce(
          recent.filter((call) => call.customer === name),
          latencyMs,
        ),
      ).toBeLessThanOrEqual(3);
    }
  });

  it('fails at once as UNAVAILABLE when the queue for a slot is full', async () => {
    sandbox.configure({ latencyMs: 200 });
    const { client } = clientWith({ maxConcurrency: 1, maxQueue: 1 });
    const running = [client.listAccounts(ctxFor()), client.listAccounts(ctxFor())];
    const started = performance.now();
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
    await Promise.all(running);
    expect(sandbox.counters().calls.total).toBe(2);
  });
});

describe('the rate limiter', () => {
  it('queues calls so that the upstream never refuses one for its per-second limit', async () => {
    sandbox.configure({ maxRps: 10 });
    const { client } = clientWith({ maxRps: 10, maxAttempts: 1 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 25 }, () => client.listAccounts(ctxFor())));
    // 10 at once, 10 after 1.1 s, 5 after 2.2 s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2200);
    expect(sandbox.counters().calls.byCode).toEqual({ OK: 25 });
  });
});
