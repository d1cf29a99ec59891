/**
 * The upstream rate limit shared through a real redis-server: replicas (here, limiters of their own
 * in one process, each with its own connection) never start more than the limit in any window
 * together, one busy replica may take the whole limit, and when Redis is down, paused or answers
 * garbage, each falls back on its own share without waiting on Redis, then uses Redis again.
 * The two-replica test over HTTP, with separate processes, is limiter.replicas.test.ts.
 */
import { SharedRedis } from '../../src/store/redis';
import { SharedRateLimiter } from '../../src/woori/shared-rate-limiter';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const LIMIT = 10;
const WINDOW_MS = 500;
const KEY = 'woori:upstream:starts:test';

let server: RedisServer;
const connections: SharedRedis[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(connections.map((redis) => redis.close()));
  await server.stop();
});

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A replica's limiter on a connection of its own, and the times of the starts it granted. */
async function replica(replicas = 2) {
  const redis = new SharedRedis({ url: server.url, commandTimeoutMs: 200, connectTimeoutMs: 500 });
  connections.push(redis);
  await until(() => redis.state === 'up', 'a connection');
  const fallbacks: boolean[] = [];
  const limiter = new SharedRateLimiter({
    redis,
    limit: LIMIT,
    replicas,
    windowMs: WINDOW_MS,
    key: KEY,
    now: () => performance.now(),
    onFallback: (fallback) => fallbacks.push(fallback),
  });
  const starts: number[] = [];
  const take = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await limiter.acquire();
      starts.push(performance.now());
    }
  };
  return { redis, limiter, starts, take, fallbacks };
}

/** The most starts within any `windowMs`. */
function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let last = 0, first = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

beforeEach(async () => {
  const redis = new SharedRedis({ url: server.url, commandTimeoutMs: 500, connectTimeoutMs: 500 });
  await until(() => redis.state === 'up', 'a connection');
  await redis.attempt((client) => client.del(KEY));
  await redis.close();
});

it('keeps two replicas together within the limit in any window', async () => {
  const [a, b] = [await replica(), await replica()];
  const started = performance.now();
  await Promise.all([a.take(20), b.take(20)]);
  const elapsed = performance.now() - started;
  // Redis's clock and ours tick alike; a few ms of margin for the round trip.
  expect(mostInAnyWindow([...a.starts, ...b.starts], WINDOW_MS - 10)).toBeLessThanOrEqual(LIMIT);
  // 40 starts at 10 a window: the last ones three windows after the first.
  expect(elapsed).toBeGreaterThanOrEqual(3 * WINDOW_MS - 20);
  expect(a.fallbacks).toEqual([]);
});

it('lets one busy replica take the whole limit while the other idles', async () => {
  const [busy] = [await replica(), await replica()];
  const started = performance.now();
  await busy.take(LIMIT);
  expect(performance.now() - started).toBeLessThan(WINDOW_MS / 2);
});

it('falls back on its share while Redis is down, and uses Redis again once it is back', async () => {
  const a = await replica();
  await a.take(1);
  await server.kill();
  await until(() => a.redis.state === 'down', 'Redis to be seen down');
  const started = performance.now();
  await a.take(12);
  const elapsed = performance.now() - started;
  expect(a.fallbacks).toEqual([true]);
  expect(a.limiter.inFallback).toBe(true);
  // Its share is 5 a window: 12 starts (and the one just before) take two more windows, no more.
  expect(mostInAnyWindow(a.starts.slice(1), WINDOW_MS - 10)).toBeLessThanOrEqual(LIMIT / 2);
  expect(elapsed).toBeGreaterThanOrEqual(2 * WINDOW_MS - 20);
  expect(elapsed).toBeLessThan(6 * WINDOW_MS);

  await server.restart();
  await until(() => a.redis.state === 'up', 'Redis to be back');
  // It tries Redis again a second after it last failed.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await a.take(1);
  expect(a.fallbacks).toEqual([true, false]);
  expect(await a.redis.attempt((client) => client.zcard(KEY))).toBe(1);
});

it('does not wait on a Redis that hangs for more than its command timeout, once a second', async () => {
  const a = await replica();
  await a.take(1);
  server.pause();
  try {
    const started = performance.now();
    await a.take(5);
    // One command timed out (200 ms); the rest went by the share without asking Redis.
    expect(performance.now() - started).toBeLessThan(WINDOW_MS + 400);
    expect(a.fallbacks).toEqual([true]);
  } finally {
    server.resume();
  }
});

it('treats a garbled log in Redis as no answer: its share, not an error', async () => {
  const a = await replica();
  await a.redis.attempt((client) => client.set(KEY, 'not a sorted set'));
  await a.take(3);
  expect(a.fallbacks).toEqual([true]);
  expect(a.starts).toHaveLength(3);
});
