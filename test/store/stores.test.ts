/**
 * The store contract, held by both engines: the in-process LRU and Redis (a real redis-server).
 * Expiry is tested on the in-process engine with a clock of the test's own, and on Redis with a
 * short real TTL.
 */
import { MemoryStore } from '../../src/store/memory-store';
import { SharedRedis } from '../../src/store/redis';
import { RedisStore } from '../../src/store/redis-store';
import type { KeyValueStore } from '../../src/store/store';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

let server: RedisServer;
let redis: SharedRedis;

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = await startRedisServer();
  redis = new SharedRedis({ url: server.url, commandTimeoutMs: 500, connectTimeoutMs: 1_000 });
  await until(() => redis.state === 'up', 'Redis');
});
afterAll(async () => {
  await redis.close();
  await server.stop();
});

const engines: Array<[string, () => KeyValueStore]> = [
  ['MemoryStore', () => new MemoryStore({ maxBytes: 1 << 20, maxEntryBytes: 1 << 16 })],
  ['RedisStore', () => new RedisStore(redis, { maxEntryBytes: 1 << 16 })],
];

describe.each(engines)('%s', (_name, make) => {
  let store: KeyValueStore;
  let n = 0;
  const key = (what: string): string => `${_name}:${what}:${++n}`;
  beforeEach(() => {
    store = make();
  });

  it('keeps a value and gives it back byte for byte', async () => {
    const k = key('value');
    const value = Buffer.from([0, 1, 2, 255, 254, 0x1e, 0x1f]);
    expect(await store.set(k, value, 10_000)).toBe(true);
    expect(await store.get(k)).toEqual(value);
    expect(await store.has(k)).toBe(true);
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
    expect(await store.has(k)).toBe(false);
  });

  it('does not keep a value larger than its entry limit', async () => {
    const k = key('large');
    expect(await store.set(k, Buffer.alloc((1 << 16) + 1), 10_000)).toBe(false);
    expect(await store.get(k)).toBeUndefined();
  });

  it('takes a lock once, and lets only its holder release it', async () => {
    const k = key('lock');
    expect(await store.setIfAbsent(k, 'holder-a', 10_000)).toBe(true);
    expect(await store.setIfAbsent(k, 'holder-b', 10_000)).toBe(false);
    await store.deleteIfHolds(k, 'holder-b');
    expect(await store.has(k)).toBe(true);
    await store.deleteIfHolds(k, 'holder-a');
    expect(await store.has(k)).toBe(false);
    expect(await store.setIfAbsent(k, 'holder-b', 10_000)).toBe(true);
  });
});

describe('MemoryStore', () => {
  it('forgets a value once its time is up, on its own clock', async () => {
    let now = 1_000;
    const store = new MemoryStore({ maxBytes: 1 << 20, maxEntryBytes: 1 << 16, now: () => now });
    await store.set('k', Buffer.from('v'), 30_000);
    now += 29_999;
    expect(await store.get('k')).toEqual(Buffer.from('v'));
    now += 2;
    expect(await store.get('k')).toBeUndefined();
  });

  it('stays within its byte bound, dropping the least recently used first', async () => {
    const store = new MemoryStore({ maxBytes: 10_000, maxEntryBytes: 4_000 });
    for (let i = 0; i < 10; i++) await store.set(`k${i}`, Buffer.alloc(3_000), 60_000);
    expect(store.size).toBeLessThanOrEqual(10_000);
    expect(await store.get('k9')).toBeDefined();
    expect(await store.get('k0')).toBeUndefined();
  });

  it('holds nothing when its bound is 0', async () => {
    const store = new MemoryStore({ maxBytes: 0, maxEntryBytes: 1_024 });
    expect(await store.set('k', Buffer.from('v'), 1_000)).toBe(false);
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('RedisStore', () => {
  it('lets Redis expire a value', async () => {
    const store = new RedisStore(redis, { maxEntryBytes: 1_024 });
    expect(await store.set('expiring', Buffer.from('v'), 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.get('expiring')).toBeUndefined();
  });

  it('answers a key of another type as a miss', async () => {
    const store = new RedisStore(redis, { maxEntryBytes: 1_024 });
    await redis.attempt((c) => c.rpush('a-list', 'x'));
    expect(await store.get('a-list')).toBeUndefined();
  });

  it('answers misses, never errors, while Redis is down, and works again when it is back', async () => {
    const store = new RedisStore(redis, { maxEntryBytes: 1_024 });
    await store.set('survivor', Buffer.from('v'), 60_000);
    await server.kill();
    await until(() => redis.state === 'down', 'Redis down');
    expect(await store.get('survivor')).toBeUndefined();
    expect(await store.set('k', Buffer.from('v'), 1_000)).toBe(false);
    expect(await store.setIfAbsent('lock', 'me', 1_000)).toBeUndefined();
    expect(await store.has('k')).toBeUndefined();
    await expect(store.delete('k')).resolves.toBeUndefined();
    await expect(store.deleteIfHolds('lock', 'me')).resolves.toBeUndefined();
    await server.restart();
    await until(() => redis.state === 'up', 'Redis back');
    expect(await store.set('k', Buffer.from('again'), 60_000)).toBe(true);
    expect(await store.get('k')).toEqual(Buffer.from('again'));
  });
});
