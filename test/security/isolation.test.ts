/**
 * 1,000 interleaved requests from two customers: each response holds only its own customer's data.
 */
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';

const QUERY = `query($from: Date!, $to: Date!) {
  accounts { number balance { amount } transactions(from: $from, to: $to, first: 5) { totalCount nodes { balanceAfter { amount } } } }
}`;

describe('isolation between customers', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        SANDBOX_LATENCY_MS: '2',
      }),
    );
  });
  afterAll(() => service.close());

  async function ask(token: string): Promise<string> {
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY, variables: { from: '2026-01-01', to: '2026-03-31' } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { accounts: Array<{ number: string }> }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return JSON.stringify(body.data);
  }

  it('serves each of 1,000 interleaved requests only its own customer’s data', async () => {
    const tokens = ['sandbox-token-demo', 'sandbox-token-ten'];
    const expected = await Promise.all(tokens.map(ask));
    expect(expected[0]).not.toBe(expected[1]);
    let mismatches = 0;
    const concurrency = 20;
    for (let batch = 0; batch < 1000 / concurrency; batch++) {
      const answers = await Promise.all(
        Array.from({ length: concurrency }, async (_, i) => {
          const which = (batch + i) % 2;
          return { which, data: await ask(tokens[which]) };
        }),
      );
      for (const a of answers) if (a.data !== expected[a.which]) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  }, 120_000);
});
