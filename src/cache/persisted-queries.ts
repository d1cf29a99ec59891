/**
 * Automatic persisted queries (Apollo's APQ) kept where the answer cache keeps its entries: in
 * Redis when replicas share one (a query registered through one replica runs by hash through the
 * others), in this process's bounded LRU otherwise.
 *
 * A document may hold literals (an account number in `account(number: "…")`), so documents are
 * sealed like answers, under a key derived from CACHE_SECRET alone (they are shared by every
 * customer), and named by an HMAC of their hash: a dump of Redis shows neither.
 */
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { KeyValueStore } from '../store/store';
import { CustomerVault, EntryKind } from './vault';

export interface PersistedQueryCacheOptions {
  /** CACHE_SECRET. */
  secret: string;
  /** How long a document is kept when Apollo sets no TTL, seconds. */
  defaultTtlSeconds: number;
  /** Documents larger than this are not kept (their clients send the text again). */
  maxEntryBytes: number;
  now?: () => number;
}

/** Apollo's `persistedQueries.cache` over a `KeyValueStore`: failures are misses, never errors. */
export class PersistedQueryCache implements KeyValueCache<string> {
  private readonly vault: CustomerVault;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: PersistedQueryCacheOptions,
  ) {
    // Not a customer's: the "token" is a fixed label, and the keys come from CACHE_SECRET.
    this.vault = new CustomerVault('apq', 'automatic persisted queries', options.secret);
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<string | undefined> {
    const storageKey = this.vault.key('document', key);
    const sealed = await this.store.get(storageKey);
    return sealed && this.vault.open(storageKey, EntryKind.document, sealed)?.payload.toString('utf8');
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const storageKey = this.vault.key('document', key);
    const sealed = this.vault.seal(storageKey, EntryKind.document, this.now(), Buffer.from(value));
    if (sealed.byteLength > this.options.maxEntryBytes) return;
    const ttlSeconds = options?.ttl ?? this.options.defaultTtlSeconds;
    await this.store.set(storageKey, sealed, ttlSeconds * 1000);
  }

  async delete(key: string): Promise<void> {
    await this.store.delete(this.vault.key('document', key));
  }
}
