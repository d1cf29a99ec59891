/**
 * The upstream policy on jest's fake clock: what is retried and how long it waits, the deadline,
 * the circuit breaker, the caps and the rate limiter, and how every wait ends at the caller's
 * signal. The upstream is a stand-in whose attempts take fake time; the policy with the real
 * client against the real sandbox is in policy.sandbox.test.ts.
 */
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import { sleep } from '../../src/woori/abortable';
import type { CallContext, PolicyCall } from '../../src/woori/api';
import type { OpeningRule } from '../../src/woori/circuit-breaker';
import { WooriError, type WooriErrorKind } from '../../src/woori/errors';
import {
  UpstreamPolicy,
  breaksCircuit,
  type CircuitStatus,
  type HoldEvent,
  type QueueWait,
  type UpstreamPolicyDeps,
  type UpstreamPolicyOptions,
} from '../../src/woori/policy';
import type { StartLimiter } from '../../src/woori/rate-limiter';
import { Semaphore } from '../../src/woori/semaphore';
import { DEVICE } from './fixtures';

const ATTEMPT_TIMEOUT_MS = 300;
const LATENCY_MS = 10;

beforeEach(() => {
  jest.useFakeTimers({ now: 0 });
  // Decorrelated jitter draws at random; a fixed draw makes the backoffs exact.
  jest.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

function policyWith(options: Partial<UpstreamPolicyOptions> = {}, deps?: UpstreamPolicyDeps) {
  const changes: CircuitStatus[] = [];
  const policy = new UpstreamPolicy(
    {
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
      now: () => Date.now(),
      onCircuitChange: (status) => changes.push(status),
      ...options,
    },
    deps,
  );
  return { policy, changes };
}

function callFor(context: Partial<CallContext> = {}, key = '1002146788200'): PolicyCall {
  return { operation: 'getAccountBasics', key, context: { token: 'token', device: DEVICE, ...context } };
}

function failure(kind: WooriErrorKind, retryable: boolean, retryAfterMs?: number): WooriError {
  return new WooriError(`a ${kind}`, { kind, retryable, retryAfterMs, operation: 'getAccountBasics' });
}

type Answer = 'ok' | WooriError;

/**
 * A stand-in for the upstream: attempt `n` (0-based) takes `latencyMs` of fake time and then
 * answers `answer(n)`. An attempt whose signal aborts fails as the client reports a call its
 * caller gave up: TIMEOUT, not retryable.
 */
function fakeUpstream(answer: (n: number) => Answer = () => 'ok', latencyMs = LATENCY_MS) {
  const starts: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const attempt = async ({ signal }: { signal?: AbortSignal }): Promise<string> => {
    const n = starts.length;
    starts.push(Date.now());
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    try {
      await sleep(latencyMs, signal).catch(() => {
        throw failure('TIMEOUT', false);
      });
      const result = answer(n);
      if (result !== 'ok') throw result;
      return `answer ${n}`;
    } finally {
      inFlight -= 1;
    }
  };
  return {
    attempt,
    starts,
    get mostInFlight() {
      return mostInFlight;
    },
  };
}

/** A signal that aborts `ms` from now on the fake clock (`AbortSignal.timeout` runs on real time). */
function abortAfter(ms: number, reason: unknown = new Error(`aborted after ${ms} ms`)): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), ms);
  return controller.signal;
}

/** When a promise settled (on the fake clock) and how. */
function watch<T>(promise: Promise<T>) {
  const seen: { at?: number; value?: T; error?: unknown } = {};
  promise.then(
    (value) => Object.assign(seen, { at: Date.now(), value }),
    (error: unknown) => Object.assign(seen, { at: Date.now(), error }),
  );
  return seen;
}

/** Runs a call and the fake clock until it settles; its outcome, as `watch` sees it. */
async function settle<T>(promise: Promise<T>, maxMs = 60_000) {
  const seen = watch(promise);
  await jest.advanceTimersByTimeAsync(maxMs);
  if (seen.at === undefined) throw new Error(`the call did not settle within ${maxMs} ms`);
  return seen;
}

describe('retries', () => {
  it('retries a retryable failure after a backoff, and returns the answer', async () => {
    const upstream = fakeUpstream((n) => (n < 2 ? failure('UNAVAILABLE', true) : 'ok'));
    const { policy } = policyWith();
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor()));
    expect(seen.value).toBe('answer 2');
    // Decorrelated jitter at the fixed draw: about 0.9 × then 1.1 × the base of 100 ms.
    const waits = [upstream.starts[1] - upstream.starts[0], upstream.starts[2] - upstream.starts[1]].map(
      (gap) => gap - LATENCY_MS,
    );
    expect(waits[0]).toBeGreaterThanOrEqual(85);
    expect(waits[0]).toBeLessThanOrEqual(95);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(115);
  });

  it('keeps every backoff within backoffMaxMs', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.99);
    const upstream = fakeUpstream(() => failure('UNAVAILABLE', true));
    const { policy } = policyWith({ maxAttempts: 8, backoffMaxMs: 250, retryBudgetMinPerSecond: 100 });
    await settle(policy.execute(upstream.attempt, undefined, callFor()));
    const gaps = upstream.starts.slice(1).map((at, i) => at - upstream.starts[i] - LATENCY_MS);
    expect(gaps).toHaveLength(7);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(250);
    expect(gaps.at(-1)).toBe(250);
  });

  it('makes at most maxAttempts attempts and rejects with the last failure', async () => {
    const failures = [1, 2, 3].map(() => failure('UPSTREAM_ERROR', true));
    const upstream = fakeUpstream((n) => failures[n]);
    const { policy } = policyWith({ maxAttempts: 3 });
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor()));
    expect(upstream.starts).toHaveLength(3);
    expect(seen.error).toBe(failures[2]);
  });

  it.each(['UNAUTHENTICATED', 'BAD_INPUT', 'QUOTA_EXCEEDED', 'MISCONFIGURED'] as const)(
    'does not retry %s',
    async (kind) => {
      const upstream = fakeUpstream(() => failure(kind, false));
      const { policy } = policyWith({ maxAttempts: 5 });
      const seen = await settle(policy.execute(upstream.attempt, undefined, callFor()));
      expect(seen.error).toMatchObject({ kind });
      expect(upstream.starts).toHaveLength(1);
    },
  );

  it('waits at least the Retry-After of a RATE_LIMITED answer', async () => {
    const upstream = fakeUpstream((n) => (n === 0 ? failure('RATE_LIMITED', true, 1000) : 'ok'));
    const { policy } = policyWith({ maxAttempts: 2 });
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor()));
    expect(seen.value).toBe('answer 1');
    expect(upstream.starts).toEqual([0, LATENCY_MS + 1000]);
  });

  it('stops retrying when the retry budget is spent', async () => {
    const upstream = fakeUpstream(() => failure('UNAVAILABLE', true));
    const { policy } = policyWith({
      maxAttempts: 3,
      retryBudgetPercent: 0,
      retryBudgetMinPerSecond: 1,
      holdBackAfterFailures: 0,
    });
    for (let i = 0; i < 6; i++) await settle(policy.execute(upstream.attempt, undefined, callFor()), 1000);
    // 10 retries in the 10 s window: 6 calls would have liked 12.
    expect(upstream.starts).toHaveLength(16);
  });
});

describe('deadlines', () => {
  it('does not start a retry with less than one attempt timeout left before the deadline', async () => {
    const timeout = failure('TIMEOUT', true);
    const upstream = fakeUpstream(() => timeout, ATTEMPT_TIMEOUT_MS);
    const { policy } = policyWith();
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor({ deadline: 500 })));
    expect(seen).toMatchObject({ at: ATTEMPT_TIMEOUT_MS, error: timeout });
    expect(upstream.starts).toEqual([0]);
  });

  it('retries while one attempt timeout still fits before the deadline', async () => {
    const upstream = fakeUpstream((n) => (n === 0 ? failure('UNAVAILABLE', true) : 'ok'));
    const { policy } = policyWith();
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor({ deadline: 500 })));
    expect(seen.value).toBe('answer 1');
  });

  it('gives up a retry that waited in the limiter until it no longer fits, with the error it repeats', async () => {
    const first = failure('UNAVAILABLE', true);
    const upstream = fakeUpstream(() => first);
    let turns = 0;
    const slowSecondTurn: StartLimiter = {
      acquire: (signal) => (turns++ === 0 ? Promise.resolve() : sleep(1000, signal)),
    };
    const { policy } = policyWith({}, { limiter: slowSecondTurn });
    // The retry fits when it is decided (at about 100 ms), not after a second in the limiter.
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor({ deadline: 1300 })));
    expect(seen.error).toBe(first);
    expect(upstream.starts).toHaveLength(1);
    expect(turns).toBe(2);
  });

  it('gives up a backoff the moment the signal aborts, with the last upstream error', async () => {
    const limited = failure('RATE_LIMITED', true, 1000);
    const upstream = fakeUpstream(() => limited);
    const { policy } = policyWith();
    const signal = abortAfter(150);
    const seen = await settle(policy.execute(upstream.attempt, signal, callFor({ signal })));
    expect(seen).toMatchObject({ at: 150, error: limited });
    expect(upstream.starts).toEqual([0]);
  });

  it('gives up a wait in the rate limiter the moment the signal aborts, and never starts the call', async () => {
    const upstream = fakeUpstream();
    const { policy } = policyWith({ maxRps: 1 });
    await settle(policy.execute(upstream.attempt, undefined, callFor()), LATENCY_MS);
    const signal = abortAfter(100);
    const seen = await settle(policy.execute(upstream.attempt, signal, callFor({ signal })), 5000);
    expect(seen).toMatchObject({ at: LATENCY_MS + 100, error: signal.reason });
    expect(upstream.starts).toEqual([0]);
  });

  it('gives up a wait for a concurrency slot the moment the signal aborts, and never starts the call', async () => {
    const upstream = fakeUpstream(() => 'ok', 250);
    const { policy } = policyWith({ maxConcurrency: 1 });
    const busy = watch(policy.execute(upstream.attempt, undefined, callFor()));
    const signal = abortAfter(50);
    const seen = await settle(policy.execute(upstream.attempt, signal, callFor({ signal })), 1000);
    expect(seen).toMatchObject({ at: 50, error: signal.reason });
    expect(busy.value).toBe('answer 0');
    expect(upstream.starts).toEqual([0]);
  });

  it('refuses at once a call whose signal has already aborted', async () => {
    const upstream = fakeUpstream();
    const { policy } = policyWith();
    const signal = AbortSignal.abort(new Error('gone'));
    await expect(policy.execute(upstream.attempt, signal, callFor({ signal }))).rejects.toThrow('gone');
    expect(upstream.starts).toEqual([]);
  });
});

/** Thresholds at which one failure of anything opens the circuit: for tests of the breaker's mechanics. */
const OPENS_AT_ONCE = { breakerThreshold: 1, breakerMinInputs: 1, breakerMinCustomers: 1 } as const;

describe('the circuit breaker', () => {
  /** A policy whose breaker opened after three failures of three customers, and when it opened. */
  async function openCircuit(options: Partial<UpstreamPolicyOptions> = {}) {
    const setup = policyWith({ maxAttempts: 1, breakerThreshold: 3, halfOpenAfterMs: 1000, ...options });
    const failing = fakeUpstream(() => failure('UPSTREAM_ERROR', false));
    let openedAt = 0;
    for (const customer of ['a', 'b', 'c']) {
      const call = callFor({ customerKey: customer }, `100214678820${customer.charCodeAt(0) % 10}`);
      openedAt = (await settle(setup.policy.execute(failing.attempt, undefined, call), 100)).at!;
    }
    expect(setup.policy.circuitStatus()).toBe('open');
    return { ...setup, openedAt };
  }

  it('opens after consecutive upstream failures, then fails at once without an attempt', async () => {
    const { policy, changes } = await openCircuit();
    expect(changes).toEqual(['open']);
    const upstream = fakeUpstream();
    await expect(policy.execute(upstream.attempt, undefined, callFor())).rejects.toBeInstanceOf(
      BrokenCircuitError,
    );
    expect(upstream.starts).toEqual([]);
  });

  it('lets one call test the upstream after the half-open delay, and closes when it answers', async () => {
    const { policy, changes, openedAt } = await openCircuit();
    await jest.advanceTimersByTimeAsync(openedAt + 1000 - 1 - Date.now());
    expect(policy.circuitStatus()).toBe('open');
    await jest.advanceTimersByTimeAsync(1);
    expect(policy.circuitStatus()).toBe('half-open');
    const seen = await settle(policy.execute(fakeUpstream().attempt, undefined, callFor()));
    expect(seen.value).toBe('answer 0');
    expect(policy.circuitStatus()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again for another delay when the test fails', async () => {
    const { policy, changes } = await openCircuit();
    await jest.advanceTimersByTimeAsync(1000);
    await settle(
      policy.execute(fakeUpstream(() => failure('UNAVAILABLE', true)).attempt, undefined, callFor()),
      100,
    );
    expect(changes).toEqual(['open', 'half-open', 'open']);
    expect(policy.circuitStatus()).toBe('open');
  });

  it('closes when the test is refused for the caller, since the upstream answered', async () => {
    const { policy } = await openCircuit();
    await jest.advanceTimersByTimeAsync(1000);
    const seen = await settle(
      policy.execute(fakeUpstream(() => failure('UNAUTHENTICATED', false)).attempt, undefined, callFor()),
    );
    expect(seen.error).toMatchObject({ kind: 'UNAUTHENTICATED' });
    expect(policy.circuitStatus()).toBe('closed');
  });

  it('makes the calls behind the test wait for its verdict', async () => {
    const { policy } = await openCircuit();
    await jest.advanceTimersByTimeAsync(1000);
    const upstream = fakeUpstream(() => 'ok', 50);
    const test = watch(policy.execute(upstream.attempt, undefined, callFor()));
    const behind = watch(policy.execute(upstream.attempt, undefined, callFor()));
    await jest.advanceTimersByTimeAsync(200);
    expect(test.value).toBe('answer 0');
    expect(behind.value).toBe('answer 1');
    expect(upstream.starts[1] - upstream.starts[0]).toBe(50);
  });

  it('lets the next call test the upstream when the caller of the test gave up', async () => {
    const { policy } = await openCircuit();
    await jest.advanceTimersByTimeAsync(1000);
    const signal = abortAfter(5);
    const upstream = fakeUpstream(() => 'ok', 50);
    await settle(policy.execute(upstream.attempt, signal, callFor({ signal })), 100);
    expect(policy.circuitStatus()).toBe('half-open');
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor()));
    expect(seen.value).toBe('answer 1');
    expect(policy.circuitStatus()).toBe('closed');
  });

  it('stops calls that queued while the circuit opened', async () => {
    const { policy } = policyWith({ maxAttempts: 1, ...OPENS_AT_ONCE, maxConcurrency: 1 });
    const upstream = fakeUpstream(() => failure('UPSTREAM_ERROR', false), 100);
    const first = watch(policy.execute(upstream.attempt, undefined, callFor()));
    const queued = watch(policy.execute(upstream.attempt, undefined, callFor()));
    await jest.advanceTimersByTimeAsync(200);
    expect(first.error).toMatchObject({ kind: 'UPSTREAM_ERROR' });
    expect(queued.error).toBeInstanceOf(BrokenCircuitError);
    expect(upstream.starts).toEqual([0]);
  });

  it.each(['UNAUTHENTICATED', 'BAD_INPUT', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'MISCONFIGURED'] as const)(
    'does not count %s',
    async (kind) => {
      const { policy } = policyWith({ maxAttempts: 1, ...OPENS_AT_ONCE });
      const upstream = fakeUpstream(() => failure(kind, false));
      for (let i = 0; i < 5; i++) await settle(policy.execute(upstream.attempt, undefined, callFor()), 100);
      expect(upstream.starts).toHaveLength(5);
      expect(policy.circuitStatus()).toBe('closed');
    },
  );

  it('does not count calls cancelled by their caller', async () => {
    const { policy } = policyWith({ maxAttempts: 1, ...OPENS_AT_ONCE });
    const upstream = fakeUpstream(() => 'ok', 1000);
    for (let i = 0; i < 4; i++) {
      const signal = abortAfter(30);
      const seen = await settle(policy.execute(upstream.attempt, signal, callFor({ signal })), 100);
      expect(seen.error).toMatchObject({ kind: 'TIMEOUT', retryable: false });
    }
    expect(policy.circuitStatus()).toBe('closed');
  });

  it('counts only failures in a row: an answer starts the count again', async () => {
    const { policy } = policyWith({
      ...OPENS_AT_ONCE,
      maxAttempts: 1,
      breakerThreshold: 3,
      holdBackAfterFailures: 0,
    });
    const upstream = fakeUpstream((n) => (n % 3 === 2 ? 'ok' : failure('UNAVAILABLE', true)));
    for (let i = 0; i < 9; i++) await settle(policy.execute(upstream.attempt, undefined, callFor()), 100);
    expect(policy.circuitStatus()).toBe('closed');
  });

  it('tells its opening rule which call failed and for whom', async () => {
    const failed: Array<[string, string, string | undefined]> = [];
    const rule: OpeningRule = {
      succeeded: () => undefined,
      failed: (call) => {
        failed.push([call.operation, call.key, call.context.customerKey]);
        return undefined;
      },
      reset: () => undefined,
    };
    const { policy } = policyWith({ maxAttempts: 1 }, { openingRule: rule });
    const upstream = fakeUpstream(() => failure('UPSTREAM_ERROR', false));
    await settle(
      policy.execute(upstream.attempt, undefined, callFor({ customerKey: 'customer-a' }, '1081301002227')),
    );
    expect(failed).toEqual([['getAccountBasics', '1081301002227', 'customer-a']]);
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
    expect(breaksCircuit(failure(kind, retryable))).toBe(counts);
  });
});

describe('an outage or a broken input', () => {
  const BROKEN = '1002160010529';
  const broken = () => failure('UPSTREAM_ERROR', true);

  /** An upstream that fails every call for the keys in `failing` (all keys: `'*'`), and answers the rest. */
  function upstreamFailing(failing: Set<string> | '*', latencyMs = LATENCY_MS) {
    const starts: Array<{ at: number; key: string }> = [];
    const attempt =
      (key: string) =>
      async ({ signal }: { signal?: AbortSignal }) => {
        starts.push({ at: Date.now(), key });
        await sleep(latencyMs, signal);
        if (failing === '*' || failing.has(key)) throw broken();
        return `answer for ${key}`;
      };
    return { attempt, starts };
  }

  it('never opens on one account failing forever, under concurrent requests of its customer', async () => {
    const { policy, changes } = policyWith({ holdBackMs: 2000, retryBudgetMinPerSecond: 100 });
    const upstream = upstreamFailing(new Set([BROKEN]));
    const victim = callFor({ customerKey: 'broken-customer' }, BROKEN);
    const others = ['other-1', 'other-2', 'other-3'].map((customerKey, i) =>
      callFor({ customerKey }, `10021467882${i}0`),
    );
    const failed: unknown[] = [];
    const answered: unknown[] = [];
    // Twenty seconds of sixteen concurrent requests for the broken account every 100 ms, beside
    // three other customers' calls.
    for (let tick = 0; tick < 200; tick++) {
      for (let i = 0; i < 16; i++) {
        policy.execute(upstream.attempt(BROKEN), undefined, victim).catch((error) => failed.push(error));
      }
      for (const call of others) {
        policy.execute(upstream.attempt(call.key), undefined, call).then(
          (value) => answered.push(value),
          (error) => failed.push(error),
        );
      }
      await jest.advanceTimersByTimeAsync(100);
    }
    await jest.advanceTimersByTimeAsync(5000);
    expect(changes).toEqual([]);
    expect(policy.circuitStatus()).toBe('closed');
    expect(answered).toHaveLength(200 * others.length);
    expect(failed).toHaveLength(200 * 16);
    expect(failed.every((error) => error instanceof WooriError && error.kind === 'UPSTREAM_ERROR')).toBe(
      true,
    );
    // Held back between tries: the broken account cost the first burst, then one try per hold.
    const brokenStarts = upstream.starts.filter((start) => start.key === BROKEN);
    const afterFirstBurst = brokenStarts.filter((start) => start.at >= 1000);
    expect(afterFirstBurst.length).toBeLessThanOrEqual(Math.ceil(19_000 / 2000) * 16);
    expect(afterFirstBurst.length).toBeGreaterThanOrEqual(Math.floor(19_000 / 2000));
  });

  it('never opens on one request with many aliases of the broken account', async () => {
    const { policy, changes } = policyWith({ retryBudgetMinPerSecond: 100 });
    const upstream = upstreamFailing(new Set([BROKEN]));
    const context = { customerKey: 'broken-customer', concurrency: new Semaphore(32) };
    const calls = Array.from({ length: 30 }, () =>
      watch(policy.execute(upstream.attempt(BROKEN), undefined, callFor(context, BROKEN))),
    );
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls.every((call) => call.error instanceof WooriError)).toBe(true);
    expect(changes).toEqual([]);
    const other = await settle(
      policy.execute(upstream.attempt('1002146788200'), undefined, callFor({ customerKey: 'other' })),
    );
    expect(other.value).toBe('answer for 1002146788200');
  });

  it('does not open on two broken accounts of two customers', async () => {
    const { policy, changes } = policyWith({ maxAttempts: 1 });
    const upstream = upstreamFailing(new Set(['1000000000001', '1000000000002']));
    for (let round = 0; round < 10; round++) {
      for (const [customerKey, key] of [
        ['a', '1000000000001'],
        ['b', '1000000000002'],
      ]) {
        await settle(policy.execute(upstream.attempt(key), undefined, callFor({ customerKey }, key)), 50);
      }
    }
    expect(changes).toEqual([]);
  });

  it('opens within a second on failures across inputs and customers, and recovers by itself', async () => {
    const { policy, changes } = policyWith({ halfOpenAfterMs: 2000 });
    let failing: Set<string> | '*' = '*';
    const upstream = {
      starts: 0,
      attempt:
        (key: string) =>
        async ({ signal }: { signal?: AbortSignal }) => {
          upstream.starts += 1;
          await sleep(LATENCY_MS, signal);
          if (failing === '*') throw broken();
          return `answer for ${key}`;
        },
    };
    const outcomes: Array<{ at: number; error?: unknown }> = [];
    /** Two customers' dashboards (a list and two accounts each) every 200 ms. */
    const traffic = async (ms: number) => {
      for (let t = 0; t < ms; t += 200) {
        for (const customerKey of ['a', 'b']) {
          for (const key of [
            '',
            `${customerKey === 'a' ? 1 : 2}002146788200`,
            `${customerKey === 'a' ? 1 : 2}002160010529`,
          ]) {
            policy.execute(upstream.attempt(key), undefined, callFor({ customerKey }, key)).then(
              () => outcomes.push({ at: Date.now() }),
              (error: unknown) => outcomes.push({ at: Date.now(), error }),
            );
          }
        }
        await jest.advanceTimersByTimeAsync(200);
      }
    };
    await traffic(1000);
    expect(changes[0]).toBe('open');
    const opened = outcomes.find((outcome) => outcome.error instanceof BrokenCircuitError);
    expect(opened?.at).toBeLessThanOrEqual(1000);
    // While open: fast failures, no upstream call.
    const startsWhenOpen = upstream.starts;
    await traffic(1000);
    expect(upstream.starts - startsWhenOpen).toBe(0);
    failing = new Set();
    await traffic(3000);
    expect(changes.slice(-2)).toEqual(['half-open', 'closed']);
    expect(policy.circuitStatus()).toBe('closed');
    expect(outcomes.slice(-6).every((outcome) => outcome.error === undefined)).toBe(true);
  });

  it('tells why it opened: the failed inputs and how many customers', async () => {
    const seen: unknown[] = [];
    const { policy } = policyWith({
      maxAttempts: 1,
      breakerThreshold: 3,
      onCircuitChange: (status, change) => seen.push({ status, ...change }),
    });
    const upstream = upstreamFailing('*');
    const inputs = [
      ['a', '1000000000001'],
      ['b', '1000000000002'],
      ['a', ''],
    ];
    for (const [customerKey, key] of inputs) {
      await settle(policy.execute(upstream.attempt(key), undefined, callFor({ customerKey }, key)), 50);
    }
    expect(seen).toEqual([
      {
        status: 'open',
        reason: expect.stringContaining('across inputs and customers'),
        evidence: {
          failures: 3,
          distinctInputs: 3,
          customers: 2,
          inputs: [
            { operation: 'getAccountBasics', key: '1000000000001' },
            { operation: 'getAccountBasics', key: '1000000000002' },
            { operation: 'getAccountBasics', key: '' },
          ],
        },
      },
    ]);
  });

  it('counts the retries of one call once', async () => {
    const { policy, changes } = policyWith({
      maxAttempts: 5,
      retryBudgetMinPerSecond: 100,
      breakerThreshold: 3,
      breakerMinInputs: 1,
      breakerMinCustomers: 1,
      holdBackAfterFailures: 0,
    });
    const upstream = upstreamFailing('*');
    await settle(policy.execute(upstream.attempt(BROKEN), undefined, callFor({}, BROKEN)), 3000);
    expect(upstream.starts).toHaveLength(5);
    expect(changes).toEqual([]);
    await settle(policy.execute(upstream.attempt(BROKEN), undefined, callFor({}, BROKEN)), 3000);
    await settle(policy.execute(upstream.attempt(BROKEN), undefined, callFor({}, BROKEN)), 3000);
    expect(changes).toEqual(['open']);
  });

  it('forgets failures older than its window', async () => {
    const { policy, changes } = policyWith({ maxAttempts: 1, breakerThreshold: 3, breakerWindowMs: 1000 });
    const upstream = upstreamFailing('*');
    const inputs = [
      ['a', '1000000000001'],
      ['b', '1000000000002'],
      ['c', '1000000000003'],
    ];
    for (const [customerKey, key] of inputs) {
      await settle(policy.execute(upstream.attempt(key), undefined, callFor({ customerKey }, key)), 600);
    }
    expect(changes).toEqual([]);
  });
});

describe('broken inputs', () => {
  const BROKEN = '1002160010529';
  const HOLD_MS = 5000;
  const brokenError = () =>
    new WooriError('Woori API failed (SYSCD09999)', {
      kind: 'UPSTREAM_ERROR',
      operation: 'getAccountBasics',
      upstreamCode: 'SYSCD09999',
      traceId: 'trace-1',
      httpStatus: 500,
      retryable: true,
    });

  function holdingPolicy(options: Partial<UpstreamPolicyOptions> = {}) {
    const holds: HoldEvent[] = [];
    const setup = policyWith({
      holdBackAfterFailures: 2,
      holdBackMs: HOLD_MS,
      retryBudgetMinPerSecond: 100,
      onHeldBack: (event) => holds.push(event),
      ...options,
    });
    return { ...setup, holds };
  }

  it('after K failed calls in a row, answers the same error at once, with no upstream call, until its time is up', async () => {
    const { policy, holds } = holdingPolicy();
    const upstream = fakeUpstream(() => brokenError());
    const call = callFor({ customerKey: 'a' }, BROKEN);
    for (let i = 0; i < 2; i++) await settle(policy.execute(upstream.attempt, undefined, call), 1000);
    expect(upstream.starts).toHaveLength(6);
    expect(holds).toEqual([
      expect.objectContaining({ operation: 'getAccountBasics', key: BROKEN, customerKey: 'a', failures: 2 }),
    ]);
    expect(policy.heldBackInputs()).toBe(1);

    const left: number[] = [];
    for (let i = 0; i < 4; i++) {
      const seen = await settle(policy.execute(upstream.attempt, undefined, call), 1000);
      expect(seen.error).toMatchObject({
        kind: 'UPSTREAM_ERROR',
        upstreamCode: 'SYSCD09999',
        retryable: false,
      });
      expect((seen.error as WooriError).traceId).toBeUndefined();
      left.push((seen.error as WooriError).heldBackMs!);
    }
    expect(left[0]).toBeLessThanOrEqual(HOLD_MS);
    expect(left.map((ms) => left[0] - ms)).toEqual([0, 1000, 2000, 3000]);
    expect(upstream.starts).toHaveLength(6);
    expect(policy.heldBackCalls()).toBe(4);

    // Its time is up: tried again, once; one failed attempt holds it back again at once.
    await jest.advanceTimersByTimeAsync(left[3]);
    expect(policy.heldBackInputs()).toBe(0);
    const again = await settle(policy.execute(upstream.attempt, undefined, call), 100);
    expect(again.error).toMatchObject({ upstreamCode: 'SYSCD09999' });
    expect(upstream.starts).toHaveLength(7);
    expect(holds).toHaveLength(2);
    expect(policy.heldBackInputs()).toBe(1);
  });

  it('forgets an input that answers again', async () => {
    const { policy } = holdingPolicy();
    let healed = false;
    const upstream = fakeUpstream(() => (healed ? 'ok' : brokenError()));
    const call = callFor({ customerKey: 'a' }, BROKEN);
    for (let i = 0; i < 2; i++) await settle(policy.execute(upstream.attempt, undefined, call), 1000);
    healed = true;
    await jest.advanceTimersByTimeAsync(HOLD_MS);
    expect((await settle(policy.execute(upstream.attempt, undefined, call))).value).toBeDefined();
    healed = false;
    // Forgotten: it takes K failed calls again.
    await settle(policy.execute(upstream.attempt, undefined, call));
    expect(policy.heldBackInputs()).toBe(0);
  });

  it('stops the retries of calls in flight once their input is held back', async () => {
    const { policy } = holdingPolicy();
    const upstream = fakeUpstream(() => brokenError(), 50);
    const call = callFor({ customerKey: 'a' }, BROKEN);
    const calls = Array.from({ length: 10 }, (_, i) => {
      // Staggered, so that the first two calls end while the others are still retrying.
      const started = sleep(i * 100).then(() => policy.execute(upstream.attempt, undefined, call));
      return watch(started);
    });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(calls.every((c) => c.error instanceof WooriError)).toBe(true);
    // Without the memory: 30 attempts.
    expect(upstream.starts.length).toBeLessThan(15);
  });

  it('holds back one input of one customer: other accounts, operations and customers go on', async () => {
    const { policy } = holdingPolicy();
    const failing = fakeUpstream(() => brokenError());
    for (let i = 0; i < 2; i++) {
      await settle(policy.execute(failing.attempt, undefined, callFor({ customerKey: 'a' }, BROKEN)), 1000);
    }
    const upstream = fakeUpstream();
    const others: PolicyCall[] = [
      callFor({ customerKey: 'a' }, '1002146788200'),
      { ...callFor({ customerKey: 'a' }, BROKEN), operation: 'listTransactions' },
      callFor({ customerKey: 'b' }, BROKEN),
    ];
    for (const call of others) {
      expect((await settle(policy.execute(upstream.attempt, undefined, call))).value).toBeDefined();
    }
    expect(upstream.starts).toHaveLength(3);
  });

  it('does not hold back on refusals, nor on calls their caller gave up', async () => {
    const { policy } = holdingPolicy({ holdBackAfterFailures: 1 });
    const refused = fakeUpstream(() => failure('BAD_INPUT', false));
    const call = callFor({ customerKey: 'a' }, BROKEN);
    for (let i = 0; i < 3; i++) await settle(policy.execute(refused.attempt, undefined, call));
    const slow = fakeUpstream(() => 'ok', 1000);
    for (let i = 0; i < 3; i++) {
      const signal = abortAfter(30);
      await settle(policy.execute(slow.attempt, signal, callFor({ customerKey: 'a', signal }, BROKEN)));
    }
    expect(refused.starts).toHaveLength(3);
    expect(slow.starts).toHaveLength(3);
    expect(policy.heldBackInputs()).toBe(0);
  });

  it('holds nothing back when turned off', async () => {
    const { policy } = holdingPolicy({ holdBackAfterFailures: 0, breakerMinCustomers: 100 });
    const upstream = fakeUpstream(() => brokenError());
    const call = callFor({ customerKey: 'a' }, BROKEN);
    for (let i = 0; i < 5; i++) await settle(policy.execute(upstream.attempt, undefined, call), 1000);
    expect(upstream.starts).toHaveLength(15);
  });
});

describe('concurrency caps', () => {
  it('keeps calls in flight within the overall cap and each request within its own', async () => {
    const { policy } = policyWith({ maxConcurrency: 5 });
    const overall = fakeUpstream(() => 'ok', 60);
    const requests = [0, 1, 2].map(() => {
      // Each request's calls also pass a stand-in of its own, which sees only that request's calls.
      const own = fakeUpstream(() => 'ok', 60);
      const call = callFor({ concurrency: new Semaphore(3) });
      const attempt = async (context: { signal?: AbortSignal }) => {
        const [answer] = await Promise.all([overall.attempt(context), own.attempt(context)]);
        return answer;
      };
      return { own, calls: Array.from({ length: 9 }, () => policy.execute(attempt, undefined, call)) };
    });
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(requests.flatMap((request) => request.calls));
    expect(overall.starts).toHaveLength(27);
    expect(overall.mostInFlight).toBe(5);
    const mostPerRequest = requests.map((request) => request.own.mostInFlight);
    expect(Math.max(...mostPerRequest)).toBe(3);
  });

  it('refuses a call at once when the queue for a slot is full', async () => {
    const { policy } = policyWith({ maxConcurrency: 1, maxQueue: 1 });
    const upstream = fakeUpstream(() => 'ok', 200);
    const running = [0, 1].map(() => watch(policy.execute(upstream.attempt, undefined, callFor())));
    await expect(policy.execute(upstream.attempt, undefined, callFor())).rejects.toBeInstanceOf(
      BulkheadRejectedError,
    );
    await jest.advanceTimersByTimeAsync(500);
    expect(running.map((call) => call.value)).toEqual(['answer 0', 'answer 1']);
    expect(upstream.starts).toEqual([0, 200]);
  });
});

describe('the rate limiter', () => {
  it('spaces call starts so that at most maxRps start in any window', async () => {
    const { policy } = policyWith({ maxRps: 10, maxAttempts: 1 });
    const upstream = fakeUpstream();
    const calls = Array.from({ length: 25 }, () => policy.execute(upstream.attempt, undefined, callFor()));
    await jest.advanceTimersByTimeAsync(5000);
    await Promise.all(calls);
    // 10 at once, 10 after the 1.1 s window, 5 after two.
    expect(upstream.starts).toEqual([
      ...Array<number>(10).fill(0),
      ...Array<number>(10).fill(1100),
      ...Array<number>(5).fill(2200),
    ]);
  });

  it('takes its turns from the limiter it is given, one per call', async () => {
    let turns = 0;
    const limiter: StartLimiter = {
      acquire: async () => {
        turns += 1;
      },
    };
    const { policy } = policyWith({ maxRps: 1 }, { limiter });
    const upstream = fakeUpstream();
    const call = callFor({ customerKey: 'customer-b' });
    await settle(Promise.all([1, 2, 3].map(() => policy.execute(upstream.attempt, undefined, call))));
    expect(upstream.starts).toEqual([0, 0, 0]);
    expect(turns).toBe(3);
  });
});

describe("each customer's ceiling", () => {
  it('refuses calls over it at once with RATE_LIMITED for the customer, and lets them through as it refills', async () => {
    const refused: PolicyCall[] = [];
    const { policy } = policyWith({
      customerMaxCalls: 5,
      customerWindowMs: 10_000,
      onCustomerCeiling: (call) => refused.push(call),
    });
    const upstream = fakeUpstream();
    const greedy = callFor({ customerKey: 'greedy' });
    for (let i = 0; i < 5; i++) {
      expect((await settle(policy.execute(upstream.attempt, undefined, greedy), 50)).value).toBeDefined();
    }
    const over = await settle(policy.execute(upstream.attempt, undefined, greedy), 1);
    expect(over.error).toMatchObject({ kind: 'RATE_LIMITED', scope: 'customer', retryable: false });
    // 250 ms since the first call refilled 0.125 of a call: 0.875 × 2000 ms to the next.
    expect((over.error as WooriError).retryAfterMs).toBe(1750);
    expect(upstream.starts).toHaveLength(5);
    expect(refused).toEqual([greedy]);
    // Another customer has a ceiling of its own.
    const other = await settle(
      policy.execute(upstream.attempt, undefined, callFor({ customerKey: 'other' })),
      50,
    );
    expect(other.value).toBeDefined();
    await jest.advanceTimersByTimeAsync(1750 - 51);
    expect((await settle(policy.execute(upstream.attempt, undefined, greedy), 50)).value).toBeDefined();
    expect(refused).toHaveLength(1);
  });

  it('counts retries, and a retry over it gives up with the error it repeats', async () => {
    const { policy } = policyWith({
      customerMaxCalls: 2,
      customerWindowMs: 60_000,
      holdBackAfterFailures: 0,
    });
    const unavailable = failure('UNAVAILABLE', true);
    const upstream = fakeUpstream(() => unavailable);
    const seen = await settle(policy.execute(upstream.attempt, undefined, callFor({ customerKey: 'a' })));
    expect(seen.error).toBe(unavailable);
    expect(upstream.starts).toHaveLength(2);
  });

  it('is off by default', async () => {
    const { policy } = policyWith();
    const upstream = fakeUpstream();
    const call = callFor({ customerKey: 'a' });
    await settle(
      Promise.all(Array.from({ length: 500 }, () => policy.execute(upstream.attempt, undefined, call))),
    );
    expect(upstream.starts).toHaveLength(500);
  });
});

describe('the fair queue', () => {
  it('reports each wait with its outcome', async () => {
    const waits: QueueWait[] = [];
    const { policy } = policyWith({ maxRps: 2, onQueueWait: (wait) => waits.push(wait) });
    const upstream = fakeUpstream();
    const calls = [1, 2, 3].map(() =>
      policy.execute(upstream.attempt, undefined, callFor({ customerKey: 'a' })),
    );
    await settle(Promise.all(calls));
    expect(waits.map((wait) => [wait.outcome, wait.waitedMs])).toEqual([
      ['started', 0],
      ['started', 0],
      ['started', 1100],
    ]);
  });

  it("starts a customer's one call before another's hundreds, under the rate limit", async () => {
    const { policy } = policyWith({ maxRps: 10 });
    const upstream = fakeUpstream();
    const flood = Array.from({ length: 200 }, () =>
      policy.execute(upstream.attempt, undefined, callFor({ customerKey: 'flooder' })),
    );
    await jest.advanceTimersByTimeAsync(2000);
    const victim = watch(policy.execute(upstream.attempt, undefined, callFor({ customerKey: 'victim' })));
    await jest.advanceTimersByTimeAsync(1000);
    // The next turn after it arrived (at 2200 ms), not after the flood's 170 waiting calls.
    expect(victim.at).toBe(2200 + LATENCY_MS);
    await settle(Promise.all(flood));
  });
});

describe('one clock', () => {
  it('runs the breaker and the deadlines on the clock it is given', async () => {
    let now = 0;
    const { policy } = policyWith({
      now: () => now,
      maxAttempts: 2,
      ...OPENS_AT_ONCE,
      halfOpenAfterMs: 1000,
    });
    const upstream = fakeUpstream(() => failure('UNAVAILABLE', true), 0);
    // 200 ms left on the given clock: no retry, whatever the timers say.
    await settle(policy.execute(upstream.attempt, undefined, callFor({ deadline: 200 })), 100);
    expect(upstream.starts).toHaveLength(1);
    expect(policy.circuitStatus()).toBe('open');
    now = 999;
    expect(policy.circuitStatus()).toBe('open');
    now = 1000;
    expect(policy.circuitStatus()).toBe('half-open');
  });
});
