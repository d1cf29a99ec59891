/**
 * A counting semaphore whose waiters queue first in, first out and leave the queue the moment their
 * signal aborts. The per-request cap on concurrent upstream calls is one of these per request.
 *
 * Not cockatiel's `bulkhead`: a call queued there stays queued after its signal aborts (it is only
 * checked once a slot frees), and a request's deadline must end its waits at once.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`Semaphore needs a capacity that is a positive integer, but got ${capacity}`);
    }
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
   * Resolves with a release function once a slot is free; rejects with the signal's reason as soon
   * as it aborts (also when it already has). Releasing twice releases once.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.capacity && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
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

  /** Runs `task` in a slot, releasing it however the task ends. */
  async run<T>(task: () => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
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
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort: (() => void) | undefined;
}
