/**
 * The query that counts, end to end: HTTP in, the embedded sandbox over HTTP behind, upstream
 * calls read from the sandbox's own counters.
 */
import { loadConfig } from '../../src/server/config';
import { type RunningService, startService } from '../../src/server/app';
import { AccountTransactionsDocument, DashboardDocument } from '../generated/graphql';
import { dashboardVariables } from '../helpers/dashboard';
import { REFERENCE_TRANSACTIONS } from '../woori/fixtures';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const LATENCY_MS = 100;

interface Call {
  operation: string;
  accountNumber?: string;
  at: number;
}

describe('the dashboard query over HTTP', () => {
  let service: RunningService;
  let sandboxUrl: string;

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SANDBOX_LATENCY_MS: String(LATENCY_MS),
      // Each request pays its own calls here: what the cache saves is tested in test/cache.
      CACHE_TTL_SECONDS: '0',
      CACHE_HISTORY_TTL_SECONDS: '0',
    });
    service = await startService(config);
    sandboxUrl = service.sandbox!.url;
    // The sandbox generates a customer's data on first use, in this process: do it before measuring.
    for (const token of ['sandbox-token-demo', 'sandbox-token-many'])
      await post(DashboardDocument, dashboardVariables(), token);
  });
  afterAll(() => service.close());
  beforeEach(async () => {
    await fetch(`${sandboxUrl}/__sandbox/reset`, { method: 'POST' });
  });

  async function post<R, V>(document: TypedDocumentNode<R, V>, variables: V, token: string) {
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { data: R; errors?: unknown[]; extensions: { upstream: { calls: number } } };
  }

  async function upstreamCalls(): Promise<Call[]> {
    const counters = (await (await fetch(`${sandboxUrl}/__sandbox/counters`)).json()) as { recent: Call[] };
    return counters.recent;
  }

  /**
   * Groups calls into round trips: a call belongs to the current trip when it reached the sandbox
   * before the trip's first call could have been answered (less than the sandbox latency later).
   */
  function roundTrips(calls: Call[]): Call[][] {
    const trips: Call[][] = [];
    for (const call of [...calls].sort((a, b) => a.at - b.at)) {
      const trip = trips[trips.length - 1];
      if (trip && call.at - trip[0].at < LATENCY_MS) trip.push(call);
      else trips.push([call]);
    }
    return trips;
  }

  it.each([
    ['sandbox-token-demo', 2],
    ['sandbox-token-many', 50],
  ])('costs exactly 1 + 2N upstream calls in two round trips (%s, N = %i)', async (token, n) => {
    const result = await post(DashboardDocument, dashboardVariables(), token);
    expect(result.errors).toBeUndefined();
    expect(result.data.accounts).toHaveLength(n);
    const calls = await upstreamCalls();
    expect(calls).toHaveLength(1 + 2 * n);
    expect(result.extensions.upstream.calls).toBe(1 + 2 * n);
    const trips = roundTrips(calls);
    expect(trips[0].map((c) => c.operation)).toEqual(['listAccounts']);
    // Every other call waits for the list only. With N = 2 they all go out at once; with N = 50
    // the 100 calls may also queue for the client's connection pool, which is not a data dependency.
    if (n === 2) expect(trips.map((t) => t.length)).toEqual([1, 2 * n]);
    for (const account of result.data.accounts) {
      const mine = calls
        .filter((c) => c.accountNumber === account.number)
        .map((c) => c.operation)
        .sort();
      expect(mine).toEqual(['getAccountBasics', 'listTransactions']);
      expect(account.thisMonth!.nodes.length).toBeLessThanOrEqual(20);
    }
  });

  it('starts account(number)’s detail and transactions beside the list: one round trip', async () => {
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox-token-demo' },
      body: JSON.stringify({
        query: `{ account(number: "1002146788200") { productName detail(asOf: "2019-01-01") { statusCode } transactions(from: "2019-01-01", to: "2019-06-13") { totalCount } } }`,
      }),
    });
    const body = (await res.json()) as {
      data: {
        account: {
          productName: string;
          detail: { statusCode: string };
          transactions: { totalCount: number };
        };
      };
    };
    expect(body.data.account).toEqual({
      productName: '우리급여 저축예금',
      detail: { statusCode: '01' },
      transactions: { totalCount: 2 },
    });
    const trips = roundTrips(await upstreamCalls());
    expect(trips.map((t) => t.map((c) => c.operation).sort())).toEqual([
      ['getAccountBasics', 'listAccounts', 'listTransactions'],
    ]);
  });

  it('returns the reference transactions of 1002146788200 with exact amounts and KST times', async () => {
    const result = await post(
      AccountTransactionsDocument,
      { number: '1002146788200', from: '2019-01-01', to: '2019-06-13' },
      'sandbox-token-demo',
    );
    const nodes = result.data.account!.transactions!.edges.map((e) => e.node);
    const [withdrawal, deposit] = REFERENCE_TRANSACTIONS;
    expect(
      nodes.map((n) => [
        n.occurredAt,
        n.type,
        n.amount.amount,
        n.balanceAfter.amount,
        n.memo,
        n.counterparty,
      ]),
    ).toEqual([
      [
        `${deposit.date}T${deposit.time}+09:00`,
        'DEPOSIT',
        deposit.deposit,
        deposit.balanceAfter,
        deposit.memo,
        deposit.counterparty,
      ],
      [
        `${withdrawal.date}T${withdrawal.time}+09:00`,
        'WITHDRAWAL',
        withdrawal.withdrawal,
        withdrawal.balanceAfter,
        withdrawal.memo,
        withdrawal.counterparty,
      ],
    ]);
  });

  it('carries an 18-digit amount exactly, as a string, from the upstream to the response', async () => {
    const today = dashboardVariables().to;
    const yearAgo = new Date(Date.parse(today) - 365 * 86_400_000).toISOString().slice(0, 10);
    const accounts = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox-token-many' },
      body: JSON.stringify({
        // The huge deposit is 20 days old: within the newest 200 (50 × 1000 would pass MAX_QUERY_NODES).
        query: `{ accounts { number balance { amount } transactions(from: "${yearAgo}", to: "${today}", first: 200) { nodes { amount { amount } } } } }`,
      }),
    });
    const text = await accounts.text();
    const body = JSON.parse(text) as {
      data: {
        accounts: Array<{
          number: string;
          balance: { amount: string };
          transactions: { nodes: Array<{ amount: { amount: string } }> };
        }>;
      };
    };
    const huge = body.data.accounts.find((a) => /^\d{18}$/.test(a.balance.amount));
    expect(huge?.balance.amount).toBe('123456789012345678');
    // A string in the JSON text, never a number literal that a client would round.
    expect(text).toContain('"amount":"123456789012345678"');
    const amounts = huge!.transactions.nodes.map((n) => n.amount.amount);
    expect(amounts.some((a) => /^\d{18}$/.test(a))).toBe(true);
  });
});
