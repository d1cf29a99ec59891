/**
 * A counting semaphore whose waiters queue first in, first out and leave the queue the moment their
 * signal aborts. The upstream policy uses one per request (its own cap) and one for the process
 * (the overall cap, with a bounded queue).
 */
import { BulkheadRejectedError } from 'cockatiel';

export interface SemaphoreOptions {
  /**
   * Callers that may wait at once; one more is refused at once with cockatiel's
   * `BulkheadRejectedError`, which the client classifies as UNAVAILABLE. Default: no bound.
   */
  maxQueue?: number;
}

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

export class Semaphore {
  readonly maxQueue: number;
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly capacity: number,
    { maxQueue = Infinity }: SemaphoreOptions = {},
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`Semaphore needs a capacity that is a positive integer, but got ${capacity}`);
    }
    if (maxQueue !== Infinity && (!Number.isSafeInteger(maxQueue) || maxQueue < 0)) {
      throw new RangeError(`Semaphore needs maxQueue to be 0 or more, but got ${maxQueue}`);
    }
    this.maxQueue = maxQueue;
  }

  /** Slots taken now. */
  get inUse(): number {
    return this.active;
  }

  /** Callers waiting for a slot now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with the signal's reason as soon
   * as it aborts (also when it already has), and with `BulkheadRejectedError` when the queue is full.
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.capacity && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.maxQueue) {
      return Promise.reject(new BulkheadRejectedError(this.capacity, this.maxQueue));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.handOver();
    };
  }

  private handOver(): void {
    while (this.active < this.capacity) {
      const next = this.waiters.shift();
      if (!next) return;
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
      this.active += 1;
      next.resolve(this.releaser());
    }
  }
}

interface Waiter {
  resolve: (release: Release) => void;
  signal?: AbortSignal;
  onAbort: (() => void) | undefined;
}
