import { SANDBOX_TOKENS } from '../../src/sandbox';
import { createCallContext } from '../../src/woori/call-context';
import { DEVICE, type Harness, startHarness } from './harness';

const DEEP = `{ accounts { transactions(from: "2019-01-01", to: "2019-01-02") { edges { node { amount { amount } } } } } }`;

describe('query protections', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, undefined, { queryLimits: { maxDepth: 5 } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.reset());

  async function send(query: string) {
    const response = await h.service.apollo.executeOperation(
      { query },
      {
        contextValue: h.service.createContext(
          createCallContext({ token: SANDBOX_TOKENS.demo, device: DEVICE }),
        ),
      },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    return { status: response.http.status ?? 200, error: result?.errors?.[0] };
  }

  it.each([
    [
      '101 aliases of __typename',
      `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      /alias/i,
    ],
    ['a query deeper than the limit', DEEP, /depth/i],
    ['too many directives', `{ accounts ${'@include(if: true) '.repeat(6)} { number } }`, /directive/i],
    ['more tokens than the parser allows', `{ ${'__typename '.repeat(1200)} }`, /tokens/i],
    [
      'an estimated 601 upstream calls',
      `{ accounts { ${Array.from({ length: 12 }, (_, i) => `t${i}: transactions(from: "2019-01-0${(i % 9) + 1}", to: "2019-02-01") { totalCount }`).join(' ')} } }`,
      /about 601 upstream calls; the limit is 500/,
    ],
  ])('refuses %s with a 400 before any upstream call', async (_name, query, pattern) => {
    const res = await send(query);
    expect(res.status).toBe(400);
    expect(res.error?.message).toMatch(pattern);
    expect(h.sandbox.counters().calls.total).toBe(0);
  });

  it('leaves variables that do not coerce to execution: a 400 BAD_USER_INPUT, not a 500', async () => {
    const response = await h.service.apollo.executeOperation(
      { query: 'query($n: String!) { account(number: $n) { number } }', variables: { n: 5 } },
      {
        contextValue: h.service.createContext(
          createCallContext({ token: SANDBOX_TOKENS.demo, device: DEVICE }),
        ),
      },
    );
    expect(response.http.status).toBe(400);
    expect(response.body.kind === 'single' && response.body.singleResult.errors?.[0].extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(h.sandbox.counters().calls.total).toBe(0);
  });

  it('lets the dashboard query through', async () => {
    const res = await send(
      `{ accounts { number detail { statusCode } a: transactions(from: "2019-01-01", to: "2019-01-31") { totalCount } b: transactions(from: "2019-02-01", to: "2019-02-28") { totalCount } } }`,
    );
    expect(res.status).toBe(200);
    expect(res.error).toBeUndefined();
  });
});
