/**
 * The way in to the upstream, shared by every request: a slot of the overall cap, then a start from
 * the rate limiter, handed out fairly between customers.
 *
 * Why fair: one request may make hundreds of upstream calls, and the upstream allows only a few a
 * second. First come, first served, one customer's flood would make everyone else's calls wait
 * behind all of it (a one-call request waited 11–14 s). So each customer (`context.customerKey`)
 * with calls waiting has a queue of its own, first in, first out, and the turns go round-robin
 * between those queues: a customer with one call waits for at most one turn of each other customer
 * that has calls waiting, however many they have.
 *
 * One dispatcher hands out the turns: it takes a free slot, then waits for the limiter's next start,
 * and only then picks whose turn it is, so that a turn always goes to a call that is still waiting.
 * With a limiter shared by replicas, the turns of this replica are fair and the limit holds for all.
 */
import { BulkheadRejectedError } from 'cockatiel';
import type { PolicyCall } from './api';
import type { StartLimiter } from './rate-limiter';
import type { Release } from './semaphore';

/** How a wait in the queue ended: with a start, its caller gone, or refused at once (queue full). */
export type WaitOutcome = 'started' | 'aborted' | 'rejected';

/** One wait in the queue, as metrics and logs see it. */
export interface QueueWait {
  outcome: WaitOutcome;
  waitedMs: number;
  call: PolicyCall;
}

export interface FairQueueOptions {
  /** Calls in flight at once, over all customers. */
  capacity: number;
  /**
   * Calls waiting for a slot (beyond those a free slot awaits) at most; one more is refused at once
   * with cockatiel's `BulkheadRejectedError`.
   */
  maxQueue: number;
  /** Gives the starts (a rate limit); null: a free slot is enough. */
  limiter: StartLimiter | null;
  /** The policy's clock, ms. */
  now: () => number;
  /** Told how each wait ended. Its exceptions are ignored. */
  onWait?: (wait: QueueWait) => void;
}

interface Waiter {
  call: PolicyCall;
  customer: string;
  since: number;
  resolve: (release: Release) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class FairQueue {
  /** Each customer's waiting calls, oldest first; the Map's order is the round-robin order. */
  private readonly queues = new Map<string, Waiter[]>();
  private waitingCount = 0;
  private active = 0;
  private dispatching = false;
  /**
   * Ends the dispatcher's wait for the limiter once nobody waits any more. Kept from one wait to
   * the next until it is used (a controller per call was measurable: bench/ANALYSIS.md).
   */
  private idle: AbortController | null = null;
  /** Whether the dispatcher is waiting for the limiter now. */
  private waitingForStart = false;

  constructor(private readonly options: FairQueueOptions) {
    if (!Number.isSafeInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(
        `FairQueue needs a capacity that is a positive integer, but got ${options.capacity}`,
      );
    }
  }

  /** Calls waiting now. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Calls holding a slot now. */
  get inUse(): number {
    return this.active;
  }

  /**
   * Resolves with a release function once `call` may start: it has a slot and a start from the
   * limiter. Rejects with the signal's reason as soon as it aborts, and with
   * `BulkheadRejectedError` when the queue is full.
   */
  acquire(call: PolicyCall, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const since = this.options.now();
    // Calls beyond the free slots wait for a slot: at most `maxQueue` of them.
    if (this.waitingCount + this.active >= this.options.capacity + this.options.maxQueue) {
      this.report({ outcome: 'rejected', waitedMs: 0, call });
      return Promise.reject(new BulkheadRejectedError(this.options.capacity, this.options.maxQueue));
    }
    return new Promise<Release>((resolve, reject) => {
      const customer = call.context.customerKey ?? '';
      const waiter: Waiter = { call, customer, since, resolve, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.remove(waiter);
          this.report({ outcome: 'aborted', waitedMs: this.options.now() - since, call });
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      const queue = this.queues.get(customer);
      if (queue) queue.push(waiter);
      else this.queues.set(customer, [waiter]);
      this.waitingCount += 1;
      this.dispatch();
    });
  }

  /** Hands out turns while calls wait and slots are free; one dispatcher at a time. */
  private dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    void this.dispatchLoop().finally(() => {
      this.dispatching = false;
      // Calls that arrived after the loop saw the queue empty, or a slot freed as it ended.
      if (this.waitingCount > 0 && this.active < this.options.capacity) this.dispatch();
    });
  }

  private async dispatchLoop(): Promise<void> {
    while (this.waitingCount > 0 && this.active < this.options.capacity) {
      // The slot is taken before the turn: a start must not be given to a call that then waits.
      this.active += 1;
      if (this.options.limiter) {
        if (!this.idle || this.idle.signal.aborted) this.idle = new AbortController();
        this.waitingForStart = true;
        try {
          await this.options.limiter.acquire(this.idle.signal);
        } catch {
          // Everyone left while the dispatcher waited: give the slot back and stop.
          this.active -= 1;
          return;
        } finally {
          this.waitingForStart = false;
        }
      }
      const waiter = this.next();
      if (!waiter) {
        // The turn found nobody (they left just as it came): it is lost, as a start not made.
        this.active -= 1;
        return;
      }
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      this.report({ outcome: 'started', waitedMs: this.options.now() - waiter.since, call: waiter.call });
      waiter.resolve(this.releaser());
    }
  }

  /** The next waiter, round-robin over customers: the first customer's oldest call; it goes last. */
  private next(): Waiter | undefined {
    const first = this.queues.entries().next();
    if (first.done) return undefined;
    const [customer, queue] = first.value;
    const waiter = queue.shift()!;
    this.queues.delete(customer);
    if (queue.length > 0) this.queues.set(customer, queue);
    this.waitingCount -= 1;
    return waiter;
  }

  private remove(waiter: Waiter): void {
    const queue = this.queues.get(waiter.customer);
    const index = queue ? queue.indexOf(waiter) : -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    if (queue.length === 0) this.queues.delete(waiter.customer);
    this.waitingCount -= 1;
    if (this.waitingCount === 0 && this.waitingForStart) this.idle?.abort();
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.dispatch();
    };
  }

  private report(wait: QueueWait): void {
    try {
      this.options.onWait?.(wait);
    } catch {
      // A metrics or log hook must not break the queue.
    }
  }
}
