import { PersistedQueryCache } from '../../src/cache/persisted-queries';
import { MemoryStore } from '../../src/store/memory-store';

const SECRET = 'the cache secret of these tests, 32+ chars';
const DOCUMENT = '{ account(number: "1002146788200") { number } }';

describe('PersistedQueryCache', () => {
  let now: number;
  let store: MemoryStore;
  let cache: PersistedQueryCache;
  beforeEach(() => {
    now = 1_000;
    store = new MemoryStore({ maxBytes: 1 << 20, maxEntryBytes: 4_096, now: () => now });
    cache = new PersistedQueryCache(store, {
      secret: SECRET,
      defaultTtlSeconds: 60,
      maxEntryBytes: 4_096,
      now: () => now,
    });
  });

  it('gives back a document by its hash, and forgets it when deleted', async () => {
    await cache.set('apq:abc', DOCUMENT);
    expect(await cache.get('apq:abc')).toBe(DOCUMENT);
    expect(await cache.get('apq:other')).toBeUndefined();
    await cache.delete('apq:abc');
    expect(await cache.get('apq:abc')).toBeUndefined();
  });

  it('keeps a document for its TTL, or the default TTL when Apollo sets none', async () => {
    await cache.set('apq:default', DOCUMENT);
    await cache.set('apq:short', DOCUMENT, { ttl: 10 });
    now += 10_001;
    expect(await cache.get('apq:short')).toBeUndefined();
    expect(await cache.get('apq:default')).toBe(DOCUMENT);
    now += 50_000;
    expect(await cache.get('apq:default')).toBeUndefined();
  });

  it('keeps documents sealed: the store holds neither the hash nor the text', async () => {
    const written: Buffer[] = [];
    const set = store.set.bind(store);
    store.set = async (key, value, ttl) => {
      written.push(Buffer.from(key), value);
      return set(key, value, ttl);
    };
    await cache.set('apq:abc123', DOCUMENT);
    const all = Buffer.concat(written);
    expect(all.includes(Buffer.from('1002146788200'))).toBe(false);
    expect(all.includes(Buffer.from('abc123'))).toBe(false);
    // Under another CACHE_SECRET, the document is not found.
    const other = new PersistedQueryCache(store, {
      secret: `${SECRET}!`,
      defaultTtlSeconds: 60,
      maxEntryBytes: 4_096,
    });
    expect(await other.get('apq:abc123')).toBeUndefined();
  });

  it('does not keep a document over the entry limit', async () => {
    await cache.set('apq:big', `{ a ${'b '.repeat(3_000)}}`);
    expect(await cache.get('apq:big')).toBeUndefined();
  });
});
