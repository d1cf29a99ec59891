import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from './store';

export interface MemoryStoreOptions {
  /** The bound of everything held, keys included, in bytes. */
  maxBytes: number;
  /** Values larger than this are not kept, so that one answer cannot push out all the others. */
  maxEntryBytes: number;
  /** The clock of expiry, in ms (default `performance.now`): tests pass a fake one. */
  now?: () => number;
}

/**
 * The store of one process: an LRU bounded by bytes (lru-cache's `maxSize`), so that what it holds
 * is bounded however large the answers; the least recently used entries go first. Nothing it holds
 * is seen by another replica (`shared: false`).
 */
export class MemoryStore implements KeyValueStore {
  readonly shared = false;
  private readonly entries: LRUCache<string, Buffer> | null;

  constructor(options: MemoryStoreOptions) {
    const now = options.now ?? (() => performance.now());
    this.entries =
      options.maxBytes > 0
        ? new LRUCache<string, Buffer>({
            maxSize: options.maxBytes,
            maxEntrySize: Math.min(options.maxEntryBytes, options.maxBytes),
            sizeCalculation: (value, key) => Math.max(1, value.byteLength + key.length),
            perf: { now },
            ttlResolution: 0,
            // Expired entries are dropped when next seen, and by the LRU's own bound.
            ttlAutopurge: false,
          })
        : null;
  }

  /** Bytes held now, keys included. */
  get size(): number {
    return this.entries?.calculatedSize ?? 0;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.entries?.get(key);
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<boolean> {
    if (!this.entries || ttlMs <= 0) return false;
    this.entries.set(key, value, { ttl: ttlMs });
    return this.entries.has(key);
  }

  async delete(key: string): Promise<void> {
    this.entries?.delete(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean | undefined> {
    if (!this.entries) return undefined;
    if (this.entries.has(key)) return false;
    return this.set(key, Buffer.from(value), ttlMs);
  }

  async deleteIfHolds(key: string, value: string): Promise<void> {
    if (this.entries?.get(key)?.toString() === value) this.entries.delete(key);
  }

  async has(key: string): Promise<boolean | undefined> {
    return this.entries ? this.entries.has(key) : undefined;
  }
}
