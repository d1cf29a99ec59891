import { AccountTransactionsDocument, type AccountTransactionsQuery } from '../generated/graphql';
import { REFERENCE_TRANSACTIONS } from '../woori/fixtures';
import { type Harness, type Result, startHarness } from './harness';

const ACCOUNT = '1002146788200';

describe('resolvers (against the sandbox)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sandbox.reset();
    h.sandbox.configure({ faults: [] });
  });

  describe('argument validation', () => {
    const cases: Array<[string, string, string, string]> = [
      [
        'an account number with letters',
        `{ account(number: "10021467882AB") { number } }`,
        'number',
        'matches',
      ],
      ['an account number too short', `{ account(number: "123456789") { number } }`, 'number', 'matches'],
      [
        'from after to',
        `{ accounts { transactions(from: "2019-02-01", to: "2019-01-01") { totalCount } } }`,
        'to',
        'fromNotAfterTo',
      ],
      [
        'a span over 366 days',
        `{ accounts { transactions(from: "2018-01-01", to: "2019-01-02") { totalCount } } }`,
        'to',
        'maxSpanDays',
      ],
      [
        'first of 0',
        `{ accounts { transactions(from: "2019-01-01", to: "2019-01-02", first: 0) { totalCount } } }`,
        'first',
        'min',
      ],
      [
        'first over 1000',
        `{ accounts { transactions(from: "2019-01-01", to: "2019-01-02", first: 1001) { totalCount } } }`,
        'first',
        'max',
      ],
      [
        'a forged cursor',
        `{ accounts { transactions(from: "2019-01-01", to: "2019-01-02", after: "5_AAAAAAAAAAAAAAAAAAAAAA") { totalCount } } }`,
        'after',
        'issuedCursor',
      ],
    ];
    it.each(cases)('rejects %s naming the argument and the rule', async (_name, query, argument, rule) => {
      const res = await h.run(query);
      const error = res.errors?.[0];
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', invalidArgs: [{ argument, rule }] });
      expect(error?.message).toContain(`"${argument}"`);
      expect(JSON.stringify(res)).not.toMatch(/stack|at Object\./);
      const upstream = h.sandbox.counters().calls;
      // Only the account list may have been fetched: nothing for the rejected field.
      expect(upstream.total - (upstream.byOperation.listAccounts ?? 0)).toBe(0);
    });

    it('rejects an invalid date before any upstream call', async () => {
      const res = await h.run(
        `{ accounts { transactions(from: "2019-02-30", to: "2019-03-01") { totalCount } } }`,
      );
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toContain('Date');
      expect(h.sandbox.counters().calls.total).toBe(0);
    });

    it('rejects a rejected argument of account(number) with no upstream call at all', async () => {
      const res = await h.run(`{ account(number: "12") { number detail { statusCode } } }`);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(h.sandbox.counters().calls.total).toBe(0);
    });
  });

  it('answers UNAUTHENTICATED with no upstream call when there is no bearer token', async () => {
    const res = await h.run('{ accounts { number } }', {}, null);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeNull();
    expect(h.sandbox.counters().calls.total).toBe(0);
  });

  it('answers UNAUTHENTICATED with the upstream code when the upstream rejects the token', async () => {
    const res = await h.run('{ accounts { number } }', {}, 'an-unknown-token');
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstreamCode: 'SYSCD03001' });
    expect(typeof res.errors?.[0].extensions?.traceId).toBe('string');
    expect(JSON.stringify(res)).not.toContain('an-unknown-token');
  });

  it("returns the rest of the response when one account's detail fails", async () => {
    h.sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1, operations: ['getAccountBasics'] }] });
    const res = await h.run(
      `{ accounts { number detail(asOf: "2019-01-01") { statusCode } transactions(from: "2019-01-01", to: "2019-06-13") { totalCount } } }`,
    );
    const accounts: Array<{ number: string; detail: unknown; transactions: { totalCount: number } }> =
      res.data.accounts;
    expect(accounts.map((a) => a.number)).toEqual(['1002146788200', '1002160010529']);
    expect(accounts.every((a) => a.detail === null)).toBe(true);
    expect(accounts[0].transactions.totalCount).toBe(2);
    expect(res.errors).toHaveLength(2);
    for (const [i, error] of (res.errors ?? []).entries()) {
      expect(error.path).toEqual(['accounts', i, 'detail']);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD09999' });
      expect(error.extensions?.traceId).toEqual(expect.any(String));
    }
  });

  it('reports what the request cost upstream in extensions.upstream', async () => {
    const res = await h.run(`{ accounts { number detail(asOf: "2019-01-01") { statusCode } } }`);
    expect(res.extensions?.upstream).toMatchObject({ calls: 3, retries: 0, durationMs: expect.any(Number) });
  });

  it('returns the reference transactions with exact amounts and KST times', async () => {
    const res = await h.run(AccountTransactionsDocument, {
      number: ACCOUNT,
      from: '2019-01-01',
      to: '2019-06-13',
      order: 'OLDEST_FIRST',
    });
    expect(res.errors).toBeUndefined();
    const connection = res.data!.account!.transactions!;
    expect(connection.totalCount).toBe(2);
    const [withdrawal, deposit] = REFERENCE_TRANSACTIONS;
    expect(connection.edges.map((e) => e.node)).toEqual([
      {
        occurredAt: `${withdrawal.date}T${withdrawal.time}+09:00`,
        date: withdrawal.date,
        type: 'WITHDRAWAL',
        amount: { amount: withdrawal.withdrawal, currency: withdrawal.currency },
        deposit: { amount: withdrawal.deposit },
        withdrawal: { amount: withdrawal.withdrawal },
        balanceAfter: { amount: withdrawal.balanceAfter },
        memo: withdrawal.memo,
        counterparty: withdrawal.counterparty,
        passbookSummaryCode: withdrawal.passbookSummaryCode,
        depositKindCode: withdrawal.depositKindCode,
        channelCode: withdrawal.channelCode,
        installmentNumber: withdrawal.installmentNumber,
        statusCode: withdrawal.statusCode,
      },
      {
        occurredAt: `${deposit.date}T${deposit.time}+09:00`,
        date: deposit.date,
        type: 'DEPOSIT',
        amount: { amount: deposit.deposit, currency: deposit.currency },
        deposit: { amount: deposit.deposit },
        withdrawal: { amount: deposit.withdrawal },
        balanceAfter: { amount: deposit.balanceAfter },
        memo: deposit.memo,
        counterparty: deposit.counterparty,
        passbookSummaryCode: deposit.passbookSummaryCode,
        depositKindCode: deposit.depositKindCode,
        channelCode: deposit.channelCode,
        installmentNumber: deposit.installmentNumber,
        statusCode: deposit.statusCode,
      },
    ]);
  });

  it('pages through a range with cursors, each transaction once, with a filter and an order', async () => {
    const vars = {
      number: ACCOUNT,
      from: '2025-12-01',
      to: '2026-11-20',
      first: 7,
      type: 'DEPOSIT',
      order: 'OLDEST_FIRST',
    } as const;
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let page = 0; page < 200; page++) {
      const res: Result<AccountTransactionsQuery> = await h.run(AccountTransactionsDocument, {
        ...vars,
        after,
      });
      expect(res.errors).toBeUndefined();
      const c = res.data!.account!.transactions!;
      total = c.totalCount;
      expect(c.pageInfo.hasPreviousPage).toBe(page > 0);
      for (const e of c.edges) {
        expect(e.node.type).toBe('DEPOSIT');
        seen.push(e.node.occurredAt);
      }
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor ?? null;
    }
    expect(total).toBeGreaterThan(7);
    expect(seen).toHaveLength(total);
    expect([...seen].sort()).toEqual(seen);
  });
});
