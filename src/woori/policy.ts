/**
 * What happens around each upstream call: retries, a circuit breaker, concurrency caps and a rate
 * limiter, built from cockatiel where cockatiel has the piece. One {@link UpstreamPolicy} serves the
 * whole process (it is the client's `deps.policy`); per-request state is keyed on the request's
 * `CallContext` and `AbortSignal`.
 *
 * One call, outside in:
 *
 * 1. **retry** (cockatiel `retry`, a fresh one per call): only failures classified `retryable`,
 *    after a capped exponential backoff with decorrelated jitter (cockatiel `ExponentialBackoff`),
 *    at least the `Retry-After` of a RATE_LIMITED answer, up to `maxAttempts` attempts, within the
 *    {@link RetryBudget}, and never when less than one attempt's timeout is left before the
 *    request's deadline.
 * 2. **circuit breaker** (cockatiel `circuitBreaker` + `ConsecutiveBreaker`), shared: upstream
 *    failures open it; while it is open an attempt fails at once, without an upstream call.
 *    Consecutive rather than sampled: it opens on an outage whatever the traffic (a sampling breaker
 *    needs a minimum rate, awkward under the upstream's low per-second limit), while scattered
 *    failures seldom line up (at 20% failing, ten in a row has odds of 1 in 10 million).
 * 3. **per-request cap** (a {@link Semaphore} per `CallContext`), so that one wide query cannot take
 *    every slot of the next cap.
 * 4. **overall cap** (cockatiel `bulkhead` with a bounded queue), shared.
 * 5. **rate limiter** ({@link RateLimiter}), shared, last, so that an admitted start is a real start.
 *
 * Every wait (backoff, queues, limiter) ends the moment the request's signal aborts: the caller gets
 * its error at once, and an attempt whose signal has aborted never reaches the upstream.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  bulkhead,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleWhen,
  retry,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
} from 'cockatiel';
import { setMaxListeners } from 'node:events';
import type { CallContext } from './api';
import type { AttemptPolicy } from './client';
import { WooriError } from './errors';
import { RateLimiter } from './rate-limiter';
import { RetryBudget } from './retry-budget';
import { Semaphore } from './semaphore';

/** The breaker's state as /readyz and metrics show it. `half-open`: the next call tests the upstream. */
export type CircuitStatus = 'closed' | 'open' | 'half-open';

export interface UpstreamPolicyOptions {
  /** The timeout of one attempt (the client's `timeoutMs`): a retry needs this much time left. */
  attemptTimeoutMs: number;
  /** Attempts per call, the first included; 1 turns retries off. Default 3. */
  maxAttempts?: number;
  /** The scale of the first backoff, ms (cockatiel's `initialDelay`). Default 100. */
  backoffBaseMs?: number;
  /** The longest backoff, ms; a RATE_LIMITED answer's `Retry-After` may be longer. Default 2000. */
  backoffMaxMs?: number;
  /** Retries as a percentage of calls over a 10 s window. Default 20. */
  retryBudgetPercent?: number;
  /** Retries allowed per second of that window whatever the traffic. Default 1. */
  retryBudgetMinPerSecond?: number;
  /** Consecutive upstream failures that open the circuit. Default 10. */
  breakerThreshold?: number;
  /** How long the circuit stays open before one call may test the upstream, ms. Default 10 000. */
  halfOpenAfterMs?: number;
  /** Call starts allowed per second (less a margin, see `RateLimiter`); 0 turns the limiter off. Default 0. */
  maxRps?: number;
  /** Upstream calls in flight at once, over all requests. Default 64. */
  maxConcurrency?: number;
  /** Upstream calls in flight at once for one request (one `CallContext`). Default 32. */
  maxConcurrencyPerRequest?: number;
  /** Calls waiting for one of the `maxConcurrency` slots; more fail at once as UNAVAILABLE. Default 1000. */
  maxQueue?: number;
  /** Told of every change of the circuit's state. Its exceptions are ignored. */
  onCircuitChange?: (status: CircuitStatus) => void;
  /** A monotonic clock in ms, for deadlines, the budget and the limiter. Default `performance.now`. */
  now?: () => number;
}

export const POLICY_DEFAULTS = {
  maxAttempts: 3,
  backoffBaseMs: 100,
  backoffMaxMs: 2000,
  retryBudgetPercent: 20,
  retryBudgetMinPerSecond: 1,
  breakerThreshold: 10,
  halfOpenAfterMs: 10_000,
  maxRps: 0,
  maxConcurrency: 64,
  maxConcurrencyPerRequest: 32,
  maxQueue: 10_000,
} as const;

type AttemptFn<T> = (context: { signal?: AbortSignal; attempt?: number }) => PromiseLike<T> | T;

/** The upstream policies of one client. See the module comment for the order. */
export class UpstreamPolicy implements AttemptPolicy {
  readonly maxAttempts: number;
  readonly attemptTimeoutMs: number;
  readonly budget: RetryBudget;
  private readonly backoff: IBackoffFactory<unknown>;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly halfOpenAfterMs: number;
  private openedAt = 0;
  private readonly overall: BulkheadPolicy;
  private readonly limiter: RateLimiter | null;
  private readonly perRequestCap: number;
  private readonly perRequest = new WeakMap<CallContext, Semaphore>();
  private readonly deadlines = new WeakMap<AbortSignal, number>();
  private readonly signalsSeen = new WeakSet<AbortSignal>();
  private readonly now: () => number;

  constructor(options: UpstreamPolicyOptions) {
    const settings = { ...POLICY_DEFAULTS, ...definedOnly(options) };
    this.now = options.now ?? (() => performance.now());
    this.attemptTimeoutMs = positive('attemptTimeoutMs', options.attemptTimeoutMs);
    this.maxAttempts = positive('maxAttempts', settings.maxAttempts);
    this.backoff = new ExponentialBackoff({
      generator: decorrelatedJitterGenerator,
      initialDelay: positive('backoffBaseMs', settings.backoffBaseMs),
      maxDelay: positive('backoffMaxMs', settings.backoffMaxMs),
    });
    this.budget = new RetryBudget({
      percent: settings.retryBudgetPercent,
      minPerSecond: settings.retryBudgetMinPerSecond,
      now: this.now,
    });
    this.halfOpenAfterMs = positive('halfOpenAfterMs', settings.halfOpenAfterMs);
    this.breaker = circuitBreaker(handleWhen(breaksCircuit), {
      halfOpenAfter: this.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(positive('breakerThreshold', settings.breakerThreshold)),
    });
    this.breaker.onStateChange((state) => {
      if (state === CircuitState.Open) this.openedAt = Date.now();
      try {
        options.onCircuitChange?.(this.circuitStatus());
      } catch {
        // A log or metrics hook must not break the breaker.
      }
    });
    if (!Number.isSafeInteger(settings.maxQueue) || settings.maxQueue < 0) {
      throw new RangeError(`UpstreamPolicy needs maxQueue to be 0 or more, but got ${settings.maxQueue}`);
    }
    this.overall = bulkhead(positive('maxConcurrency', settings.maxConcurrency), settings.maxQueue);
    this.perRequestCap = positive('maxConcurrencyPerRequest', settings.maxConcurrencyPerRequest);
    this.limiter = settings.maxRps > 0 ? new RateLimiter({ limit: settings.maxRps, now: this.now }) : null;
  }

  /**
   * The circuit's state now. An open circuit whose half-open delay is over reads `half-open`: the
   * next call will test the upstream (cockatiel moves on only at that call), so /readyz must not
   * keep traffic away for longer than the delay.
   */
  circuitStatus(): CircuitStatus {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Open:
        return Date.now() - this.openedAt >= this.halfOpenAfterMs ? 'half-open' : 'open';
      default:
        return 'open';
    }
  }

  /**
   * Tells the policy when `signal` will abort at the latest (`inMs` from now): the request's
   * deadline. A retry is then only started while at least one attempt's timeout is left.
   */
  setDeadline(signal: AbortSignal, inMs: number): void {
    this.deadlines.set(signal, this.now() + inMs);
  }

  /** Runs one call's attempts; `fn` is one attempt. Rejects with what the last attempt threw. */
  async execute<T>(fn: AttemptFn<T>, signal?: AbortSignal, ctx?: CallContext): Promise<T> {
    const callSignal = signal ?? ctx?.signal;
    if (callSignal?.aborted) throw callSignal.reason;
    if (callSignal) this.expectManyListeners(callSignal);
    const call = new CallAttempts(this, callSignal);
    const retries = retry(
      handleWhen((error) => call.shouldRetry(error)),
      // cockatiel counts retries, not attempts.
      { maxAttempts: this.maxAttempts - 1, backoff: { next: () => call } },
    ).dangerouslyUnref();
    const attempts = retries.execute(
      ({ attempt }) => this.attempt(fn, attempt, callSignal, ctx, call),
      callSignal,
    );
    try {
      return await untilAborted(attempts, callSignal, call);
    } catch (error) {
      throw error instanceof RetrySkipped ? error.last : error;
    }
  }

  /** Milliseconds left before the signal's deadline, when one was set. */
  timeLeft(signal: AbortSignal | undefined): number | undefined {
    const deadline = signal && this.deadlines.get(signal);
    return deadline === undefined ? undefined : deadline - this.now();
  }

  /** Spends the next backoff of `call`'s sequence (cockatiel's decorrelated jitter). */
  nextBackoff(previous: IBackoff<unknown> | undefined): IBackoff<unknown> {
    return previous ? previous.next(undefined) : this.backoff.next(undefined);
  }

  private attempt<T>(
    fn: AttemptFn<T>,
    attempt: number,
    signal: AbortSignal | undefined,
    ctx: CallContext | undefined,
    call: CallAttempts,
  ): Promise<T> {
    call.attempt = attempt;
    return this.breaker.execute(
      () =>
        this.admit(ctx, signal, () => {
          // Calls that queued while the circuit opened do not reach the upstream either.
          if (this.circuitStatus() === 'open') throw new BrokenCircuitError();
          if (attempt > 0 && call.lastError && this.tooLateForAttempt(signal)) {
            throw new RetrySkipped(call.lastError);
          }
          // Only calls that reach the upstream earn retries: not those refused by an open circuit.
          if (attempt === 0) this.budget.recordCall();
          return call.track(fn({ signal, attempt }));
        }),
      signal,
    );
  }

  /** Waits for a slot of the request, one of the process, then a start from the rate limiter. */
  private async admit<T>(
    ctx: CallContext | undefined,
    signal: AbortSignal | undefined,
    start: () => PromiseLike<T> | T,
  ): Promise<T> {
    const release = ctx ? await this.slotsOf(ctx).acquire(signal) : undefined;
    try {
      // No signal for cockatiel's bulkhead: it would drop an aborted call from its queue without
      // handing the slot on. The aborted call leaves through `throwIfAborted` instead.
      return await this.overall.execute(async () => {
        signal?.throwIfAborted();
        await this.limiter?.acquire(signal);
        return start();
      });
    } finally {
      release?.();
    }
  }

  /**
   * A request's signal is shared by all of its calls, and each call in flight or waiting listens to
   * it (a wide query: a hundred or more). Those listeners are removed when their call ends, so
   * Node's leak warning at 10 would only be noise.
   */
  private expectManyListeners(signal: AbortSignal): void {
    if (this.signalsSeen.has(signal)) return;
    this.signalsSeen.add(signal);
    setMaxListeners(0, signal);
  }

  private slotsOf(ctx: CallContext): Semaphore {
    let slots = this.perRequest.get(ctx);
    if (!slots) {
      slots = new Semaphore(this.perRequestCap);
      this.perRequest.set(ctx, slots);
    }
    return slots;
  }

  private tooLateForAttempt(signal: AbortSignal | undefined): boolean {
    const left = this.timeLeft(signal);
    return left !== undefined && left < this.attemptTimeoutMs;
  }
}

/**
 * Whether a failure counts towards opening the circuit: the upstream failing (TIMEOUT, UNAVAILABLE,
 * UPSTREAM_ERROR). Not our callers' bad input or tokens, not the rate limit or the quota (the
 * upstream works and says no), not our own configuration, and not a timeout that is really our
 * caller giving up (classified TIMEOUT but not retryable).
 */
export function breaksCircuit(error: unknown): boolean {
  if (!(error instanceof WooriError)) return false;
  switch (error.kind) {
    case 'UNAVAILABLE':
    case 'UPSTREAM_ERROR':
      return true;
    case 'TIMEOUT':
      return error.retryable;
    default:
      return false;
  }
}

/** One call's retry state: cockatiel's retry filter and its backoff, for that call only. */
class CallAttempts implements IBackoff<unknown> {
  /** The attempt under way, 0 for the first (cockatiel's counter). */
  attempt = 0;
  lastError: WooriError | undefined;
  /** The attempt talking to the upstream now, if one is. */
  inFlight: Promise<unknown> | undefined;
  private delayMs = 0;
  private backoff: IBackoff<unknown> | undefined;

  constructor(
    private readonly policy: UpstreamPolicy,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Remembers `attempt` as in flight until it settles, and its error as the last one. */
  track<T>(attempt: PromiseLike<T> | T): Promise<T> {
    const running = Promise.resolve(attempt);
    this.inFlight = running;
    const done = () => {
      if (this.inFlight === running) this.inFlight = undefined;
    };
    running.then(done, (error: unknown) => {
      if (error instanceof WooriError) this.lastError = error;
      done();
    });
    return running;
  }

  /** The wait before the retry that `shouldRetry` just allowed. */
  get duration(): number {
    return this.delayMs;
  }

  next(): IBackoff<unknown> {
    return this;
  }

  /**
   * cockatiel's retry filter: whether to retry after `error`, deciding the wait as well, since
   * whether the retry fits before the deadline depends on it. A retry that is allowed is counted
   * against the budget here.
   */
  shouldRetry(error: unknown): boolean {
    if (!(error instanceof WooriError) || !error.retryable) return false;
    if (this.attempt + 1 >= this.policy.maxAttempts || this.signal?.aborted) return false;
    this.backoff = this.policy.nextBackoff(this.backoff);
    const delayMs = Math.max(this.backoff.duration, error.retryAfterMs ?? 0);
    const left = this.policy.timeLeft(this.signal);
    if (left !== undefined && left - delayMs < this.policy.attemptTimeoutMs) return false;
    if (!this.policy.budget.tryRetry()) return false;
    this.delayMs = delayMs;
    return true;
  }
}

/**
 * A retry given up after its backoff, because the deadline came too close while it waited. Not an
 * upstream failure (the breaker does not count it); the caller gets the error it carries.
 */
class RetrySkipped extends Error {
  override readonly name = 'RetrySkipped';
  constructor(readonly last: WooriError) {
    super('A retry was not started: too little time was left before the deadline');
  }
}

/**
 * The call's outcome, or, once `signal` aborts, its last error (else the signal's reason) as soon as
 * no attempt is talking to the upstream. cockatiel's backoff sleep and bulkhead queue do not listen
 * to the signal, so the caller stops waiting for them here. An attempt in flight listens to the
 * signal itself and ends within moments; waiting for it keeps its upstream call in the request's
 * `stats` (the client counts an attempt when it ends).
 */
function untilAborted<T>(
  attempts: Promise<T>,
  signal: AbortSignal | undefined,
  call: CallAttempts,
): Promise<T> {
  if (!signal) return attempts;
  return new Promise<T>((resolve, reject) => {
    const giveUp = () => reject(call.lastError ?? signal.reason);
    const onAbort = () => {
      if (call.inFlight) call.inFlight.then(giveUp, giveUp);
      else giveUp();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    attempts.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) {
    throw new RangeError(`UpstreamPolicy needs ${name} to be 1 or more, but got ${value}`);
  }
  return value;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
