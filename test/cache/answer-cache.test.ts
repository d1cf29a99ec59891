/**
 * The answer cache over the real sandbox (real HTTP, the real client), on an in-process store, with
 * a clock of the test's own: what is kept for how long, the two-part split, ranges served from
 * cached days, the size limit, unreadable entries, freshness, and identical calls in flight.
 * Upstream calls are read from the sandbox's own counters.
 */
import { AnswerCache, type AnswerCacheOptions, type CacheEvent } from '../../src/cache/answer-cache';
import type { Answers } from '../../src/cache/answers';
import { type RunningSandbox, SANDBOX_TOKENS, startSandbox } from '../../src/sandbox';
import { MemoryStore } from '../../src/store/memory-store';
import type { KeyValueStore } from '../../src/store/store';
import type { Freshness } from '../../src/woori/api';
import { createCallContext, type RequestCallContext } from '../../src/woori/call-context';
import { WooriClient } from '../../src/woori/client';
import { WooriError } from '../../src/woori/errors';
import { DEVICE, plainRows as plain } from '../woori/fixtures';

const TODAY = '2024-06-20';
const NOON_KST = Date.parse(`${TODAY}T12:00:00+09:00`);
const ACCOUNT = '1002146788200';
const SECRET = 'the cache secret of these tests, 32+ chars';
const LIVE_MS = 30_000;
const HISTORY_MS = 3_600_000;

/**
 * A real in-process store that remembers the keys written to it, so a test can spoil entries. With
 * `shared`, caches over one such store behave as replicas over one Redis.
 */
class WatchedStore implements KeyValueStore {
  readonly keys = new Set<string>();
  constructor(
    readonly inner: MemoryStore,
    readonly shared = false,
    /** Each read's answer takes this long to come back, as over a network: replicas' updates then overlap. */
    readonly readDelayMs = 0,
  ) {}
  async get(key: string) {
    const value = await this.inner.get(key);
    if (this.readDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.readDelayMs));
    return value;
  }
  async set(key: string, value: Buffer, ttlMs: number) {
    this.keys.add(key);
    return this.inner.set(key, value, ttlMs);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  setIfAbsent(key: string, value: string, ttlMs: number) {
    return this.inner.setIfAbsent(key, value, ttlMs);
  }
  deleteIfHolds(key: string, value: string) {
    return this.inner.deleteIfHolds(key, value);
  }
  has(key: string) {
    return this.inner.has(key);
  }
}

let sandbox: RunningSandbox;
let client: WooriClient;
let clock: number;
let events: CacheEvent[];
let store: WatchedStore;

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
  client = new WooriClient({
    baseUrl: sandbox.url,
    appKey: sandbox.credentials.appKey,
    secretKey: sandbox.credentials.secretKey,
    timeoutMs: 5_000,
  });
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.configure({ faults: [], stallMs: 60_000 });
  sandbox.reset();
  clock = NOON_KST;
  events = [];
});

function makeCache(options: Partial<AnswerCacheOptions> = {}, maxBytes = 64 << 20): AnswerCache {
  store = new WatchedStore(new MemoryStore({ maxBytes, maxEntryBytes: maxBytes, now: () => clock }));
  return new AnswerCache({
    store,
    secret: SECRET,
    liveTtlMs: LIVE_MS,
    historyTtlMs: HISTORY_MS,
    maxEntryBytes: 16 << 20,
    upstreamMaxSpanDays: 366,
    waitMs: 2_000,
    now: () => clock,
    onEvent: (event) => events.push(event),
    ...options,
  });
}

function request(
  cache: AnswerCache,
  {
    token = SANDBOX_TOKENS.demo,
    freshness,
    signal,
  }: { token?: string; freshness?: Freshness; signal?: AbortSignal } = {},
): { answers: Answers; ctx: RequestCallContext } {
  const ctx = createCallContext({ token, device: DEVICE, freshness, signal });
  return { answers: cache.forRequest(client, ctx), ctx };
}

/** The upstream calls since the last reset: operation and dates. */
function calls(): string[] {
  return sandbox
    .counters()
    .recent.map((c) =>
      [c.operation, c.accountNumber, c.asOf, c.from, c.to].filter((x) => x !== undefined).join(' '),
    );
}

describe('what is kept, and for how long', () => {
  it('serves the account list for CACHE_TTL_SECONDS, then asks the upstream again', async () => {
    const cache = makeCache();
    const first = await request(cache).answers.accounts();
    clock += LIVE_MS - 1;
    const { answers, ctx } = request(cache);
    const second = await answers.accounts();
    expect(second).toEqual(first);
    expect(ctx.stats).toMatchObject({ calls: 0, cacheHits: 1 });
    clock += 2;
    const third = await request(cache).answers.accounts();
    expect(third.fetchedAt).toBe(clock);
    expect(calls()).toEqual(['listAccounts', 'listAccounts']);
  });

  it('keeps basics as of a past date for the history TTL, and as of today for the live TTL', async () => {
    const cache = makeCache();
    await request(cache).answers.basics(ACCOUNT, '2024-06-19');
    await request(cache).answers.basics(ACCOUNT, TODAY);
    clock += LIVE_MS + 1;
    await request(cache).answers.basics(ACCOUNT, '2024-06-19');
    await request(cache).answers.basics(ACCOUNT, TODAY);
    clock += HISTORY_MS;
    await request(cache).answers.basics(ACCOUNT, '2024-06-19');
    expect(calls()).toEqual([
      `getAccountBasics ${ACCOUNT} 2024-06-19`,
      `getAccountBasics ${ACCOUNT} ${TODAY}`,
      `getAccountBasics ${ACCOUNT} ${TODAY}`,
      `getAccountBasics ${ACCOUNT} 2024-06-19`,
    ]);
  });

  it('keeps nothing of a kind whose TTL is 0', async () => {
    const cache = makeCache({ liveTtlMs: 0 });
    await request(cache).answers.accounts();
    await request(cache).answers.accounts();
    await request(cache).answers.basics(ACCOUNT, '2024-06-19');
    await request(cache).answers.basics(ACCOUNT, '2024-06-19');
    expect(calls()).toEqual(['listAccounts', 'listAccounts', `getAccountBasics ${ACCOUNT} 2024-06-19`]);
  });
});

describe('transaction ranges', () => {
  it('keeps a range with today as two parts: the next refresh fetches today only, with the same rows', async () => {
    const cache = makeCache();
    const fresh = await request(cache).answers.transactions(ACCOUNT, '2024-06-01', TODAY);
    expect(fresh.value.length).toBeGreaterThan(0);
    clock += LIVE_MS + 1;
    const { answers, ctx } = request(cache);
    const refreshed = await answers.transactions(ACCOUNT, '2024-06-01', TODAY);
    expect(plain(refreshed.value)).toEqual(plain(fresh.value));
    // The closed days come from the cache: the answer is as old as they are.
    expect(refreshed.fetchedAt).toBe(fresh.fetchedAt);
    expect(ctx.stats).toMatchObject({ calls: 1, cacheHits: 1 });
    clock += HISTORY_MS;
    await request(cache).answers.transactions(ACCOUNT, '2024-06-01', TODAY);
    expect(calls()).toEqual([
      `listTransactions ${ACCOUNT} 2024-06-01 ${TODAY}`,
      `listTransactions ${ACCOUNT} ${TODAY} ${TODAY}`,
      `listTransactions ${ACCOUNT} 2024-06-01 ${TODAY}`,
    ]);
  });

  it('serves a range from the cached days and fetches only the days not cached', async () => {
    const cache = makeCache();
    await request(cache).answers.transactions(ACCOUNT, '2024-05-10', '2024-05-20');
    await request(cache).answers.transactions(ACCOUNT, '2024-06-01', '2024-06-05');
    const { answers, ctx } = request(cache);
    const wide = await answers.transactions(ACCOUNT, '2024-05-01', '2024-06-10');
    expect(ctx.stats).toMatchObject({ calls: 3, cacheHits: 2 });
    expect(calls().slice(2).sort()).toEqual([
      `listTransactions ${ACCOUNT} 2024-05-01 2024-05-09`,
      `listTransactions ${ACCOUNT} 2024-05-21 2024-05-31`,
      `listTransactions ${ACCOUNT} 2024-06-06 2024-06-10`,
    ]);
    const direct = await client.listTransactions(
      createCallContext({ token: SANDBOX_TOKENS.demo, device: DEVICE }),
      ACCOUNT,
      '2024-05-01',
      '2024-06-10',
    );
    expect(plain(wide.value)).toEqual(plain(direct));
  });

  it('keeps both ranges when two replicas index one account at the same time', async () => {
    const one = new WatchedStore(
      new MemoryStore({ maxBytes: 64 << 20, maxEntryBytes: 64 << 20, now: () => clock }),
      true,
      25,
    );
    const [a, b] = [makeCache({ store: one }), makeCache({ store: one })];
    await Promise.all([
      request(a).answers.transactions(ACCOUNT, '2024-05-01', '2024-05-10'),
      request(b).answers.transactions(ACCOUNT, '2024-05-11', '2024-05-20'),
    ]);
    expect(calls()).toHaveLength(2);
    sandbox.reset();
    // Each replica's range is in the account's index, whichever wrote it last.
    for (const replica of [a, b]) {
      const { answers, ctx } = request(replica);
      await answers.transactions(ACCOUNT, '2024-05-01', '2024-05-20');
      expect(ctx.stats).toMatchObject({ calls: 0, cacheHits: 2 });
    }
    expect(calls()).toEqual([]);
  });

  it('cuts the days not cached to the upstream span limit', async () => {
    const cache = makeCache({ upstreamMaxSpanDays: 10 });
    await request(cache).answers.transactions(ACCOUNT, '2024-05-01', '2024-05-25');
    expect(calls().sort()).toEqual([
      `listTransactions ${ACCOUNT} 2024-05-01 2024-05-10`,
      `listTransactions ${ACCOUNT} 2024-05-11 2024-05-20`,
      `listTransactions ${ACCOUNT} 2024-05-21 2024-05-25`,
    ]);
  });

  it('does not keep an answer over the entry limit, and still answers it whole', async () => {
    const cache = makeCache({ maxEntryBytes: 2_048 });
    const first = await request(cache).answers.transactions(ACCOUNT, '2024-01-01', '2024-05-31');
    const second = await request(cache).answers.transactions(ACCOUNT, '2024-01-01', '2024-05-31');
    expect(plain(second.value)).toEqual(plain(first.value));
    expect(calls()).toHaveLength(2);
    expect(events).toContainEqual({ kind: 'transactions', outcome: 'too-large', bytes: expect.any(Number) });
    // Small answers are kept all the same.
    await request(cache).answers.accounts();
    await request(cache).answers.accounts();
    expect(calls()).toHaveLength(3);
  });
});

describe('a year of 100,000 transactions', () => {
  const HEAVY = () => sandbox.customers.find((c) => c.token === SANDBOX_TOKENS.heavy)!.accountNumbers[0];

  it('is kept compactly, beside the other entries, within the byte bound', async () => {
    const cache = makeCache({ maxEntryBytes: 12 << 20 }, 16 << 20);
    await request(cache).answers.accounts();
    const { answers } = request(cache, { token: SANDBOX_TOKENS.heavy });
    const year = await answers.transactions(HEAVY(), '2023-06-21', TODAY);
    expect(year.value).toHaveLength(100_000);
    const again = request(cache, { token: SANDBOX_TOKENS.heavy });
    const cached = await again.answers.transactions(HEAVY(), '2023-06-21', TODAY);
    expect(again.ctx.stats).toMatchObject({ calls: 0, cacheHits: 2 });
    expect(plain(cached.value)).toEqual(plain(year.value));
    const stored = events.filter((e) => e.kind === 'transactions' && e.outcome === 'stored');
    expect(Math.max(...stored.map((e) => e.bytes))).toBeLessThan(9 << 20);
    expect(store.inner.size).toBeLessThanOrEqual(16 << 20);
    const other = request(cache);
    await other.answers.accounts();
    expect(other.ctx.stats).toMatchObject({ calls: 0, cacheHits: 1 });
  });

  it('is not kept over the entry limit, and pushes nothing else out', async () => {
    const cache = makeCache({ maxEntryBytes: 4 << 20 });
    await request(cache).answers.accounts();
    await request(cache, { token: SANDBOX_TOKENS.heavy }).answers.transactions(HEAVY(), '2023-06-21', TODAY);
    expect(events).toContainEqual({ kind: 'transactions', outcome: 'too-large', bytes: expect.any(Number) });
    const other = request(cache);
    await other.answers.accounts();
    expect(other.ctx.stats).toMatchObject({ calls: 0, cacheHits: 1 });
  });
});

describe('entries that do not open', () => {
  it('takes a tampered or garbled entry as a miss, and answers from the upstream', async () => {
    const cache = makeCache();
    const list = await request(cache).answers.accounts();
    const rows = await request(cache).answers.transactions(ACCOUNT, '2024-06-01', '2024-06-10');
    let spoiled = 0;
    for (const key of store.keys) {
      const value = await store.inner.get(key);
      if (!value) continue;
      const bytes = Buffer.from(value);
      bytes[bytes.byteLength - 5] ^= 0xff;
      await store.inner.set(key, spoiled % 2 === 0 ? bytes : Buffer.from('garbage from Redis'), LIVE_MS);
      spoiled += 1;
    }
    expect(spoiled).toBeGreaterThanOrEqual(3);
    const { answers, ctx } = request(cache);
    expect(await answers.accounts()).toMatchObject({ value: list.value });
    expect(plain((await answers.transactions(ACCOUNT, '2024-06-01', '2024-06-10')).value)).toEqual(
      plain(rows.value),
    );
    expect(ctx.stats).toMatchObject({ calls: 2, cacheHits: 0 });
  });

  it("never gives one customer another's answers, even for the other's account number", async () => {
    const cache = makeCache();
    const demo = await request(cache).answers.accounts();
    await request(cache).answers.basics(ACCOUNT, '2024-06-19');
    const { answers, ctx } = request(cache, { token: SANDBOX_TOKENS.ten });
    const ten = await answers.accounts();
    expect(ten.value.map((a) => a.number)).not.toContain(ACCOUNT);
    expect(ten.value).not.toEqual(demo.value);
    await expect(answers.basics(ACCOUNT, '2024-06-19')).rejects.toMatchObject({ upstreamCode: 'SYSCD01006' });
    expect(ctx.stats).toMatchObject({ calls: 2, cacheHits: 0 });
  });
});

describe('freshness the caller controls', () => {
  it('with no-cache, asks the upstream and refreshes the cache', async () => {
    const cache = makeCache();
    await request(cache).answers.accounts();
    clock += 10_000;
    const refreshed = await request(cache, { freshness: { noCache: true } }).answers.accounts();
    expect(refreshed.fetchedAt).toBe(clock);
    clock += 10_000;
    const { answers, ctx } = request(cache);
    expect((await answers.accounts()).fetchedAt).toBe(refreshed.fetchedAt);
    expect(ctx.stats.cacheHits).toBe(1);
    expect(calls()).toEqual(['listAccounts', 'listAccounts']);
  });

  it('with max-age, accepts cached answers only that old', async () => {
    const cache = makeCache();
    await request(cache).answers.transactions(ACCOUNT, '2024-06-01', '2024-06-10');
    clock += 20_000;
    await request(cache, { freshness: { maxAgeMs: 60_000 } }).answers.transactions(
      ACCOUNT,
      '2024-06-01',
      '2024-06-10',
    );
    expect(calls()).toHaveLength(1);
    await request(cache, { freshness: { maxAgeMs: 10_000 } }).answers.transactions(
      ACCOUNT,
      '2024-06-01',
      '2024-06-10',
    );
    expect(calls()).toHaveLength(2);
  });
});

describe('identical calls in flight', () => {
  it("become one for one customer's requests, never across customers", async () => {
    const cache = makeCache();
    const requests = [request(cache), request(cache), request(cache, { token: SANDBOX_TOKENS.ten })];
    const lists = await Promise.all(requests.map((r) => r.answers.accounts()));
    expect(lists[1]).toBe(lists[0]);
    expect(lists[2].value).not.toEqual(lists[0].value);
    expect(calls()).toEqual(['listAccounts', 'listAccounts']);
    expect(requests.map((r) => r.ctx.stats.calls + (r.ctx.stats.cacheHits ?? 0))).toEqual([1, 1, 1]);
  });

  it('let a waiter go at its own deadline, while the call it waited for goes on', async () => {
    sandbox.configure({ faults: [{ kind: 'stall', rate: 1, operations: ['listAccounts'] }], stallMs: 1_000 });
    const cache = makeCache();
    const leader = request(cache).answers.accounts();
    const abort = new AbortController();
    const waiter = request(cache, { signal: abort.signal }).answers.accounts();
    setTimeout(() => abort.abort(new DOMException('deadline', 'TimeoutError')), 50);
    const started = Date.now();
    await expect(waiter).rejects.toBeInstanceOf(WooriError);
    await expect(waiter).rejects.toMatchObject({ kind: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(900);
    await expect(leader).resolves.toMatchObject({ value: expect.any(Array) });
    expect(calls()).toEqual(['listAccounts']);
  });

  it('share an error with the waiters of the moment, and never keep it', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1, operations: ['listAccounts'] }] });
    const cache = makeCache();
    const failed = await Promise.allSettled([
      request(cache).answers.accounts(),
      request(cache).answers.accounts(),
    ]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(calls()).toHaveLength(1);
    sandbox.configure({ faults: [] });
    await expect(request(cache).answers.accounts()).resolves.toMatchObject({ value: expect.any(Array) });
    expect(calls()).toHaveLength(2);
  });
});
