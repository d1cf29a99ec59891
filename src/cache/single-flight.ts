/**
 * Identical upstream calls in flight at the same time become one: same customer, same operation,
 * same input. On one replica, later callers wait for the first one's promise. Across replicas that
 * share a store (Redis), the first one takes a lock (`SET key token NX PX ms`) and the others wait,
 * bounded, for its answer to appear in the cache; when it does not (the holder failed, is slow, or
 * the answer was not cacheable), they call the upstream themselves.
 *
 * Every waiter honours its own signal: a request that is cancelled or reaches its deadline stops
 * waiting at once, whatever the call it waits for is doing. Errors are shared with the waiters of
 * the same replica (an identical call would fail the same way) but never stored; when the first
 * caller's own request went away, its waiters call again instead.
 */
import { randomUUID } from 'node:crypto';
import { abortable, sleep } from '../woori/abortable';
import type { KeyValueStore } from '../store/store';

export interface Flight<T> {
  /** What makes calls identical: the customer, the operation and its input (no secret in clear). */
  key: string;
  /** Whether the caller may take another caller's answer (not when it asked for a fresh one). */
  join: boolean;
  /** The caller's signal: its wait ends when it aborts. */
  signal?: AbortSignal;
  /**
   * The answer another replica stored in the shared cache, when there is one. Absent: the answer
   * is not shared through the store (not cacheable), so no lock is taken.
   */
  lookup?: () => Promise<T | undefined>;
  /** Makes the call (and stores its answer); run by one caller at a time per key and replica. */
  call: () => Promise<T>;
}

/** How a flight's answer reached its caller. */
export interface Landed<T> {
  value: T;
  /** Taken from another caller (in flight on this replica, or stored by another replica). */
  shared: boolean;
}

export interface SingleFlightOptions {
  /** The store that replicas share; a store that is not shared takes no locks. */
  store: KeyValueStore;
  /** How long a lock is held at most, and how long others wait for its holder's answer. */
  waitMs: number;
  /** The first pause between two looks for another replica's answer (doubling up to 100 ms). */
  firstPollMs?: number;
}

interface Running {
  promise: Promise<unknown>;
  signal?: AbortSignal;
}

const MAX_POLL_MS = 100;

export class SingleFlight {
  private readonly running = new Map<string, Running>();
  private readonly firstPollMs: number;

  constructor(private readonly options: SingleFlightOptions) {
    this.firstPollMs = options.firstPollMs ?? 10;
  }

  /** Calls in flight on this replica now. */
  get size(): number {
    return this.running.size;
  }

  async run<T>(flight: Flight<T>): Promise<Landed<T>> {
    const existing = this.running.get(flight.key);
    if (existing && flight.join) {
      try {
        const landed = (await abortable(existing.promise, flight.signal)) as Landed<T>;
        return { value: landed.value, shared: true };
      } catch (error) {
        // The first caller's request went away (its own signal): its failure is not ours.
        if (flight.signal?.aborted || !existing.signal?.aborted) throw error;
      }
    }
    const promise = this.lead(flight);
    if (!this.running.has(flight.key)) {
      const entry: Running = { promise, signal: flight.signal };
      this.running.set(flight.key, entry);
      const forget = (): void => {
        if (this.running.get(flight.key) === entry) this.running.delete(flight.key);
      };
      promise.then(forget, forget);
    }
    return promise;
  }

  private async lead<T>(flight: Flight<T>): Promise<Landed<T>> {
    const { store, waitMs } = this.options;
    if (!store.shared || !flight.lookup) return { value: await flight.call(), shared: false };
    const lockKey = `${flight.key}.lock`;
    const holder = randomUUID();
    const taken = await store.setIfAbsent(lockKey, holder, waitMs);
    if (taken === false && flight.join) {
      const found = await this.waitFor(lockKey, flight.lookup, flight.signal);
      if (found !== undefined) return { value: found, shared: true };
    }
    try {
      return { value: await flight.call(), shared: false };
    } finally {
      if (taken) await store.deleteIfHolds(lockKey, holder);
    }
  }

  /** Another replica's answer, once stored; undefined when its lock goes or the wait is over. */
  private async waitFor<T>(
    lockKey: string,
    lookup: () => Promise<T | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<T | undefined> {
    const until = Date.now() + this.options.waitMs;
    let pause = this.firstPollMs;
    while (Date.now() < until) {
      await sleep(Math.min(pause, Math.max(1, until - Date.now())), signal);
      pause = Math.min(pause * 2, MAX_POLL_MS);
      const found = await lookup();
      if (found !== undefined) return found;
      // Released without an answer (failed, or not cacheable), or the store cannot say.
      if ((await this.options.store.has(lockKey)) !== true) return lookup();
    }
    return undefined;
  }
}
