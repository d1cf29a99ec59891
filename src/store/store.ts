/**
 * A key-value store of byte values that expire: what the answer cache, in-flight de-duplication and
 * persisted queries keep, in-process or in Redis. A store is an optimisation, never a point of
 * failure: no method throws, and a store that fails answers as if it held nothing.
 */
export interface KeyValueStore {
  /** Whether other processes see what this store holds (Redis), or only this one. */
  readonly shared: boolean;
  /** The value, or undefined when there is none, it expired, or the store failed. */
  get(key: string): Promise<Buffer | undefined>;
  /** Keeps `value` for `ttlMs`; false when it was not kept (larger than the store takes, or the store failed). */
  set(key: string, value: Buffer, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Keeps `value` for `ttlMs` only when `key` holds nothing: taking a lock. True when taken, false
   * when another holds it, undefined when the store could not say.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean | undefined>;
  /** Deletes `key` only while it holds `value`: releasing one's own lock, never another's. */
  deleteIfHolds(key: string, value: string): Promise<void>;
  /** Whether `key` holds a value; undefined when the store could not say. */
  has(key: string): Promise<boolean | undefined>;
}
