/**
 * The one Redis connection of a replica, shared by everything that replicas share through Redis
 * (the answer cache, the upstream rate limit, in-flight de-duplication, persisted queries).
 *
 * Redis is an optimisation, never a point of failure. So commands fail fast instead of waiting:
 * no offline queue (a command sent while disconnected fails at once rather than piling up), a
 * short command timeout, no per-command retries. The client reconnects in the background for as
 * long as the process lives, and every user treats a failed command as "no answer": a cache miss,
 * the per-replica share of the rate limit, a call made without waiting for another replica.
 */
import Redis from 'ioredis';

/** `up`: commands are being answered. `down`: disconnected, or the last command failed or timed out. */
export type RedisState = 'up' | 'down';

export interface SharedRedisOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** How long one command may take before it counts as failed. */
  commandTimeoutMs: number;
  /** How long one connection attempt may take. */
  connectTimeoutMs: number;
  /** Told of every change between `up` and `down`. Its exceptions are ignored. */
  onStateChange?: (state: RedisState, reason: string) => void;
  /** Told of every failed command (the input of the error metric). Its exceptions are ignored. */
  onCommandError?: (error: Error) => void;
}

/** The longest pause between two reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** While Redis is slow, how often one command may test it again, ms. */
const PROBE_INTERVAL_MS = 1_000;

export class SharedRedis {
  readonly client: Redis;
  private current: RedisState = 'down';
  /** A command is testing a Redis that timed out; the others do not wait for it. */
  private probing = false;
  /** While Redis is slow: when the next command may test it (`performance.now()`). */
  private nextProbeAt = 0;

  constructor(private readonly options: SharedRedisOptions) {
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      // Reconnect forever, a little slower each time: Redis coming back must be picked up
      // without a restart.
      retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
      // Commands of one event-loop turn go in one round trip.
      enableAutoPipelining: true,
      lazyConnect: false,
    });
    this.client.on('ready', () => this.become('up', 'connected'));
    this.client.on('close', () => this.become('down', 'connection closed'));
    // Connection errors are reported through the state; an 'error' event without a listener
    // would crash the process.
    this.client.on('error', () => undefined);
  }

  /** Whether Redis answered lately. */
  get state(): RedisState {
    return this.current;
  }

  /**
   * Runs one or more commands on the client. Resolves `undefined` when Redis is down, slow or
   * answers with an error: the caller goes on without it. While Redis is slow (its last command
   * timed out on an open connection), one command a second tests it and the others resolve
   * `undefined` at once, so that a hanging Redis costs a request at most one command timeout, not
   * one per command.
   */
  async attempt<T>(command: (client: Redis) => Promise<T>): Promise<T | undefined> {
    if (this.client.status !== 'ready') return undefined;
    const probe = this.current === 'down';
    if (probe) {
      if (this.probing || performance.now() < this.nextProbeAt) return undefined;
      this.probing = true;
    }
    try {
      const answer = await command(this.client);
      this.become('up', 'answered');
      return answer;
    } catch (error) {
      this.failed(error);
      return undefined;
    } finally {
      if (probe) this.probing = false;
    }
  }

  /** Closes the connection; later commands resolve `undefined`. */
  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private failed(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    try {
      this.options.onCommandError?.(err);
    } catch {
      // A metrics or log hook must not turn a Redis failure into a request failure.
    }
    // A timed-out command on a connection that still looks open: Redis is slow. Say so, so that
    // readiness reports it; the next answered command brings the state back.
    if (/timed out/i.test(err.message)) {
      this.nextProbeAt = performance.now() + PROBE_INTERVAL_MS;
      this.become('down', 'command timed out');
    }
  }

  private become(state: RedisState, reason: string): void {
    if (state === this.current) return;
    this.current = state;
    try {
      this.options.onStateChange?.(state, reason);
    } catch {
      // As above.
    }
  }
}
