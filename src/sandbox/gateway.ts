import type { SandboxCallRecord, SandboxCounters } from './types';

/** How many calls `counters().recent` keeps. */
export const RECENT_CALLS = 2000;

/** Every API call the sandbox answered, for tests and benchmarks to assert on. */
export class CallLog {
  private total = 0;
  private byOperation: Record<string, number> = {};
  private byCustomer: Record<string, number> = {};
  private byCode: Record<string, number> = {};
  private recent: SandboxCallRecord[] = [];
  /** Where the next record goes once `recent` is full: a ring, oldest at `next`. */
  private next = 0;

  record(call: SandboxCallRecord): void {
    this.total += 1;
    this.byOperation[call.operation] = (this.byOperation[call.operation] ?? 0) + 1;
    if (call.customer !== null) this.byCustomer[call.customer] = (this.byCustomer[call.customer] ?? 0) + 1;
    this.byCode[call.code] = (this.byCode[call.code] ?? 0) + 1;
    if (this.recent.length < RECENT_CALLS) {
      this.recent.push(call);
    } else {
      this.recent[this.next] = call;
      this.next = (this.next + 1) % RECENT_CALLS;
    }
  }

  snapshot(): SandboxCounters['calls'] & { recent: SandboxCallRecord[] } {
    return {
      total: this.total,
      byOperation: { ...this.byOperation },
      byCustomer: { ...this.byCustomer },
      byCode: { ...this.byCode },
      recent: [...this.recent.slice(this.next), ...this.recent.slice(0, this.next)].map((call) => ({
        ...call,
      })),
    };
  }

  reset(): void {
    this.total = 0;
    this.byOperation = {};
    this.byCustomer = {};
    this.byCode = {};
    this.recent = [];
    this.next = 0;
  }
}

/**
 * A sliding one-second window per app key: a ring of the last `limit` admission times. A call is
 * refused when the oldest of them is less than a second old.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { times: Float64Array; next: number }>();

  constructor(private limit: number) {}

  /** 0 when admitted, else the milliseconds until a call would be admitted. */
  admit(key: string, now: number): number {
    if (this.limit === 0) return 0;
    let window = this.windows.get(key);
    if (!window) {
      window = { times: new Float64Array(this.limit).fill(-Infinity), next: 0 };
      this.windows.set(key, window);
    }
    const oldest = window.times[window.next];
    if (now - oldest < 1000) return 1000 - (now - oldest);
    window.times[window.next] = now;
    window.next = (window.next + 1) % this.limit;
    return 0;
  }

  setLimit(limit: number): void {
    if (limit !== this.limit) {
      this.limit = limit;
      this.windows.clear();
    }
  }

  reset(): void {
    this.windows.clear();
  }
}

/** Admitted calls per app key since start or reset, so a quota set at run time counts them too. */
export class Quota {
  private readonly used = new Map<string, number>();

  constructor(private limit: number) {}

  /** Whether one more call is allowed; counts it when it is (also with no limit set). */
  take(key: string): boolean {
    const used = this.used.get(key) ?? 0;
    if (this.limit > 0 && used >= this.limit) return false;
    this.used.set(key, used + 1);
    return true;
  }

  setLimit(limit: number): void {
    this.limit = limit;
  }

  reset(): void {
    this.used.clear();
  }
}
