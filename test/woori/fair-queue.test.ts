/**
 * The fair queue on jest's fake clock: turns go round-robin between customers, within the overall
 * cap and the rate limiter; waits end at their signal and are reported with their outcome.
 */
import { BulkheadRejectedError } from 'cockatiel';
import { sleep } from '../../src/woori/abortable';
import type { PolicyCall } from '../../src/woori/api';
import { FairQueue, type QueueWait } from '../../src/woori/fair-queue';
import { RateLimiter, type StartLimiter } from '../../src/woori/rate-limiter';
import type { Release } from '../../src/woori/semaphore';
import { DEVICE } from './fixtures';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

function callOf(customerKey: string | undefined, key = '1002146788200'): PolicyCall {
  return { operation: 'getAccountBasics', key, context: { token: 't', device: DEVICE, customerKey } };
}

function queueWith(options: { capacity?: number; maxQueue?: number; limiter?: StartLimiter | null } = {}) {
  const waits: QueueWait[] = [];
  const queue = new FairQueue({
    capacity: options.capacity ?? 64,
    maxQueue: options.maxQueue ?? 10_000,
    limiter:
      options.limiter === undefined ? new RateLimiter({ limit: 10, now: () => Date.now() }) : options.limiter,
    now: () => Date.now(),
    onWait: (wait) => waits.push(wait),
  });
  return { queue, waits };
}

/** Acquires for `call`, holds the slot `holdMs`, and records when it started and for whom. */
function run(queue: FairQueue, call: PolicyCall, starts: Array<{ at: number; who?: string }>, holdMs = 10) {
  return queue.acquire(call).then(async (release: Release) => {
    starts.push({ at: Date.now(), who: call.context.customerKey });
    await sleep(holdMs);
    release();
  });
}

it('gives a customer with one call a turn before another customer’s hundreds', async () => {
  const { queue } = queueWith();
  const starts: Array<{ at: number; who?: string }> = [];
  const flood = Array.from({ length: 300 }, () => run(queue, callOf('flooder'), starts));
  await jest.advanceTimersByTimeAsync(3000);
  const victim = run(queue, callOf('victim'), starts);
  await jest.advanceTimersByTimeAsync(1200);
  const victimStart = starts.find((start) => start.who === 'victim');
  // It arrived at 3000 ms, behind ~270 calls of the flooder: it starts at the next turn (3300 ms).
  expect(victimStart?.at).toBe(3300);
  expect(starts.filter((start) => start.at < 3300 && start.who === 'flooder')).toHaveLength(30);
  await jest.advanceTimersByTimeAsync(60_000);
  await Promise.all([...flood, victim]);
});

it('takes turns round-robin between every customer with calls waiting, first in first out within one', async () => {
  const { queue } = queueWith({
    limiter: new RateLimiter({ limit: 1, windowMs: 100, now: () => Date.now() }),
  });
  const order: string[] = [];
  const calls = [
    ...['a1', 'a2', 'a3', 'a4'].map((id) => ({ id, customer: 'a' })),
    ...['b1', 'b2'].map((id) => ({ id, customer: 'b' })),
    { id: 'c1', customer: 'c' },
  ].map(({ id, customer }) =>
    queue.acquire(callOf(customer)).then((release) => {
      order.push(id);
      release();
    }),
  );
  await jest.advanceTimersByTimeAsync(1000);
  await Promise.all(calls);
  expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
});

it('keeps calls in flight within its capacity, without a limiter', async () => {
  const { queue } = queueWith({ capacity: 3, limiter: null });
  let inFlight = 0;
  let most = 0;
  const calls = Array.from({ length: 12 }, (_, i) =>
    queue.acquire(callOf(`c${i % 4}`)).then(async (release) => {
      most = Math.max(most, ++inFlight);
      await sleep(50);
      inFlight -= 1;
      release();
    }),
  );
  await jest.advanceTimersByTimeAsync(1000);
  await Promise.all(calls);
  expect(most).toBe(3);
  expect(queue.inUse).toBe(0);
});

it('lets a waiter leave the moment its signal aborts, and gives its turn to the next', async () => {
  const { queue, waits } = queueWith({
    limiter: new RateLimiter({ limit: 1, windowMs: 1000, now: () => Date.now() }),
  });
  const first = await queue.acquire(callOf('a'));
  const controller = new AbortController();
  const leaving = expect(queue.acquire(callOf('b'), controller.signal)).rejects.toThrow('gone');
  const staying = queue.acquire(callOf('c'));
  setTimeout(() => controller.abort(new Error('gone')), 300);
  await jest.advanceTimersByTimeAsync(300);
  await leaving;
  await jest.advanceTimersByTimeAsync(700);
  const release = await staying;
  release();
  first();
  expect(waits.map((wait) => [wait.outcome, wait.call.context.customerKey, wait.waitedMs])).toEqual([
    ['started', 'a', 0],
    ['aborted', 'b', 300],
    ['started', 'c', 1000],
  ]);
});

it('gives the slot back when everyone left while it waited for the limiter', async () => {
  const { queue } = queueWith({
    capacity: 1,
    limiter: new RateLimiter({ limit: 1, windowMs: 1000, now: () => Date.now() }),
  });
  (await queue.acquire(callOf('a')))();
  const controller = new AbortController();
  const leaving = queue.acquire(callOf('b'), controller.signal);
  controller.abort(new Error('gone'));
  await expect(leaving).rejects.toThrow('gone');
  await jest.advanceTimersByTimeAsync(0);
  expect(queue.inUse).toBe(0);
  const next = queue.acquire(callOf('c'));
  await jest.advanceTimersByTimeAsync(1000);
  (await next)();
  expect(queue.inUse).toBe(0);
});

it('refuses a call at once when more than maxQueue wait for a slot, and says so', async () => {
  const { queue, waits } = queueWith({ capacity: 1, maxQueue: 2, limiter: null });
  const held = await queue.acquire(callOf('a'));
  const waiting = [queue.acquire(callOf('b')), queue.acquire(callOf('c'))];
  await expect(queue.acquire(callOf('d'))).rejects.toBeInstanceOf(BulkheadRejectedError);
  expect(waits.at(-1)).toMatchObject({ outcome: 'rejected', waitedMs: 0 });
  held();
  (await waiting[0])();
  (await waiting[1])();
});

it('treats calls without a customer key as one customer', async () => {
  const { queue } = queueWith({
    limiter: new RateLimiter({ limit: 1, windowMs: 100, now: () => Date.now() }),
  });
  const order: string[] = [];
  const calls = ['x1', 'x2', 'k1'].map((id) =>
    queue.acquire(callOf(id === 'k1' ? 'k' : undefined)).then((release) => {
      order.push(id);
      release();
    }),
  );
  await jest.advanceTimersByTimeAsync(1000);
  await Promise.all(calls);
  expect(order).toEqual(['x1', 'k1', 'x2']);
});
