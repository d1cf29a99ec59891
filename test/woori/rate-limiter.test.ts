import { RateLimiter as SandboxRateLimiter } from '../../src/sandbox/gateway';
import { DEFAULT_RATE_WINDOW_MS, RateLimiter } from '../../src/woori/rate-limiter';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

/** A limiter on jest's fake clock, and the times at which its callers were let through. */
function limiterFor(limit: number, windowMs = 1000) {
  const limiter = new RateLimiter({ limit, windowMs, now: () => Date.now() });
  const starts: number[] = [];
  const start = (signal?: AbortSignal) => limiter.acquire(signal).then(() => starts.push(Date.now()));
  return { limiter, starts, start };
}

describe('RateLimiter', () => {
  it('lets `limit` calls start at once and holds the next until the oldest start leaves the window', async () => {
    const { starts, start } = limiterFor(3);
    const all = Promise.all(Array.from({ length: 7 }, () => start()));
    await jest.advanceTimersByTimeAsync(2500);
    await all;
    expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('lets waiting callers through first in, first out', async () => {
    const { limiter } = limiterFor(1);
    const order: number[] = [];
    const all = Promise.all([0, 1, 2, 3].map((i) => limiter.acquire().then(() => order.push(i))));
    await jest.advanceTimersByTimeAsync(3000);
    await all;
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('gives a waiting caller up the moment its signal aborts, and its turn goes to the next', async () => {
    const { limiter, starts, start } = limiterFor(1);
    await start();
    const controller = new AbortController();
    const dropped = limiter.acquire(controller.signal);
    const next = start();
    await jest.advanceTimersByTimeAsync(100);
    controller.abort(new Error('deadline'));
    await expect(dropped).rejects.toThrow('deadline');
    expect(limiter.waiting).toBe(1);
    await jest.advanceTimersByTimeAsync(900);
    await next;
    expect(starts).toEqual([0, 1000]);
  });

  it('never admits more than `limit` starts in any window, whatever the arrival pattern', async () => {
    const { starts, start } = limiterFor(5, 1100);
    const pending: Promise<unknown>[] = [];
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 300;
    for (let i = 0; i < 60; i++) {
      pending.push(start());
      await jest.advanceTimersByTimeAsync(Math.floor(random()));
    }
    await jest.advanceTimersByTimeAsync(20_000);
    await Promise.all(pending);
    expect(starts).toHaveLength(60);
    for (let i = 5; i < starts.length; i++) expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(1100);
  });

  it("keeps within the sandbox's own sliding second when arrivals jitter by up to 99 ms", async () => {
    const limit = 20;
    const { starts, start } = limiterFor(limit, DEFAULT_RATE_WINDOW_MS);
    const pending = Array.from({ length: 200 }, () => start());
    await jest.advanceTimersByTimeAsync(15_000);
    await Promise.all(pending);
    // Each call reaches the upstream 0–99 ms after it starts, the first of a window the latest.
    let seed = 11;
    const delay = () => (seed = (seed * 48271) % 2147483647) % 100;
    const arrivals = starts.map((at, i) => at + (i % limit === 0 ? 99 : delay())).sort((a, b) => a - b);
    const upstream = new SandboxRateLimiter(limit);
    expect(arrivals.map((at) => upstream.admit('app', at))).toEqual(arrivals.map(() => 0));
  });

  it('names the bad option', () => {
    expect(() => new RateLimiter({ limit: 0 })).toThrow('limit');
  });
});
