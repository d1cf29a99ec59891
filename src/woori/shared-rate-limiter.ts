/**
 * The upstream's per-second limit shared by every replica through Redis: `WOORI_MAX_RPS` is then the
 * limit of all replicas together, since they share the app key.
 *
 * How: the same sliding log as {@link RateLimiter}, kept in Redis as a sorted set of start times,
 * taken by a small Lua script that runs atomically on the Redis server with Redis's own clock
 * (`TIME`), so that replicas whose clocks differ still count one timeline. A start is allowed when
 * fewer than `limit` starts lie in the last `windowMs`; otherwise the script answers how long until
 * the oldest leaves the window, and the caller waits that long (within its deadline) and asks again.
 * No sliding window ever holds more than `limit` starts, at any alignment: a fixed-window counter
 * (which is what `rate-limiter-flexible`'s Redis limiters keep: points per `duration` from the first
 * one) lets up to twice the limit through across a window's boundary. One busy replica may use the
 * whole limit while the others idle.
 *
 * Redis is an optimisation, never a point of failure: when it does not answer (down, slow, an
 * error), the replica falls back on its own share of the limit (`limit / replicas`, rounded down, at
 * least 1) and tries Redis again a second later, so that a slow Redis costs one command timeout per
 * second, not one per call. Starts made through Redis are also written in the local log, so that the
 * share knows what this replica has just started when it takes over.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { SharedRedis } from '../store/redis';
import { sleep } from './abortable';
import { DEFAULT_RATE_WINDOW_MS, RateLimiter, type StartLimiter } from './rate-limiter';

export interface SharedRateLimiterOptions {
  redis: SharedRedis;
  /** Starts allowed in any window over all replicas together. */
  limit: number;
  /** Replicas sharing the limit: the fallback is `limit / replicas`. */
  replicas: number;
  /** The window, ms. Default {@link DEFAULT_RATE_WINDOW_MS}. */
  windowMs?: number;
  /** The Redis key of the log; replicas that share a limit (an app key) share the key. */
  key: string;
  /** The policy's clock, ms (the fallback's limiter and the pause before trying Redis again). */
  now: () => number;
  /** Told when the replica falls back on its share (true) and when it uses Redis again (false). */
  onFallback?: (fallback: boolean) => void;
}

/** How long after Redis failed to answer the replica keeps to its own share, ms. */
const RETRY_REDIS_AFTER_MS = 1_000;

/**
 * KEYS[1]: the log. ARGV: limit, window (ms), this start's unique member.
 * Answers `{1, 0}` with the start taken, or `{0, ms}`: the wait until one may be.
 */
const TAKE_START = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, tonumber(oldest[2]) + window - now)}
`;

type TakeStart = (key: string, limit: number, windowMs: number, member: string) => Promise<[number, number]>;

export class SharedRateLimiter implements StartLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** This replica's own share, used while Redis does not answer; it also logs the Redis starts. */
  private readonly local: RateLimiter;
  private readonly replicaId = randomBytes(6).toString('base64url');
  private sequence = 0;
  private redisFailedAt = -Infinity;
  private fallingBack = false;
  /** Turns are asked one at a time, in order: the fair queue asks so, and so must anyone else. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SharedRateLimiterOptions) {
    const { limit, replicas, windowMs = DEFAULT_RATE_WINDOW_MS } = options;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`SharedRateLimiter needs a limit that is a positive integer, but got ${limit}`);
    }
    if (!Number.isSafeInteger(replicas) || replicas < 1) {
      throw new RangeError(`SharedRateLimiter needs replicas to be a positive integer, but got ${replicas}`);
    }
    this.limit = limit;
    this.windowMs = windowMs;
    this.local = new RateLimiter({
      limit: Math.max(1, Math.floor(limit / replicas)),
      windowMs,
      now: options.now,
    });
    defineTakeStart(options.redis.client);
  }

  /** Whether the replica keeps to its own share now, because Redis did not answer lately. */
  get inFallback(): boolean {
    return this.fallingBack;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    const mine = this.turn.then(() => this.take(signal));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async take(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.options.now() - this.redisFailedAt < RETRY_REDIS_AFTER_MS) {
        await this.local.acquire(signal);
        return;
      }
      const answer = await this.options.redis.attempt((client) =>
        (client as unknown as { wooriTakeStart: TakeStart }).wooriTakeStart(
          this.options.key,
          this.limit,
          this.windowMs,
          `${this.replicaId}:${this.sequence++}`,
        ),
      );
      const parsed = parseAnswer(answer);
      if (!parsed) {
        this.redisFailedAt = this.options.now();
        this.fallBack(true);
        continue;
      }
      this.fallBack(false);
      if (parsed.granted) {
        this.local.recordStart();
        return;
      }
      await sleep(parsed.waitMs, signal);
    }
  }

  private fallBack(fallback: boolean): void {
    if (fallback === this.fallingBack) return;
    this.fallingBack = fallback;
    try {
      this.options.onFallback?.(fallback);
    } catch {
      // A log or metrics hook must not break the limiter.
    }
  }
}

/** The script's answer, or undefined when Redis gave none or garbage (treated as no answer). */
function parseAnswer(answer: unknown): { granted: boolean; waitMs: number } | undefined {
  if (!Array.isArray(answer) || answer.length !== 2) return undefined;
  const [granted, waitMs] = answer.map(Number);
  if ((granted !== 0 && granted !== 1) || !Number.isFinite(waitMs) || waitMs < 0 || waitMs > 60_000) {
    return undefined;
  }
  return { granted: granted === 1, waitMs };
}

/** Teaches the client the script once (EVALSHA, loading it again after a Redis restart). */
function defineTakeStart(client: Redis): void {
  if ('wooriTakeStart' in client) return;
  client.defineCommand('wooriTakeStart', { numberOfKeys: 1, lua: TAKE_START });
}
