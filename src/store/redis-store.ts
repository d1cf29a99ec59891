import type { SharedRedis } from './redis';
import type { KeyValueStore } from './store';

export interface RedisStoreOptions {
  /** Values larger than this are not sent. */
  maxEntryBytes: number;
}

/** Deletes KEYS[1] only while it holds ARGV[1], atomically: a lock released by its owner only. */
const DELETE_IF_HOLDS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * The store every replica shares, over the process's one Redis connection. Redis down, slow or
 * answering with an error is a miss (`SharedRedis.attempt`), never a failure; so is a value of
 * another type than expected.
 */
export class RedisStore implements KeyValueStore {
  readonly shared = true;

  constructor(
    private readonly redis: SharedRedis,
    private readonly options: RedisStoreOptions,
  ) {}

  async get(key: string): Promise<Buffer | undefined> {
    const value = await this.redis.attempt((client) => client.getBuffer(key));
    return value instanceof Buffer ? value : undefined;
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<boolean> {
    if (ttlMs <= 0 || value.byteLength > this.options.maxEntryBytes) return false;
    const answer = await this.redis.attempt((client) => client.set(key, value, 'PX', Math.ceil(ttlMs)));
    return answer === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.attempt((client) => client.del(key));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean | undefined> {
    const answer = await this.redis.attempt((client) =>
      client.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
    );
    if (answer === undefined) return undefined;
    return answer === 'OK';
  }

  async deleteIfHolds(key: string, value: string): Promise<void> {
    await this.redis.attempt((client) => client.eval(DELETE_IF_HOLDS, 1, key, value));
  }

  async has(key: string): Promise<boolean | undefined> {
    const count = await this.redis.attempt((client) => client.exists(key));
    return count === undefined ? undefined : count > 0;
  }
}
