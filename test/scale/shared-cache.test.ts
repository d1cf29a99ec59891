/**
 * Two replicas sharing one Redis, each a separate process, in front of one sandbox: what one
 * fetched the other serves at no upstream cost, freshness on demand, customers kept apart, and a
 * Redis whose dump reveals nothing.
 */
import { createHash } from 'node:crypto';
import { SANDBOX_TOKENS } from '../../src/sandbox';
import { ensureBuilt } from '../helpers/build';
import { dashboardVariables } from '../helpers/dashboard';
import { type Deployment, redisClient, startDeployment } from './replicas';

let deployment: Deployment;

beforeAll(async () => {
  await ensureBuilt();
  deployment = await startDeployment(2);
}, 180_000);
afterAll(() => deployment?.close());

/** The upstream calls `run` causes, from the sandbox's own counters. */
async function costOf<T>(run: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = deployment.upstreamCalls();
  const result = await run();
  return { result, calls: deployment.upstreamCalls() - before };
}

describe('two replicas sharing Redis', () => {
  it('(a) serve through B, at no upstream call, the dashboard A fetched: the same data', async () => {
    const [a, b] = deployment.replicas;
    const viaA = await costOf(() => a.dashboard(SANDBOX_TOKENS.demo));
    const accounts = (viaA.result.data as { accounts: unknown[] }).accounts;
    expect(viaA.result.errors).toBeUndefined();
    expect(viaA.calls).toBe(1 + 2 * accounts.length);
    const viaB = await costOf(() => b.dashboard(SANDBOX_TOKENS.demo));
    expect(viaB.calls).toBe(0);
    expect(viaB.result.upstream).toMatchObject({ calls: 0, cacheHits: expect.any(Number) });
    expect(viaB.result.upstream.cacheHits).toBeGreaterThan(0);
    expect(viaB.result.data).toEqual(viaA.result.data);
  });

  it('make identical calls in flight on both replicas at once into one each', async () => {
    const [a, b] = deployment.replicas;
    const client = redisClient(deployment.redis);
    await client.flushall();
    client.disconnect();
    deployment.sandbox.configure({ latencyMs: 300 });
    try {
      const both = await costOf(() =>
        Promise.all([a.dashboard(SANDBOX_TOKENS.ten), b.dashboard(SANDBOX_TOKENS.ten)]),
      );
      const [viaA, viaB] = both.result;
      const accounts = (viaA.data as { accounts: unknown[] }).accounts;
      expect(viaA.errors).toBeUndefined();
      expect(viaB.errors).toBeUndefined();
      expect(both.calls).toBe(1 + 2 * accounts.length);
      expect(viaA.upstream.calls + viaB.upstream.calls).toBe(both.calls);
      expect(viaB.data).toEqual(viaA.data);
    } finally {
      deployment.sandbox.configure({ latencyMs: 5 });
    }
  });

  it('(b) fetch again with Cache-Control: no-cache, and keep what they fetched', async () => {
    const [a, b] = deployment.replicas;
    await a.dashboard(SANDBOX_TOKENS.ten);
    const fresh = await costOf(() => b.dashboard(SANDBOX_TOKENS.ten, { 'cache-control': 'no-cache' }));
    const accounts = (fresh.result.data as { accounts: unknown[] }).accounts;
    expect(fresh.calls).toBe(1 + 2 * accounts.length);
    expect(fresh.result.upstream.cacheHits).toBe(0);
    const after = await costOf(() => a.query('{ accounts { number fetchedAt } }', SANDBOX_TOKENS.ten));
    expect(after.calls).toBe(0);
  });

  it("(c) never give another customer the first one's data, from either replica, even for its account number", async () => {
    const [a, b] = deployment.replicas;
    const demo = await a.dashboard(SANDBOX_TOKENS.demo);
    const demoNumbers = (demo.data as { accounts: Array<{ number: string }> }).accounts.map((x) => x.number);
    const probe = `{
      accounts { number balance { amount } }
      account(number: "${demoNumbers[0]}") { number balance { amount } detail { currentBalance { amount } } }
    }`;
    for (const replica of [a, b]) {
      const other = await replica.query<{ accounts: Array<{ number: string }>; account: unknown }>(
        probe,
        SANDBOX_TOKENS.many,
      );
      expect(other.data?.account).toBeNull();
      expect(other.data?.accounts.map((x) => x.number)).not.toEqual(expect.arrayContaining([demoNumbers[0]]));
      const text = JSON.stringify(other);
      for (const number of demoNumbers) expect(text).not.toContain(number);
    }
  });

  it('share automatic persisted queries: one registered through A runs by its hash through B', async () => {
    const [a, b] = deployment.replicas;
    const query = `{ account(number: "1002146788200") { number productName } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = { persistedQuery: { version: 1, sha256Hash } };
    const send = (url: string, body: object) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_TOKENS.demo}` },
        body: JSON.stringify(body),
      }).then(
        (res) => res.json() as Promise<{ data?: unknown; errors?: Array<{ extensions: { code: string } }> }>,
      );
    const unknown = await send(b.url, { extensions: persisted });
    expect(unknown.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send(a.url, { query, extensions: persisted })).errors).toBeUndefined();
    const byHash = await send(b.url, { extensions: persisted });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual({ account: { number: '1002146788200', productName: expect.any(String) } });
  });

  it('(f) leave nothing in Redis that reveals a token, an account number, a memo or an amount', async () => {
    const [a, b] = deployment.replicas;
    const secrets = new Set<string>(Object.values(SANDBOX_TOKENS));
    for (const token of [SANDBOX_TOKENS.demo, SANDBOX_TOKENS.ten, SANDBOX_TOKENS.many]) {
      const answer = await a.query<{
        accounts: Array<{
          number: string;
          balance: { amount: string };
          history: {
            nodes: Array<{
              memo: string | null;
              amount: { amount: string };
              balanceAfter: { amount: string };
            }>;
          };
        }>;
      }>(
        `query($from: Date!, $to: Date!) { accounts { number balance { amount } detail { currentBalance { amount } }
          history: transactions(from: $from, to: $to, first: 100) { nodes { memo amount { amount } balanceAfter { amount } } } } }`,
        token,
        { from: dashboardVariables().prevFrom, to: dashboardVariables().to },
      );
      await b.dashboard(token);
      for (const account of answer.data!.accounts) {
        secrets.add(account.number);
        if (account.balance.amount.length >= 5) secrets.add(account.balance.amount);
        for (const node of account.history.nodes) {
          // Short ASCII memos could match random bytes by chance; five bytes cannot (in practice).
          if (node.memo && Buffer.byteLength(node.memo) >= 5) secrets.add(node.memo);
          for (const amount of [node.amount.amount, node.balanceAfter.amount])
            if (amount.length >= 5) secrets.add(amount);
        }
      }
    }
    const client = redisClient(deployment.redis);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys.length).toBeGreaterThan(20);
      const dump: Buffer[] = [];
      for (const key of keys) {
        dump.push(Buffer.from(key));
        const value = await client.getBuffer(key);
        if (value) dump.push(value);
        const serialized = await client.dumpBuffer(key);
        if (serialized) dump.push(serialized);
      }
      const everything = Buffer.concat(dump);
      expect(secrets.size).toBeGreaterThan(100);
      const found = [...secrets].filter((secret) => everything.includes(Buffer.from(secret)));
      expect(found).toEqual([]);
    } finally {
      client.disconnect();
    }
  });
});
