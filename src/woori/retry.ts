/**
 * Which failed attempts are tried again, and after how long. A retry needs all of:
 * - a failure classified `retryable`, and attempts left (`maxAttempts`, the first included);
 * - a caller still waiting (its signal not aborted);
 * - time: after the wait, at least one attempt's timeout before the request's deadline;
 * - room in the {@link RetryBudget}, which keeps retries a bounded share of all calls.
 *
 * The wait is a capped exponential backoff with decorrelated jitter (cockatiel's
 * `ExponentialBackoff`), and at least the `Retry-After` a RATE_LIMITED answer asked for.
 */
import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff } from 'cockatiel';
import { WooriError } from './errors';
import type { RetryBudget } from './retry-budget';

export interface RetryRulesOptions {
  /** Attempts per call, the first included; 1 turns retries off. */
  maxAttempts: number;
  /** The scale of the first backoff, ms. */
  backoffBaseMs: number;
  /** The longest backoff, ms; a `Retry-After` may be longer. */
  backoffMaxMs: number;
  /** The timeout of one attempt: a retry needs this much time left before the deadline. */
  attemptTimeoutMs: number;
  budget: RetryBudget;
  /** The clock of deadlines, ms. */
  now: () => number;
}

/** The retry rules of one policy; {@link RetryRules.forCall} gives one call's view of them. */
export class RetryRules {
  private readonly backoff: ExponentialBackoff<unknown>;

  constructor(private readonly options: RetryRulesOptions) {
    this.backoff = new ExponentialBackoff({
      generator: decorrelatedJitterGenerator,
      initialDelay: options.backoffBaseMs,
      maxDelay: options.backoffMaxMs,
    });
  }

  /** The retries of one call whose caller waits until `deadline` at the latest (on the clock). */
  forCall(deadline: number | undefined): CallRetries {
    return new CallRetries(this.options, this.backoff, deadline);
  }
}

/** One call's retries: its own backoff sequence, against the policy's shared budget. */
export class CallRetries {
  private backoff: IBackoff<unknown> | undefined;

  constructor(
    private readonly options: RetryRulesOptions,
    private readonly factory: ExponentialBackoff<unknown>,
    private readonly deadline: number | undefined,
  ) {}

  /**
   * The wait before retrying after `attempt` (1 for the first) failed with `error`, or undefined
   * when it is not retried. An allowed retry is counted against the budget here.
   */
  delayAfter(error: unknown, attempt: number, signal: AbortSignal | undefined): number | undefined {
    if (!(error instanceof WooriError) || !error.retryable) return undefined;
    if (attempt >= this.options.maxAttempts || signal?.aborted) return undefined;
    this.backoff = this.backoff ? this.backoff.next(undefined) : this.factory.next();
    const delayMs = Math.max(this.backoff.duration, error.retryAfterMs ?? 0);
    if (!this.fits(delayMs)) return undefined;
    if (!this.options.budget.tryRetry()) return undefined;
    return delayMs;
  }

  /** Whether an attempt started `afterMs` from now still has its whole timeout before the deadline. */
  fits(afterMs = 0): boolean {
    if (this.deadline === undefined) return true;
    return this.deadline - this.options.now() - afterMs >= this.options.attemptTimeoutMs;
  }
}
