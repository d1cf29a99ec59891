/**
 * Issue 14's "cost that matches what a request spends", over HTTP with the embedded sandbox: the
 * ceilings set by settings (upstream calls per request, response bytes) and the estimate of what a
 * response carries, each answered typed, with the sandbox's own counters to show what was spent.
 */
import { loadConfig } from '../../src/server/config';
import { type RunningService, startService } from '../../src/server/app';

const MAX_CALLS = 20;
const MAX_BYTES = 20_000;

describe('ceilings over HTTP', () => {
  let service: RunningService;
  let sandboxUrl: string;

  beforeAll(async () => {
    service = await startService(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        MAX_UPSTREAM_CALLS_PER_REQUEST: String(MAX_CALLS),
        MAX_RESPONSE_BYTES: String(MAX_BYTES),
      }),
    );
    sandboxUrl = service.sandbox!.url;
  });
  afterAll(() => service.close());
  beforeEach(async () => {
    await fetch(`${sandboxUrl}/__sandbox/reset`, { method: 'POST' });
  });

  async function post(query: string, token = 'sandbox-token-many') {
    const res = await fetch(service.graphqlUrl, {
      method: 'POST',
      // Fresh answers every time: the counts asserted are of upstream calls, not of cache hits.
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-cache',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query }),
    });
    const text = await res.text();
    const counters = (await (await fetch(`${sandboxUrl}/__sandbox/counters`)).json()) as {
      calls: { total: number };
    };
    return {
      status: res.status,
      bytes: Buffer.byteLength(text),
      body: JSON.parse(text),
      calls: counters.calls.total,
    };
  }

  it('stops a request at MAX_UPSTREAM_CALLS_PER_REQUEST with LIMIT_EXCEEDED', async () => {
    const res = await post('{ accounts { number detail { statusCode } } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({
      code: 'LIMIT_EXCEEDED',
      limit: 'maxUpstreamCallsPerRequest',
      value: MAX_CALLS,
    });
    expect(res.calls).toBe(MAX_CALLS);
    expect(res.body.extensions.upstream.calls).toBe(MAX_CALLS);
  });

  it('replaces a response over MAX_RESPONSE_BYTES by LIMIT_EXCEEDED', async () => {
    const fields = 'number productCode productName currency balance { amount currency } openedOn maturesOn';
    const small = await post(`{ accounts { number } }`);
    expect(small.body.errors).toBeUndefined();
    const large = await post(
      `{ accounts { ${fields} } one: accounts { ${fields} } two: accounts { ${fields} } }`,
    );
    expect(large.status).toBe(200);
    expect(large.body).toEqual({
      data: null,
      errors: [
        {
          message: expect.stringMatching(
            /^The response needs \d+ bytes, more than the 20000 one response may carry/,
          ),
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxResponseBytes', value: MAX_BYTES },
        },
      ],
      extensions: { upstream: { calls: 1, retries: 0, durationMs: expect.any(Number) } },
    });
    expect(large.bytes).toBeLessThan(MAX_BYTES);
  });

  it('refuses 29 aliases × first: 1000 over a year before it runs: HTTP 400 with the figure and the limit', async () => {
    const aliases = Array.from(
      { length: 29 },
      (_, i) =>
        `t${i}: transactions(from: "2025-01-01", to: "2025-12-31", first: 1000) { nodes { occurredAt amount { amount } memo } }`,
    ).join(' ');
    const res = await post(`{ account(number: "1002146788200") { ${aliases} } }`, 'sandbox-token-demo');
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      nodes: 1 + 29 * (1 + 1000 * 5),
      maxNodes: 50_000,
    });
    expect(res.calls).toBe(0);
  });
});
