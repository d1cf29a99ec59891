/**
 * What happens around each upstream call. One {@link UpstreamPolicy} serves the whole process (it
 * is the client's `deps.policy`); what belongs to one request (its signal, its deadline, its own
 * concurrency cap) comes with the call, on its `CallContext`.
 *
 * One call, outside in:
 *
 * 1. **broken inputs** ({@link BrokenInputs}), shared: an input that failed again and again fails at
 *    once, with its last error, for a short while (before every attempt, retries included).
 * 2. **retries** ({@link RetryRules}): a failed attempt is tried again after a backoff when it was
 *    retryable, within `maxAttempts`, the retry budget and the request's deadline.
 * 3. **circuit breaker** ({@link CircuitBreaker}), shared: while it is open an attempt fails at once,
 *    without an upstream call. It opens on failures spread over inputs and customers
 *    ({@link SpreadFailures}), never on one broken input.
 * 4. **the customer's ceiling** ({@link CustomerCeiling}), when set: over it, a call fails at once
 *    with RATE_LIMITED (`scope: 'customer'`).
 * 5. **the request's own cap** (`context.concurrency`, a {@link Semaphore}), so that one wide query
 *    cannot take every slot of the overall cap.
 * 6. **the fair queue** ({@link FairQueue}), shared: a slot of the overall cap, then a start from the
 *    rate limiter ({@link StartLimiter}), handed out round-robin between customers, so that no
 *    customer waits behind another's hundreds of calls; a call that finds the queue full fails at
 *    once as UNAVAILABLE. The limiter comes last, so that an admitted start is a real start.
 *
 * Every wait (backoff, the breaker's half-open test, caps, limiter) ends the moment the request's
 * signal aborts, and the caller gets the last upstream error (or the signal's reason) at once. An
 * attempt in flight listens to the signal itself. All of it runs on one clock, `now`.
 */
import { BrokenCircuitError } from 'cockatiel';
import { sleep } from './abortable';
import type { AttemptPolicy, PolicyCall } from './api';
import { BrokenInputs, type HoldEvent } from './broken-inputs';
import {
  type CallOutcome,
  CircuitBreaker,
  type CircuitChange,
  type CircuitStatus,
  type OpeningRule,
  SpreadFailures,
} from './circuit-breaker';
import { WooriError } from './errors';
import { CustomerCeiling } from './customer-ceiling';
import { FairQueue, type QueueWait } from './fair-queue';
import { RateLimiter, type StartLimiter } from './rate-limiter';
import { SharedRateLimiter } from './shared-rate-limiter';
import type { SharedRedis } from '../store/redis';
import { RetryBudget } from './retry-budget';
import { type CallRetries, RetryRules } from './retry';
import type { Release } from './semaphore';

export type { CircuitChange, CircuitStatus, OpeningEvidence } from './circuit-breaker';
export type { HoldEvent } from './broken-inputs';
export type { QueueWait, WaitOutcome } from './fair-queue';

export interface UpstreamPolicyOptions {
  /** The timeout of one attempt (the client's `timeoutMs`): a retry needs this much time left. */
  attemptTimeoutMs: number;
  /** Attempts per call, the first included; 1 turns retries off. */
  maxAttempts?: number;
  /** The scale of the first backoff, ms. */
  backoffBaseMs?: number;
  /** The longest backoff, ms; a RATE_LIMITED answer's `Retry-After` may be longer. */
  backoffMaxMs?: number;
  /** Retries as a percentage of calls over a 10 s window. */
  retryBudgetPercent?: number;
  /** Retries allowed per second of that window whatever the traffic. */
  retryBudgetMinPerSecond?: number;
  /**
   * Failed calls since the last answer that open the circuit when they also span
   * `breakerMinInputs` inputs and `breakerMinCustomers` customers ({@link SpreadFailures}).
   */
  breakerThreshold?: number;
  /** Distinct inputs (an operation on an account, or an account list) among them, at least. */
  breakerMinInputs?: number;
  /** Distinct customers among them, at least. */
  breakerMinCustomers?: number;
  /** Failures older than this no longer count towards opening, ms. */
  breakerWindowMs?: number;
  /** Failed attempts in a row that hold an input back ({@link BrokenInputs}); 0 turns that off. */
  holdBackAfterFailures?: number;
  /** How long an input is held back, ms. */
  holdBackMs?: number;
  /** How long the circuit stays open before one call may test the upstream, ms. */
  halfOpenAfterMs?: number;
  /**
   * Call starts allowed per second (less a margin, see `RateLimiter`); 0 turns the limiter off.
   * With a shared Redis (`UpstreamPolicyDeps.redis`), the limit of all replicas together.
   */
  maxRps?: number;
  /** Replicas sharing `maxRps`: while Redis does not answer, each keeps to `maxRps / replicas`. */
  replicas?: number;
  /** The Redis key of the shared limit: replicas with the same app key must use the same one. */
  sharedLimitKey?: string;
  /** Told when the shared limiter falls back on this replica's share (true), and back (false). */
  onLimiterFallback?: (fallback: boolean) => void;
  /** Upstream calls in flight at once, over all requests. */
  maxConcurrency?: number;
  /** Calls waiting for one of the `maxConcurrency` slots; one more fails at once as UNAVAILABLE. */
  maxQueue?: number;
  /** Upstream calls (attempts) one customer may make per `customerWindowMs`; 0 turns the ceiling off. */
  customerMaxCalls?: number;
  /** The window of `customerMaxCalls`, ms. */
  customerWindowMs?: number;
  /** Told of every change of the circuit's state, and why. Its exceptions are ignored. */
  onCircuitChange?: (status: CircuitStatus, change: CircuitChange) => void;
  /** Told when an input starts being held back, with the context of the call that did it. Its exceptions are ignored. */
  onHeldBack?: (event: HoldEvent, context: PolicyCall['context']) => void;
  /** Told how each wait in the fair queue ended, and how long it took. Its exceptions are ignored. */
  onQueueWait?: (wait: QueueWait) => void;
  /** Told of each call refused because its customer is over the ceiling. Its exceptions are ignored. */
  onCustomerCeiling?: (call: PolicyCall) => void;
  /** The one clock of deadlines, backoffs, the budget, the breaker and the limiter, ms. Default `performance.now`. */
  now?: () => number;
}

/** Parts that can be swapped: a limiter shared by replicas, another rule for opening the circuit. */
export interface UpstreamPolicyDeps {
  /** Replaces the process's own `RateLimiter` (and `maxRps`). */
  limiter?: StartLimiter;
  /**
   * The replica's Redis connection, or null: with it (and `maxRps` > 0) the rate limit is shared by
   * every replica ({@link SharedRateLimiter}), with this replica's share while Redis does not answer.
   */
  redis?: SharedRedis | null;
  /** Replaces {@link SpreadFailures} (and the `breaker…` thresholds but `halfOpenAfterMs`). */
  openingRule?: OpeningRule;
}

/** The defaults of {@link UpstreamPolicyOptions}; `config.ts` takes its defaults from here. */
export const POLICY_DEFAULTS = {
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
  maxRps: 0,
  maxConcurrency: 64,
  /** Not an option here: each request's own cap comes with its call context (`createCallContext`). */
  maxConcurrencyPerRequest: 32,
  maxQueue: 10_000,
  customerMaxCalls: 0,
  customerWindowMs: 60_000,
  replicas: 1,
} as const;

type AttemptFn<T> = (context: { signal?: AbortSignal; attempt?: number }) => PromiseLike<T> | T;

/** The upstream policies of one client. See the module comment for the order. */
export class UpstreamPolicy implements AttemptPolicy {
  private readonly budget: RetryBudget;
  private readonly retries: RetryRules;
  private readonly breaker: CircuitBreaker;
  private readonly brokenInputs: BrokenInputs;
  private readonly queue: FairQueue;
  private readonly ceiling: CustomerCeiling | null;
  private readonly onCustomerCeiling?: (call: PolicyCall) => void;

  constructor(options: UpstreamPolicyOptions, deps: UpstreamPolicyDeps = {}) {
    const settings = { ...POLICY_DEFAULTS, ...definedOnly(options) };
    const now = options.now ?? (() => performance.now());
    this.budget = new RetryBudget({
      percent: settings.retryBudgetPercent,
      minPerSecond: settings.retryBudgetMinPerSecond,
      now,
    });
    this.retries = new RetryRules({
      maxAttempts: positive('maxAttempts', settings.maxAttempts),
      backoffBaseMs: positive('backoffBaseMs', settings.backoffBaseMs),
      backoffMaxMs: positive('backoffMaxMs', settings.backoffMaxMs),
      attemptTimeoutMs: positive('attemptTimeoutMs', options.attemptTimeoutMs),
      budget: this.budget,
      now,
    });
    this.breaker = new CircuitBreaker({
      halfOpenAfterMs: positive('halfOpenAfterMs', settings.halfOpenAfterMs),
      rule:
        deps.openingRule ??
        new SpreadFailures({
          minFailures: positive('breakerThreshold', settings.breakerThreshold),
          minInputs: positive('breakerMinInputs', settings.breakerMinInputs),
          minCustomers: positive('breakerMinCustomers', settings.breakerMinCustomers),
          windowMs: positive('breakerWindowMs', settings.breakerWindowMs),
          now,
        }),
      now,
      onChange: options.onCircuitChange,
    });
    this.brokenInputs = new BrokenInputs({
      afterFailures: settings.holdBackAfterFailures,
      holdMs: positive('holdBackMs', settings.holdBackMs),
      now,
      onHold: options.onHeldBack,
    });
    this.queue = new FairQueue({
      capacity: positive('maxConcurrency', settings.maxConcurrency),
      maxQueue: settings.maxQueue,
      limiter: deps.limiter ?? rateLimiter(settings, deps.redis ?? null, now, options),
      now,
      onWait: options.onQueueWait,
    });
    this.ceiling =
      settings.customerMaxCalls > 0
        ? new CustomerCeiling({
            maxCalls: settings.customerMaxCalls,
            windowMs: positive('customerWindowMs', settings.customerWindowMs),
            now,
          })
        : null;
    this.onCustomerCeiling = options.onCustomerCeiling;
  }

  /** The circuit's state now (an open circuit whose delay is over reads `half-open`). */
  circuitStatus(): CircuitStatus {
    return this.breaker.status();
  }

  /** Inputs held back now, after failing again and again. */
  heldBackInputs(): number {
    return this.brokenInputs.heldBackCount();
  }

  /** Calls refused so far, without an upstream call, because their input was held back. */
  heldBackCalls(): number {
    return this.brokenInputs.refused;
  }

  /**
   * Runs one call's attempts; `fn` is one attempt. Rejects with what the last attempt threw, or,
   * when the signal ended a wait, with the last upstream error (else the signal's reason).
   */
  async execute<T>(fn: AttemptFn<T>, signal: AbortSignal | undefined, call: PolicyCall): Promise<T> {
    signal?.throwIfAborted();
    const heldBack = this.brokenInputs.refusal(call);
    if (heldBack) throw heldBack;
    const evidence: CallEvidence = { failedUpstream: false };
    try {
      return await this.attempts(fn, signal, call, evidence);
    } catch (error) {
      if (evidence.failedUpstream && breaksCircuit(error))
        this.brokenInputs.callFailed(call, error as WooriError);
      throw error;
    }
  }

  /** The attempts of one call, with their backoffs. */
  private async attempts<T>(
    fn: AttemptFn<T>,
    signal: AbortSignal | undefined,
    call: PolicyCall,
    evidence: CallEvidence,
  ): Promise<T> {
    const retries = this.retries.forCall(call.context.deadline);
    let lastError: WooriError | undefined;
    for (let attempt = 1; ; attempt++) {
      let delayMs: number;
      try {
        return await this.attempt(fn, attempt, signal, call, lastError, retries, evidence);
      } catch (thrown) {
        // A wait that the signal ended rejects with its reason: the last upstream error says more.
        const error = lastError && signal?.aborted && thrown === signal.reason ? lastError : thrown;
        // Its input is held back now (this failure may have done it): no retry, nor a wait for one.
        if (this.brokenInputs.holds(call)) throw error;
        const delay = retries.delayAfter(error, attempt, signal);
        if (delay === undefined) throw error;
        lastError = error as WooriError;
        delayMs = delay;
      }
      try {
        await sleep(delayMs, signal);
      } catch {
        throw lastError;
      }
    }
  }

  /**
   * One attempt through the breaker, the caps and the limiter. A retry (`retrying` is the error it
   * repeats) gives up with that error when its input is held back meanwhile, or when it no longer
   * fits before the deadline once through them.
   */
  private async attempt<T>(
    fn: AttemptFn<T>,
    attempt: number,
    signal: AbortSignal | undefined,
    call: PolicyCall,
    retrying: WooriError | undefined,
    retries: CallRetries,
    evidence: CallEvidence,
  ): Promise<T> {
    if (retrying && this.brokenInputs.holds(call)) throw retrying;
    const admission = await this.breaker.admit(signal);
    let sent = false;
    const releases: Release[] = [];
    try {
      this.withinCeiling(call, retrying);
      // A slot of the request, then a turn in the fair queue (a slot of the process and a start).
      const own = await call.context.concurrency?.acquire(signal);
      if (own) releases.push(own);
      releases.push(await this.queue.acquire(call, signal));
      // Calls that queued while the circuit opened do not reach the upstream either.
      if (!admission.probe && this.breaker.isOpen()) throw new BrokenCircuitError();
      if (retrying && !retries.fits()) throw retrying;
      // Only calls that reach the upstream earn retries: not those refused by an open circuit.
      if (attempt === 1) this.budget.recordCall();
      sent = true;
      const value = await fn({ signal, attempt: attempt - 1 });
      this.breaker.settle(admission, call, 'succeeded');
      this.brokenInputs.answered(call);
      return value;
    } catch (error) {
      const outcome = sent ? outcomeOf(error) : 'abandoned';
      this.breaker.settle(admission, call, outcome, error, evidence.failedUpstream);
      if (outcome === 'failed') {
        evidence.failedUpstream = true;
        this.brokenInputs.attemptFailed(call, error as WooriError);
      }
      throw error;
    } finally {
      // Only now, with the outcome recorded: the next call in line must see an opened circuit.
      for (const release of releases.reverse()) release();
    }
  }

  /**
   * Counts the attempt against its customer's ceiling. Over it, a first attempt fails with the
   * ceiling's RATE_LIMITED; a retry gives up with the error it repeats.
   */
  private withinCeiling(call: PolicyCall, retrying: WooriError | undefined): void {
    const over = this.ceiling?.take(call);
    if (!over) return;
    try {
      this.onCustomerCeiling?.(call);
    } catch {
      // A metrics hook must not change the outcome.
    }
    throw retrying ?? over;
  }
}

/** The limiter of `maxRps`: none, shared by the replicas through Redis, or the process's own. */
function rateLimiter(
  settings: { maxRps: number; replicas: number },
  redis: SharedRedis | null,
  now: () => number,
  options: UpstreamPolicyOptions,
): StartLimiter | null {
  if (settings.maxRps <= 0) return null;
  if (!redis) return new RateLimiter({ limit: settings.maxRps, now });
  return new SharedRateLimiter({
    redis,
    limit: settings.maxRps,
    replicas: positive('replicas', settings.replicas),
    key: options.sharedLimitKey ?? 'woori:upstream:starts',
    now,
    onFallback: options.onLimiterFallback,
  });
}

/** What one call's attempts have shown so far. */
interface CallEvidence {
  /**
   * An attempt reached the upstream and it failed (not the caller, not a refusal). The breaker's
   * rule has heard of it: another failed attempt of the same call is no new evidence.
   */
  failedUpstream: boolean;
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

/** What an attempt that was sent tells of the upstream's health. */
function outcomeOf(error: unknown): CallOutcome {
  if (breaksCircuit(error)) return 'failed';
  // A TIMEOUT that does not break the circuit is the caller giving up: no evidence either way.
  if (!(error instanceof WooriError) || error.kind === 'TIMEOUT') return 'abandoned';
  return 'refused';
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
