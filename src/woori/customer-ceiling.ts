/**
 * A ceiling on each customer's upstream calls, so that one token cannot spend the app key's
 * quota: at most `maxCalls` per `windowMs`, as a token bucket per customer (full at first, refilled
 * at `maxCalls / windowMs`), which lets a customer's burst through up to the ceiling and then one
 * call per share of the window. Every attempt counts, retries included: each one spends quota.
 * Over it, a call fails at once with RATE_LIMITED, `scope: 'customer'` and `retryAfterMs`.
 *
 * It is kept per process: with several replicas a customer may spend up to the ceiling on each.
 */
import type { PolicyCall } from './api';
import { WooriError } from './errors';

export interface CustomerCeilingOptions {
  /** Calls per window per customer; a positive integer. */
  maxCalls: number;
  windowMs: number;
  /** The policy's clock, ms. */
  now: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones (customers idle long enough to be back at the ceiling) are dropped. */
const SWEEP_AT = 10_000;

export class CustomerCeiling {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly options: CustomerCeilingOptions) {
    const { maxCalls, windowMs } = options;
    if (!Number.isSafeInteger(maxCalls) || maxCalls < 1) {
      throw new RangeError(`CustomerCeiling needs maxCalls to be a positive integer, but got ${maxCalls}`);
    }
    if (!Number.isFinite(windowMs) || windowMs < 1) {
      throw new RangeError(`CustomerCeiling needs windowMs of 1 or more, but got ${windowMs}`);
    }
    this.perMs = maxCalls / windowMs;
  }

  /** Counts one call of `call`'s customer; the error to fail it with when over the ceiling. */
  take(call: PolicyCall): WooriError | undefined {
    const customer = call.context.customerKey ?? '';
    const now = this.options.now();
    const bucket = this.refilled(customer, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    const retryAfterMs = Math.ceil((1 - bucket.tokens) / this.perMs);
    return new WooriError(
      `This customer's upstream calls are over ${this.options.maxCalls} per ${this.options.windowMs} ms`,
      { kind: 'RATE_LIMITED', operation: call.operation, retryable: false, retryAfterMs, scope: 'customer' },
    );
  }

  private refilled(customer: string, now: number): Bucket {
    let bucket = this.buckets.get(customer);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = { tokens: this.options.maxCalls, at: now };
      this.buckets.set(customer, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.options.maxCalls, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    return bucket;
  }

  /** Forgets the customers whose bucket is full again: they are as if never seen. */
  private sweep(now: number): void {
    for (const [customer, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.options.maxCalls)
        this.buckets.delete(customer);
    }
  }
}
