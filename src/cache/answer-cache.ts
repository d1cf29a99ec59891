/**
 * The answer cache: the upstream's answers kept per customer, encrypted (see `vault.ts`), in the
 * process or in Redis (a `KeyValueStore`), for as long as what they are allows:
 *
 * - answers that can still change (the account list, basics as of today, the days of a range from
 *   today on) for the live TTL (`CACHE_TTL_SECONDS`);
 * - answers about closed days (basics as of a past date, the days of a range before today in KST)
 *   for the history TTL (`CACHE_HISTORY_TTL_SECONDS`).
 *
 * A transactions answer that covers closed days and today is kept as two parts, and each account
 * has an index of the day ranges kept (encrypted too): a range is served from the cached days, and
 * only the days not cached are fetched. The next refresh of "this month" costs one call for today.
 *
 * Identical calls in flight become one (`single-flight.ts`). A store that fails is a miss; an entry
 * that does not open (tampered, another version, another customer's) is a miss; nothing here turns
 * a cache problem into a failed answer. Errors are never cached.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext, WooriApi } from '../woori/api';
import { sleep } from '../woori/abortable';
import { customerKeyOf } from '../woori/call-context';
import { errorFromFailure } from '../woori/classify';
import type { AccountBasics, AccountSummary, IsoDate, TransactionRecord } from '../woori/domain';
import type { WooriOperation } from '../woori/errors';
import { firstOnOrAfter, sortOldestFirst } from '../woori/transaction-order';
import type { KeyValueStore } from '../store/store';
import { type Answers, directAnswers, type Fetched, joinPieces } from './answers';
import {
  decodeAccounts,
  decodeBasics,
  decodeTransactions,
  encodeAccounts,
  encodeBasics,
  encodeTransactions,
} from './codec';
import { fromDay, toDay, todayInKst } from './days';
import { type DayRange, mergeRanges, splitRange, subtractRanges } from './ranges';
import { SingleFlight, type Flight } from './single-flight';
import { CustomerVault, EntryKind } from './vault';

/** What an entry is, for metrics. */
export type CacheKind = 'accounts' | 'basics' | 'transactions';

/**
 * One thing the cache did, for metrics: an answer served without an upstream call (`hit`), one
 * looked for and not found (`miss`), an entry read or stored (with its bytes), or an answer too
 * large to keep.
 */
export interface CacheEvent {
  kind: CacheKind;
  outcome: 'hit' | 'miss' | 'read' | 'stored' | 'too-large';
  /** The entry's sealed size (read, stored, too-large); 0 otherwise. */
  bytes: number;
}

export interface AnswerCacheOptions {
  store: KeyValueStore;
  /** CACHE_SECRET: keys and, with each customer's token, encrypts the entries. */
  secret: string;
  /** How long answers that can still change are kept, ms; 0: not kept. */
  liveTtlMs: number;
  /** How long answers about closed days are kept, ms; 0: not kept. */
  historyTtlMs: number;
  /** Entries larger than this (sealed) are not kept. */
  maxEntryBytes: number;
  /** Longest range the upstream accepts in one transactions call, inclusive days. */
  upstreamMaxSpanDays: number;
  /** How long a replica waits for another replica's identical call before making it itself, ms. */
  waitMs: number;
  /** The wall clock (default `Date.now`): `fetchedAt`, expiry, and today in KST. */
  now?: () => number;
  onEvent?: (event: CacheEvent) => void;
}

/** At most this many day ranges are indexed per account; the oldest go first. */
const MAX_INDEXED_RANGES = 64;
/** The lock on an account's index across replicas: held at most this long, ms (its holder may die). */
const INDEX_LOCK_TTL_MS = 2_000;
/** Tries to take that lock, this far apart (ms), before updating without it. */
const INDEX_LOCK_TRIES = 40;
const INDEX_LOCK_PAUSE_MS = 5;

/** One indexed day range of an account: its days, when it was fetched, until when it is kept. */
interface IndexItem {
  from: number;
  to: number;
  fetchedAt: number;
  expiresAt: number;
}

/** Days of a range and their rows. */
interface Piece extends Fetched<TransactionRecord[]> {
  days: DayRange;
}

export class AnswerCache {
  readonly flights: SingleFlight;
  private readonly now: () => number;
  /** Index updates of one account, one after the other within this process. */
  private readonly indexWrites = new Map<string, Promise<void>>();

  constructor(readonly options: AnswerCacheOptions) {
    this.now = options.now ?? Date.now;
    this.flights = new SingleFlight({ store: options.store, waitMs: options.waitMs });
  }

  /** Whether any answer is kept at all (a TTL above 0). */
  get caching(): boolean {
    return this.options.liveTtlMs > 0 || this.options.historyTtlMs > 0;
  }

  /**
   * The answers of one request. A request without a token gets the upstream's answers (which
   * refuse it); every other request reads and fills its customer's entries.
   */
  forRequest(api: WooriApi, ctx: CallContext): Answers {
    if (!ctx.token) return directAnswers(api, ctx, { ...this.options, now: this.now });
    return new CustomerAnswers(this, api, ctx, ctx.token);
  }

  /** Today in KST, as a day number. */
  today(): number {
    return toDay(todayInKst(this.now()));
  }

  /** The wall clock, ms since the epoch. */
  time(): number {
    return this.now();
  }

  /** Tells `onEvent`. */
  report(kind: CacheKind, outcome: CacheEvent['outcome'], bytes = 0): void {
    try {
      this.options.onEvent?.({ kind, outcome, bytes });
    } catch {
      // A metrics hook must not turn a cache event into a failed answer.
    }
  }

  /**
   * Runs `update` after the earlier updates of the same index key in this process and, when the
   * store is shared, while holding a lock on it in the store: an index is read, changed and written
   * back, and two replicas doing that at once would each write over the other's range.
   */
  async serialize(key: string, update: () => Promise<void>): Promise<void> {
    const { store } = this.options;
    const run = store.shared ? () => this.holdingLock(`${key}.lock`, update) : update;
    const previous = this.indexWrites.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    this.indexWrites.set(key, next);
    try {
      await next;
    } finally {
      if (this.indexWrites.get(key) === next) this.indexWrites.delete(key);
    }
  }

  /**
   * `update` under the store's lock `lockKey`. The wait is short and bounded: an index update takes
   * two store commands, and a lock whose holder died expires by itself; past the wait, or when the
   * store cannot say, the update runs anyway (a lost update costs a later miss, never a wrong answer).
   */
  private async holdingLock(lockKey: string, update: () => Promise<void>): Promise<void> {
    const { store } = this.options;
    const holder = randomUUID();
    let taken = await store.setIfAbsent(lockKey, holder, INDEX_LOCK_TTL_MS);
    for (let tries = 1; taken === false && tries < INDEX_LOCK_TRIES; tries++) {
      await sleep(INDEX_LOCK_PAUSE_MS);
      taken = await store.setIfAbsent(lockKey, holder, INDEX_LOCK_TTL_MS);
    }
    try {
      await update();
    } finally {
      if (taken) await store.deleteIfHolds(lockKey, holder);
    }
  }
}

/** One request's answers through the cache. */
class CustomerAnswers implements Answers {
  private vaultOf?: CustomerVault;

  constructor(
    private readonly cache: AnswerCache,
    private readonly api: WooriApi,
    private readonly ctx: CallContext,
    private readonly token: string,
  ) {}

  private get vault(): CustomerVault {
    const { secret } = this.cache.options;
    // Computed here, not taken from the context: the namespace follows the secret that seals.
    this.vaultOf ??= new CustomerVault(customerKeyOf(this.token, secret), this.token, secret);
    return this.vaultOf;
  }

  async accounts(): Promise<Fetched<AccountSummary[]>> {
    const key = this.vault.key('accounts');
    const read = () => this.read('accounts', EntryKind.accounts, key, decodeAccounts);
    return this.answer('accounts', 'listAccounts', key, read, async () => {
      const fetched = await this.fetched(this.api.listAccounts(this.ctx));
      await this.write(
        'accounts',
        EntryKind.accounts,
        key,
        fetched.fetchedAt,
        encodeAccounts(fetched.value),
        this.cache.options.liveTtlMs,
      );
      return fetched;
    });
  }

  async knownAccounts(): Promise<Fetched<AccountSummary[]> | undefined> {
    const found = await this.read('accounts', EntryKind.accounts, this.vault.key('accounts'), decodeAccounts);
    if (found) this.counted('accounts');
    return found;
  }

  async basics(accountNumber: string, asOf: IsoDate): Promise<Fetched<AccountBasics>> {
    const key = this.vault.key('basics', accountNumber, asOf);
    const ttl =
      toDay(asOf) < this.cache.today() ? this.cache.options.historyTtlMs : this.cache.options.liveTtlMs;
    const read = () => this.read('basics', EntryKind.basics, key, decodeBasics);
    return this.answer('basics', 'getAccountBasics', key, read, async () => {
      const fetched = await this.fetched(this.api.getAccountBasics(this.ctx, accountNumber, asOf));
      await this.write('basics', EntryKind.basics, key, fetched.fetchedAt, encodeBasics(fetched.value), ttl);
      return fetched;
    });
  }

  async transactions(
    accountNumber: string,
    from: IsoDate,
    to: IsoDate,
  ): Promise<Fetched<TransactionRecord[]>> {
    const range = { from: toDay(from), to: toDay(to) };
    const { pieces, missing } = await this.cached(accountNumber, range);
    for (let i = 0; i < pieces.length; i++) this.counted('transactions');
    const fetched = await Promise.all(
      missing
        .flatMap((r) => splitRange(r, this.cache.options.upstreamMaxSpanDays))
        .map((r) => this.fetchDays(accountNumber, r)),
    );
    const all = [...pieces, ...fetched].sort((a, b) => a.days.from - b.days.from);
    return joinPieces(all, () => this.cache.time());
  }

  /** The days of `range` the cache holds (fresh enough), and the ranges it does not. */
  private async cached(
    accountNumber: string,
    range: DayRange,
  ): Promise<{ pieces: Piece[]; missing: DayRange[] }> {
    if (!this.readable) return { pieces: [], missing: [range] };
    const now = this.cache.time();
    const usable = (await this.readIndex(accountNumber))
      .filter(
        (item) =>
          item.expiresAt > now &&
          this.fresh(item.fetchedAt) &&
          item.from <= range.to &&
          range.from <= item.to,
      )
      .sort((a, b) => b.fetchedAt - a.fetchedAt);
    // The newest range first: each gives the days no newer one covers.
    const taken: DayRange[] = [];
    const wanted: Array<{ item: IndexItem; days: DayRange[] }> = [];
    for (const item of usable) {
      const within = { from: Math.max(item.from, range.from), to: Math.min(item.to, range.to) };
      const days = subtractRanges(within, taken);
      if (days.length === 0) continue;
      wanted.push({ item, days });
      taken.push(...days);
    }
    const read = await Promise.all(wanted.map(({ item, days }) => this.readDays(accountNumber, item, days)));
    const pieces = read.flat().filter((p): p is Piece => p !== undefined);
    const missing = pieces.reduce<DayRange[]>(
      (left, p) => left.flatMap((r) => subtractRanges(r, [p.days])),
      [range],
    );
    if (missing.length > 0) this.cache.report('transactions', 'miss');
    return { pieces, missing: mergeRanges(missing) };
  }

  /** The rows of `days` from one cached range, or nothing when its entry is gone or unreadable. */
  private async readDays(
    accountNumber: string,
    item: IndexItem,
    days: DayRange[],
  ): Promise<Array<Piece | undefined>> {
    const key = this.rangeKey(accountNumber, item);
    const sealed = await this.cache.options.store.get(key);
    const opened = sealed && this.vault.open(key, EntryKind.transactions, sealed);
    if (!opened || !this.fresh(opened.fetchedAt)) return [];
    try {
      const pieces = days.map((d) => ({
        days: d,
        value: decodeTransactions(opened.payload, fromDay(d.from), fromDay(d.to)),
        fetchedAt: opened.fetchedAt,
      }));
      this.cache.report('transactions', 'read', sealed.byteLength);
      return pieces;
    } catch {
      return [];
    }
  }

  /** One range not cached: from the upstream once (with every identical call), then kept. */
  private async fetchDays(accountNumber: string, days: DayRange): Promise<Piece> {
    const from = fromDay(days.from);
    const to = fromDay(days.to);
    const key = this.vault.key('transactions call', accountNumber, from, to);
    const lookup = async (): Promise<Piece | undefined> => {
      const found = await this.cached(accountNumber, days);
      if (found.missing.length > 0) return undefined;
      return {
        days,
        ...joinPieces(
          found.pieces.sort((a, b) => a.days.from - b.days.from),
          () => this.cache.time(),
        ),
      };
    };
    return this.flight('transactions', 'listTransactions', {
      key,
      lookup: this.cache.caching ? lookup : undefined,
      call: async () => {
        const fetched = await this.fetched(this.api.listTransactions(this.ctx, accountNumber, from, to));
        const rows = sortOldestFirst(fetched.value);
        await this.keepDays(accountNumber, days, rows, fetched.fetchedAt);
        return { days, value: rows, fetchedAt: fetched.fetchedAt };
      },
    });
  }

  /**
   * Keeps a fetched range as up to two entries: the closed days (before today) for the history
   * TTL, the days from today on for the live TTL; then indexes them.
   */
  private async keepDays(
    accountNumber: string,
    days: DayRange,
    rows: TransactionRecord[],
    fetchedAt: number,
  ): Promise<void> {
    const { historyTtlMs, liveTtlMs } = this.cache.options;
    const today = this.cache.today();
    const split = firstOnOrAfter(rows, fromDay(today));
    const parts: Array<{ range: DayRange; rows: TransactionRecord[]; ttl: number }> = [];
    if (days.from < today)
      parts.push({
        range: { from: days.from, to: Math.min(days.to, today - 1) },
        rows: rows.slice(0, split),
        ttl: historyTtlMs,
      });
    if (days.to >= today)
      parts.push({
        range: { from: Math.max(days.from, today), to: days.to },
        rows: rows.slice(split),
        ttl: liveTtlMs,
      });
    const kept: IndexItem[] = [];
    await Promise.all(
      parts.map(async (part) => {
        const item = { ...part.range, fetchedAt, expiresAt: fetchedAt + part.ttl };
        const key = this.rangeKey(accountNumber, item);
        if (
          await this.write(
            'transactions',
            EntryKind.transactions,
            key,
            fetchedAt,
            encodeTransactions(part.rows),
            part.ttl,
          )
        ) {
          kept.push(item);
        }
      }),
    );
    if (kept.length > 0) await this.index(accountNumber, kept);
  }

  private async readIndex(accountNumber: string): Promise<IndexItem[]> {
    const key = this.vault.key('index', accountNumber);
    const sealed = await this.cache.options.store.get(key);
    const opened = sealed && this.vault.open(key, EntryKind.index, sealed);
    if (!opened) return [];
    try {
      return parseIndex(opened.payload);
    } catch {
      return [];
    }
  }

  /** Adds ranges to the account's index, dropping expired ones and older ones the new ones cover. */
  private async index(accountNumber: string, added: IndexItem[]): Promise<void> {
    const key = this.vault.key('index', accountNumber);
    await this.cache.serialize(key, async () => {
      const now = this.cache.time();
      const kept = (await this.readIndex(accountNumber)).filter(
        (item) =>
          item.expiresAt > now &&
          !added.some((n) => n.from <= item.from && item.to <= n.to && n.fetchedAt >= item.fetchedAt),
      );
      const items = [...kept, ...added]
        .sort((a, b) => b.fetchedAt - a.fetchedAt)
        .slice(0, MAX_INDEXED_RANGES);
      const ttl = Math.max(...items.map((item) => item.expiresAt)) - now;
      const payload = Buffer.from(JSON.stringify(items.map((i) => [i.from, i.to, i.fetchedAt, i.expiresAt])));
      const sealed = this.vault.seal(key, EntryKind.index, now, payload);
      await this.cache.options.store.set(key, sealed, ttl);
    });
  }

  private rangeKey(accountNumber: string, item: DayRange): string {
    return this.vault.key('transactions', accountNumber, String(item.from), String(item.to));
  }

  /** An answer from the cache, or from one upstream call shared by every identical caller. */
  private async answer<T>(
    kind: CacheKind,
    operation: WooriOperation,
    key: string,
    read: () => Promise<Fetched<T> | undefined>,
    call: () => Promise<Fetched<T>>,
  ): Promise<Fetched<T>> {
    const found = await read();
    if (found) {
      this.counted(kind);
      return found;
    }
    if (this.readable) this.cache.report(kind, 'miss');
    return this.flight(kind, operation, {
      key: `${key}.call`,
      lookup: this.cache.caching ? read : undefined,
      call,
    });
  }

  private async flight<T>(
    kind: CacheKind,
    operation: WooriOperation,
    flight: Omit<Flight<T>, 'join' | 'signal'>,
  ): Promise<T> {
    try {
      const landed = await this.cache.flights.run({
        ...flight,
        join: !this.ctx.freshness?.noCache,
        signal: this.ctx.signal,
      });
      if (landed.shared) this.counted(kind);
      return landed.value;
    } catch (error) {
      // Stopped waiting for another caller's answer: this request was cancelled or is out of time.
      if (this.ctx.signal?.aborted && error === this.ctx.signal.reason) {
        throw errorFromFailure(operation, error, { callerAborted: true });
      }
      throw error;
    }
  }

  /** A cached answer that opens, decodes and is fresh enough for this request; else undefined. */
  private async read<T>(
    kind: CacheKind,
    entry: EntryKind,
    key: string,
    decode: (payload: Buffer) => T,
  ): Promise<Fetched<T> | undefined> {
    if (!this.readable) return undefined;
    const sealed = await this.cache.options.store.get(key);
    const opened = sealed && this.vault.open(key, entry, sealed);
    if (!opened || !this.fresh(opened.fetchedAt)) return undefined;
    try {
      const value = decode(opened.payload);
      this.cache.report(kind, 'read', sealed.byteLength);
      return { value, fetchedAt: opened.fetchedAt };
    } catch {
      return undefined;
    }
  }

  /** Seals and keeps an entry for `ttlMs` from its fetch; false when it was not kept. */
  private async write(
    kind: CacheKind,
    entry: EntryKind,
    key: string,
    fetchedAt: number,
    payload: Buffer,
    ttlMs: number,
  ): Promise<boolean> {
    const left = fetchedAt + ttlMs - this.cache.time();
    if (ttlMs <= 0 || left <= 0) return false;
    const sealed = this.vault.seal(key, entry, fetchedAt, payload);
    if (sealed.byteLength > this.cache.options.maxEntryBytes) {
      this.cache.report(kind, 'too-large', sealed.byteLength);
      return false;
    }
    const kept = await this.cache.options.store.set(key, sealed, left);
    if (kept) this.cache.report(kind, 'stored', sealed.byteLength);
    return kept;
  }

  private async fetched<T>(call: Promise<T>): Promise<Fetched<T>> {
    const value = await call;
    return { value, fetchedAt: this.cache.time() };
  }

  /** An answer served without an upstream call of this request. */
  private counted(kind: CacheKind): void {
    const stats = this.ctx.stats;
    if (stats) stats.cacheHits = (stats.cacheHits ?? 0) + 1;
    this.cache.report(kind, 'hit');
  }

  /** Whether cached answers may be used at all (not with `Cache-Control: no-cache`). */
  private get readable(): boolean {
    return this.cache.caching && !this.ctx.freshness?.noCache;
  }

  /** Whether an answer fetched at `fetchedAt` is fresh enough for this request (`max-age`). */
  private fresh(fetchedAt: number): boolean {
    const maxAge = this.ctx.freshness?.maxAgeMs;
    return maxAge === undefined || this.cache.time() - fetchedAt <= maxAge;
  }
}

/** The stored index: `[from, to, fetchedAt, expiresAt]` per range. Throws on anything else. */
function parseIndex(payload: Buffer): IndexItem[] {
  const items: unknown = JSON.parse(payload.toString('utf8'));
  if (!Array.isArray(items)) throw new TypeError('an index needs an array');
  return items.map((item: unknown) => {
    if (!Array.isArray(item) || item.length !== 4 || !item.every((n) => Number.isFinite(n))) {
      throw new TypeError('an index item needs four numbers');
    }
    const [from, to, fetchedAt, expiresAt] = item as number[];
    return { from, to, fetchedAt, expiresAt };
  });
}
