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

  describe('the estimate of what a response carries (nodes)', () => {
    const FIELDS = 'occurredAt type amount { amount currency } balanceAfter { amount } memo counterparty';
    /** The finding of issue 14: 29 aliases of a year's transactions, `first: 1000` each (9.3 MB before). */
    const aliased = (first: number) =>
      `{ account(number: "1002146788200") { ${Array.from(
        { length: 29 },
        (_, i) =>
          `t${i}: transactions(from: "2025-01-01", to: "2025-12-31", first: ${first}) { nodes { ${FIELDS} } }`,
      ).join(' ')} } }`;

    it('refuses 29 aliases × first: 1000 before any upstream call, with the figure and the limit', async () => {
      const res = await send(aliased(1000));
      expect(res.status).toBe(400);
      // Per alias: the connection, and 1000 × (the node, 4 scalars, 2 Money of 2 and 1 fields).
      const perAlias = 1 + 1000 * (1 + 4 + 3 + 2);
      expect(res.error?.extensions).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        nodes: 1 + 29 * perAlias,
        maxNodes: 50_000,
      });
      expect(res.error?.message).toContain(`about ${1 + 29 * perAlias} values; the limit is 50000`);
      expect(h.sandbox.counters().calls.total).toBe(0);
    });

    it('lets the same aliases through with pages that fit', async () => {
      const res = await send(aliased(100));
      expect(res.status).toBe(200);
      expect(res.error).toBeUndefined();
    });

    it('counts lists under the account list as the assumed accounts, and months by the range', async () => {
      const res = await send(
        `{ accounts { transactions(from: "2025-01-15", to: "2025-12-31", first: 1000) { nodes { ${FIELDS} } summary { months { month } } } } }`,
      );
      // 50 × (the account, the connection, 1000 nodes of 10, the summary and its 12 months of 2).
      expect(res.error?.extensions?.nodes).toBe(50 * (1 + 1 + 1000 * 10 + 1 + 12 * 2));
      expect(res.status).toBe(400);
    });
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
