/**
 * Identical calls in flight, on one replica (a map of promises) and across replicas that share a
 * real Redis (two SingleFlight instances, each with its own connection, as two processes would
 * have): one call, the others wait for its answer, bounded, each by its own signal.
 */
import { SingleFlight } from '../../src/cache/single-flight';
import { MemoryStore } from '../../src/store/memory-store';
import { SharedRedis } from '../../src/store/redis';
import { RedisStore } from '../../src/store/redis-store';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let server: RedisServer;
const connections: SharedRedis[] = [];

async function replicaStore(): Promise<RedisStore> {
  const redis = new SharedRedis({ url: server.url, commandTimeoutMs: 500, connectTimeoutMs: 1_000 });
  connections.push(redis);
  const end = Date.now() + 10_000;
  while (redis.state !== 'up') {
    if (Date.now() > end) throw new Error('Redis did not come up');
    await new Promise((r) => setTimeout(r, 20));
  }
  return new RedisStore(redis, { maxEntryBytes: 1 << 20 });
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const redis of connections) await redis.close();
  await server.stop();
});

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

let n = 0;
const key = (): string => `flight-test-${++n}`;

describe('on one replica', () => {
  const flights = new SingleFlight({
    store: new MemoryStore({ maxBytes: 1 << 20, maxEntryBytes: 1 << 16 }),
    waitMs: 1_000,
  });

  it('makes one call for identical callers, and shares its answer', async () => {
    let calls = 0;
    const answer = deferred<string>();
    const k = key();
    const run = () => flights.run({ key: k, join: true, call: () => (calls++, answer.promise) });
    const [a, b] = [run(), run()];
    answer.resolve('the answer');
    expect(await a).toEqual({ value: 'the answer', shared: false });
    expect(await b).toEqual({ value: 'the answer', shared: true });
    expect(calls).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('lets a caller that wants a fresh answer make its own call', async () => {
    let calls = 0;
    const k = key();
    const first = flights.run({ key: k, join: true, call: async () => (calls++, 'first') });
    const fresh = flights.run({ key: k, join: false, call: async () => (calls++, 'fresh') });
    expect((await fresh).value).toBe('fresh');
    expect((await first).value).toBe('first');
    expect(calls).toBe(2);
  });

  it('calls again for the waiters when the first caller went away, not when the call failed', async () => {
    const leaving = new AbortController();
    const k = key();
    const held = deferred<string>();
    const first = flights.run({ key: k, join: true, signal: leaving.signal, call: () => held.promise });
    let calls = 0;
    const waiter = flights.run({ key: k, join: true, call: async () => (calls++, 'own call') });
    leaving.abort(new Error('client went away'));
    held.reject(new Error('cancelled with its request'));
    await expect(first).rejects.toThrow('cancelled with its request');
    expect(await waiter).toEqual({ value: 'own call', shared: false });
    expect(calls).toBe(1);

    const k2 = key();
    const failing = deferred<string>();
    const a = flights.run({ key: k2, join: true, call: () => failing.promise });
    const b = flights.run({ key: k2, join: true, call: async () => 'never called' });
    failing.reject(new Error('SYSCD09999'));
    await expect(a).rejects.toThrow('SYSCD09999');
    await expect(b).rejects.toThrow('SYSCD09999');
  });

  it("ends a waiter's wait at its own signal", async () => {
    const k = key();
    const held = deferred<string>();
    const first = flights.run({ key: k, join: true, call: () => held.promise });
    const abort = new AbortController();
    const waiter = flights.run({ key: k, join: true, signal: abort.signal, call: async () => 'x' });
    abort.abort(new Error('deadline'));
    await expect(waiter).rejects.toThrow('deadline');
    held.resolve('late');
    expect((await first).value).toBe('late');
  });
});

describe('across replicas sharing Redis', () => {
  it('makes one call: the other replica waits for the answer to be stored, then takes it', async () => {
    const [storeA, storeB] = [await replicaStore(), await replicaStore()];
    const [a, b] = [storeA, storeB].map(
      (store) => new SingleFlight({ store, waitMs: 5_000, firstPollMs: 5 }),
    );
    const k = key();
    const stored = `${k}:answer`;
    let calls = 0;
    const call = (store: RedisStore) => async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 200));
      await store.set(stored, Buffer.from('the answer'), 10_000);
      return 'the answer';
    };
    const lookup = (store: RedisStore) => async () => (await store.get(stored))?.toString();
    const first = a.run({ key: k, join: true, lookup: lookup(storeA), call: call(storeA) });
    await new Promise((r) => setTimeout(r, 30));
    const second = b.run({ key: k, join: true, lookup: lookup(storeB), call: call(storeB) });
    expect(await first).toEqual({ value: 'the answer', shared: false });
    expect(await second).toEqual({ value: 'the answer', shared: true });
    expect(calls).toBe(1);
    expect(await storeA.has(`${k}.lock`)).toBe(false);
  });

  it('calls itself once the holder released its lock without an answer (failed, or too large to keep)', async () => {
    const [storeA, storeB] = [await replicaStore(), await replicaStore()];
    const [a, b] = [storeA, storeB].map(
      (store) => new SingleFlight({ store, waitMs: 5_000, firstPollMs: 5 }),
    );
    const k = key();
    const nothing = async () => undefined;
    const first = a.run({
      key: k,
      join: true,
      lookup: nothing,
      call: async () => {
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('upstream failed');
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const second = b.run({ key: k, join: true, lookup: nothing, call: async () => 'own answer' });
    await expect(first).rejects.toThrow('upstream failed');
    expect(await second).toEqual({ value: 'own answer', shared: false });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('waits at most waitMs for a holder that hangs, then calls itself', async () => {
    const [storeA, storeB] = [await replicaStore(), await replicaStore()];
    const a = new SingleFlight({ store: storeA, waitMs: 300, firstPollMs: 5 });
    const b = new SingleFlight({ store: storeB, waitMs: 300, firstPollMs: 5 });
    const k = key();
    const hung = deferred<string>();
    const nothing = async () => undefined;
    void a.run({ key: k, join: true, lookup: nothing, call: () => hung.promise });
    await new Promise((r) => setTimeout(r, 20));
    expect(await b.run({ key: k, join: true, lookup: nothing, call: async () => 'own answer' })).toEqual({
      value: 'own answer',
      shared: false,
    });
    hung.resolve('late');
  });

  it('calls at once while Redis is down', async () => {
    const store = await replicaStore();
    const flights = new SingleFlight({ store, waitMs: 5_000 });
    await server.kill();
    try {
      const end = Date.now() + 10_000;
      while ((await store.has('x')) !== undefined && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      expect(
        await flights.run({
          key: key(),
          join: true,
          lookup: async () => undefined,
          call: async () => 'answer',
        }),
      ).toEqual({
        value: 'answer',
        shared: false,
      });
    } finally {
      await server.restart();
      const end = Date.now() + 10_000;
      while (connections.some((r) => r.state !== 'up') && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
    }
  });
});
