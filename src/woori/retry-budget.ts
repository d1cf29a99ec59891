/**
 * How many retries the client may make: at most `percent`% of its calls over a sliding window, plus
 * a small allowance per second so that a quiet service can still retry at all.
 *
 * Why: a per-call attempt limit caps what one call costs, not what a fleet of calls costs. When the
 * upstream fails broadly, every call retrying multiplies the load on it exactly when it can least
 * carry it (a retry storm). A budget keeps retries a bounded share of the traffic, so they still
 * smooth over scattered failures but stop adding load in an outage. Cockatiel has per-call retries
 * and a circuit breaker but no budget, so this is one, after Finagle's `RetryBudget` and gRPC's
 * retry throttling.
 *
 * It works as a token bucket whose deposits expire: every call deposits `percent / 100` of a token,
 * every second deposits `minPerSecond`, every retry spends one token, and deposits and spendings
 * older than the window are forgotten (in one-second steps).
 */
export interface RetryBudgetOptions {
  /** Retries allowed, as a percentage of the calls in the window (0–100 and beyond). Default 20. */
  percent?: number;
  /** Retries allowed per second of the window whatever the traffic. Default 1. */
  minPerSecond?: number;
  /** The sliding window, ms, a whole number of seconds. Default 10 000. */
  windowMs?: number;
  /** A monotonic clock in ms. Default `performance.now`. */
  now?: () => number;
}

const BUCKET_MS = 1000;

export class RetryBudget {
  readonly percent: number;
  readonly minPerSecond: number;
  readonly windowMs: number;
  private readonly now: () => number;
  /** Calls and retries per second of the window, a ring indexed by the second modulo its size. */
  private readonly calls: Float64Array;
  private readonly retries: Float64Array;
  private currentSecond = -Infinity;

  constructor(options: RetryBudgetOptions = {}) {
    const { percent = 20, minPerSecond = 1, windowMs = 10_000 } = options;
    if (!Number.isFinite(percent) || percent < 0) {
      throw new RangeError(`RetryBudget needs percent to be zero or more, but got ${percent}`);
    }
    if (!Number.isFinite(minPerSecond) || minPerSecond < 0) {
      throw new RangeError(`RetryBudget needs minPerSecond to be zero or more, but got ${minPerSecond}`);
    }
    if (!Number.isSafeInteger(windowMs / BUCKET_MS) || windowMs < BUCKET_MS) {
      throw new RangeError(`RetryBudget needs windowMs to be whole seconds, but got ${windowMs}`);
    }
    this.percent = percent;
    this.minPerSecond = minPerSecond;
    this.windowMs = windowMs;
    this.now = options.now ?? (() => performance.now());
    this.calls = new Float64Array(windowMs / BUCKET_MS);
    this.retries = new Float64Array(windowMs / BUCKET_MS);
  }

  /** Counts a call's first attempt: it earns `percent / 100` of a retry. */
  recordCall(): void {
    this.calls[this.bucket()] += 1;
  }

  /** Whether one more retry fits the budget; when it does, it is counted against it. */
  tryRetry(): boolean {
    const current = this.bucket();
    if (this.available() < 1) return false;
    this.retries[current] += 1;
    return true;
  }

  /** Retries the budget allows now; fractional, since each call earns a fraction of one. */
  available(): number {
    this.bucket();
    let calls = 0;
    let retries = 0;
    for (let i = 0; i < this.calls.length; i++) {
      calls += this.calls[i];
      retries += this.retries[i];
    }
    const allowance = (this.minPerSecond * this.windowMs) / BUCKET_MS;
    return allowance + (calls * this.percent) / 100 - retries;
  }

  /** The index of the current second's bucket, after clearing the buckets that left the window. */
  private bucket(): number {
    const second = Math.floor(this.now() / BUCKET_MS);
    const size = this.calls.length;
    if (second > this.currentSecond) {
      if (second - this.currentSecond >= size) {
        this.calls.fill(0);
        this.retries.fill(0);
      } else {
        for (let s = this.currentSecond + 1; s <= second; s++) {
          this.calls[modulo(s, size)] = 0;
          this.retries[modulo(s, size)] = 0;
        }
      }
      this.currentSecond = second;
    }
    return modulo(this.currentSecond, size);
  }
}

function modulo(value: number, size: number): number {
  return ((value % size) + size) % size;
}
