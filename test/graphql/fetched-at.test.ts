/**
 * `fetchedAt` on accounts, basics and transaction lists: when the answer behind each left the
 * upstream, in KST; for a list built from several answers, the oldest of them. The service runs
 * with an answer cache on a clock of the test's own.
 */
import { AnswerCache } from '../../src/cache/answer-cache';
import { MemoryStore } from '../../src/store/memory-store';
import { type Harness, type Loose, startHarness } from './harness';

const TODAY = '2024-06-20';
const NOON_KST = Date.parse(`${TODAY}T12:00:00+09:00`);
const QUERY = `{
  accounts {
    number fetchedAt
    detail { fetchedAt }
    past: detail(asOf: "2024-06-01") { fetchedAt }
    transactions(from: "2024-05-01", to: "${TODAY}", first: 1) { totalCount fetchedAt }
  }
}`;

let harness: Harness;
let clock = NOON_KST;

beforeAll(async () => {
  const cache = new AnswerCache({
    store: new MemoryStore({ maxBytes: 16 << 20, maxEntryBytes: 16 << 20, now: () => clock }),
    secret: 'the cache secret of these tests, 32+ chars',
    liveTtlMs: 30_000,
    historyTtlMs: 3_600_000,
    maxEntryBytes: 16 << 20,
    upstreamMaxSpanDays: 366,
    waitMs: 1_000,
    now: () => clock,
  });
  harness = await startHarness({ today: TODAY }, undefined, { cache });
});
afterAll(() => harness.close());

it('says when each answer left the upstream, and the oldest for a list built from several', async () => {
  const first = await harness.run(QUERY);
  expect(first.errors).toBeUndefined();
  const at = (ms: number): string => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19) + '+09:00';
  for (const account of first.data.accounts as Loose[]) {
    expect(account.fetchedAt).toBe(`${TODAY}T12:00:00+09:00`);
    expect(account.detail.fetchedAt).toBe(at(NOON_KST));
    expect(account.transactions.fetchedAt).toBe(at(NOON_KST));
  }

  clock += 40_000;
  const later = await harness.run(QUERY);
  for (const account of later.data.accounts as Loose[]) {
    // Fetched again: the list, and basics as of today.
    expect(account.fetchedAt).toBe(at(clock));
    expect(account.detail.fetchedAt).toBe(at(clock));
    // Still cached: basics as of a past date, and the closed days of the range.
    expect(account.past.fetchedAt).toBe(at(NOON_KST));
    expect(account.transactions.fetchedAt).toBe(at(NOON_KST));
  }
  expect(later.extensions?.upstream.cacheHits).toBeGreaterThan(0);
});
