/**
 * What the upstream policy asks of a rate limiter: a turn to start one call. The policy's fair
 * queue asks for one turn at a time and gives it to whichever customer's turn it is; a limiter
 * shared by replicas fits behind it as well as {@link RateLimiter}.
 */
export interface StartLimiter {
  /**
   * Resolves when a call may start (the start is counted then); rejects with the signal's reason
   * the moment it aborts, and the caller's place goes to the next in line.
   */
  acquire(signal?: AbortSignal): Promise<void>;
}

/** How a {@link RateLimiter} counts. */
export interface RateLimiterOptions {
  /** Starts allowed in any window; a positive integer. */
  limit: number;
  /** The window, ms. Default {@link DEFAULT_RATE_WINDOW_MS}. */
  windowMs?: number;
  /** A monotonic clock in ms. Default `performance.now`. */
  now?: () => number;
}

/** One second and a margin of 100 ms for the difference in network delay between two calls. */
export const DEFAULT_RATE_WINDOW_MS = 1100;

/**
 * Keeps our call starts under the upstream's per-second limit by making callers wait, first in,
 * first out, so that this service never causes SYSCD03101 itself. Cockatiel has no rate limiter.
 *
 * The upstream counts in a sliding second of its own: it refuses a call when the call `limit`
 * admissions earlier arrived less than 1000 ms before. This limiter is the same sliding log, with a
 * longer window: at most `limit` starts in any `windowMs`. The extra time is for arrival jitter:
 * two of our starts `windowMs` apart still arrive at least 1000 ms apart as long as the network
 * delays of the two calls differ by less than `windowMs - 1000`. That holds for any alignment of
 * the upstream's window, which a fixed window here could not promise.
 */
export class RateLimiter implements StartLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  /** The last `limit` start times, a ring: `starts[next]` is the oldest. */
  private readonly starts: Float64Array;
  private next = 0;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RateLimiterOptions) {
    const { limit, windowMs = DEFAULT_RATE_WINDOW_MS } = options;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`RateLimiter needs a limit that is a positive integer, but got ${limit}`);
    }
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new RangeError(`RateLimiter needs a positive windowMs, but got ${windowMs}`);
    }
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = options.now ?? (() => performance.now());
    this.starts = new Float64Array(limit).fill(-Infinity);
  }

  /** Callers waiting for their turn now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves when the caller may start its call (the start is counted then); rejects with the
   * signal's reason as soon as it aborts, and the caller's place goes to the next in line.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.waitMs(this.now()) === 0) {
      this.take(this.now());
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          if (index === 0) this.schedule();
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      if (this.waiters.length === 1) this.schedule();
    });
  }

  /**
   * Counts a start made now that this limiter did not grant (one granted by a limiter shared with
   * other replicas), so that its log knows what this process has just started.
   */
  recordStart(): void {
    this.take(this.now());
  }

  /** 0 when a start is allowed at `now`, else the milliseconds until one is. */
  private waitMs(now: number): number {
    return Math.max(0, this.starts[this.next] + this.windowMs - now);
  }

  private take(now: number): void {
    this.starts[this.next] = now;
    this.next = (this.next + 1) % this.limit;
  }

  /** Lets in every waiter whose turn has come, then sleeps until the next one's turn. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (;;) {
      const head = this.waiters[0];
      if (!head) return;
      const now = this.now();
      const wait = this.waitMs(now);
      if (wait > 0) {
        // Timers may fire up to a millisecond early; the loop checks again when this one fires.
        this.timer = setTimeout(() => this.schedule(), Math.ceil(wait));
        return;
      }
      this.waiters.shift();
      if (head.signal && head.onAbort) head.signal.removeEventListener('abort', head.onAbort);
      this.take(now);
      head.resolve();
    }
  }
}

interface Waiter {
  resolve: () => void;
  signal?: AbortSignal;
  onAbort: (() => void) | undefined;
}
