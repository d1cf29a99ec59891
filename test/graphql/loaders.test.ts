import { SANDBOX_TOKENS } from '../../src/sandbox';
import { type Harness, startHarness } from './harness';

const ACCOUNT = '1002146788200';

describe('loaders (against the sandbox)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.reset());

  function ranges(): Array<{ from?: string; to?: string; accountNumber?: string }> {
    return h.sandbox
      .counters()
      .recent.filter((c) => c.operation === 'listTransactions')
      .map(({ accountNumber, from, to }) => ({ accountNumber, from, to }));
  }

  it('fetches the account list once per request, whatever asks for it', async () => {
    const res = await h.run(`{
      a: accounts { number }
      b: accounts { number productName }
      one: account(number: "${ACCOUNT}") { number }
      none: account(number: "1002999999999") { number }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ one: { number: ACCOUNT }, none: null });
    expect(h.calls()).toEqual({ listAccounts: 1 });
  });

  it('loads account basics once per account and date', async () => {
    const res = await h.run(`{
      accounts {
        x: detail(asOf: "2019-01-01") { statusCode }
        y: detail(asOf: "2019-01-01") { currentBalance { amount } }
        z: detail(asOf: "2019-02-01") { statusCode }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(h.calls()).toEqual({ listAccounts: 1, getAccountBasics: 4 });
  });

  it('coalesces overlapping and adjacent ranges of one account into one upstream call', async () => {
    const res = await h.run(`{
      account(number: "${ACCOUNT}") {
        jan: transactions(from: "2019-01-01", to: "2019-01-31") { totalCount }
        janFeb: transactions(from: "2019-01-15", to: "2019-02-28") { totalCount }
        march: transactions(from: "2019-03-01", to: "2019-03-31") { totalCount }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(ranges()).toEqual([{ accountNumber: ACCOUNT, from: '2019-01-01', to: '2019-03-31' }]);
  });

  it('fetches ranges far apart separately', async () => {
    await h.run(`{
      account(number: "${ACCOUNT}") {
        a: transactions(from: "2019-01-01", to: "2019-01-31") { totalCount }
        b: transactions(from: "2019-06-01", to: "2019-06-30") { totalCount }
      }
    }`);
    expect(ranges().sort((x, y) => (x.from! < y.from! ? -1 : 1))).toEqual([
      { accountNumber: ACCOUNT, from: '2019-01-01', to: '2019-01-31' },
      { accountNumber: ACCOUNT, from: '2019-06-01', to: '2019-06-30' },
    ]);
  });

  it('coalesces ranges asked through fragments and through both account and accounts', async () => {
    const res = await h.run(`
      fragment Recent on Account { recent: transactions(from: "2019-01-10", to: "2019-03-31") { totalCount } }
      {
        account(number: "${ACCOUNT}") { ...Recent early: transactions(from: "2019-01-01", to: "2019-01-20") { totalCount } }
        accounts { number ...Recent }
      }`);
    expect(res.errors).toBeUndefined();
    const forAccount = ranges().filter((r) => r.accountNumber === ACCOUNT);
    // The union 2019-01-01..2019-03-31 costs one call for this account, however the fields reach it.
    expect(forAccount).toEqual([{ accountNumber: ACCOUNT, from: '2019-01-01', to: '2019-03-31' }]);
    expect(h.calls().listAccounts).toBe(1);
  });

  it('fetches only the uncovered days of a range asked later in the request', async () => {
    // `account` starts its range at once; `accounts` asks a wider one after the list arrives.
    const res = await h.run(`{
      account(number: "${ACCOUNT}") { transactions(from: "2019-01-01", to: "2019-01-31") { totalCount } }
      accounts { transactions(from: "2019-01-01", to: "2019-02-28") { totalCount } }
    }`);
    expect(res.errors).toBeUndefined();
    const forAccount = ranges().filter((r) => r.accountNumber === ACCOUNT);
    expect(forAccount.map((r) => `${r.from}-${r.to}`).sort()).toEqual([
      '2019-01-01-2019-01-31',
      '2019-02-01-2019-02-28',
    ]);
  });

  it('gives every field its own slice of a coalesced range', async () => {
    const together = await h.run(`{
      account(number: "${ACCOUNT}") {
        all: transactions(from: "2019-01-01", to: "2019-06-13", order: OLDEST_FIRST) { totalCount nodes { date amount { amount } } }
        first: transactions(from: "2019-01-01", to: "2019-01-12") { totalCount nodes { date } }
        second: transactions(from: "2019-01-13", to: "2019-06-13") { totalCount nodes { date } }
      }
    }`);
    expect(together.errors).toBeUndefined();
    const account: Record<string, { totalCount: number; nodes: Array<{ date: string }> }> =
      together.data.account;
    expect(account.all.totalCount).toBe(2);
    expect(account.all.nodes.map((n) => n.date)).toEqual(['2019-01-10', '2019-01-14']);
    expect(account.first.nodes.map((n) => n.date)).toEqual(['2019-01-10']);
    expect(account.second.nodes.map((n) => n.date)).toEqual(['2019-01-14']);
    expect(ranges()).toHaveLength(1);
  });

  it('splits a union wider than the upstream span limit into the fewest calls', async () => {
    const narrow = await startHarness({ maxSpanDays: 31 }, { maxSpanDays: 366, upstreamMaxSpanDays: 31 });
    try {
      const res = await narrow.run(`{
        account(number: "${ACCOUNT}") {
          a: transactions(from: "2019-01-01", to: "2019-02-15") { totalCount }
          b: transactions(from: "2019-02-10", to: "2019-03-03") { totalCount }
        }
      }`);
      expect(res.errors).toBeUndefined();
      const seen = narrow.sandbox.counters().recent.filter((c) => c.operation === 'listTransactions');
      // 2019-01-01..2019-03-03 is 62 days: two calls of at most 31 days.
      expect(seen.map((c) => `${c.from}-${c.to}`).sort()).toEqual([
        '2019-01-01-2019-01-31',
        '2019-02-01-2019-03-03',
      ]);
    } finally {
      await narrow.close();
    }
  });

  it('keeps one customer’s loaders away from another’s request', async () => {
    const [demo, many] = await Promise.all([
      h.run('{ accounts { number } }', {}, SANDBOX_TOKENS.demo),
      h.run('{ accounts { number } }', {}, SANDBOX_TOKENS.many),
    ]);
    const numbers = (r: typeof demo): string[] => r.data.accounts.map((a: { number: string }) => a.number);
    expect(numbers(demo)).toEqual(['1002146788200', '1002160010529']);
    expect(numbers(many)).toHaveLength(50);
    expect(numbers(many)).not.toContain('1002146788200');
  });
});
