/**
 * The per-request ceiling on upstream calls, against the sandbox's own counters: a request that
 * would make more calls than the ceiling stops at it, typed, instead of running on.
 */
import { SANDBOX_TOKENS } from '../../src/sandbox';
import { type Harness, startHarness } from './harness';

const CEILING = 10;

describe('the ceiling on upstream calls per request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, undefined, { maxUpstreamCallsPerRequest: CEILING });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.reset());

  it('stops a request at the ceiling with one LIMIT_EXCEEDED error and no data', async () => {
    // 50 accounts: the list, then 50 basics calls; only 9 of them fit.
    const res = await h.run('{ accounts { number detail { statusCode } } }', {}, SANDBOX_TOKENS.many);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      {
        message: expect.stringContaining(`more than ${CEILING} upstream calls`),
        extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxUpstreamCallsPerRequest', value: CEILING },
      },
    ]);
    expect(h.sandbox.counters().calls.total).toBe(CEILING);
    expect(res.extensions?.upstream.calls).toBe(CEILING);
  });

  it("counts the calls account(number) starts before it knows the account is the customer's", async () => {
    // The list and 12 basics calls started beside it, for numbers the customer does not have: the
    // ceiling refuses the last 3 before they leave, and the answer (no such accounts) needs none.
    const fields = Array.from(
      { length: 12 },
      (_, i) => `a${i}: account(number: "99999999${String(i).padStart(2, '0')}") { detail { statusCode } }`,
    ).join(' ');
    const res = await h.run(`{ ${fields} }`);
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data)).toEqual(Array(12).fill(null));
    expect(h.sandbox.counters().calls.total).toBe(CEILING);
  });

  it('lets a request within the ceiling through', async () => {
    const res = await h.run(
      '{ accounts { number detail { statusCode } t: transactions(from: "2019-01-01", to: "2019-01-31") { totalCount } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(h.sandbox.counters().calls.total).toBe(5);
  });
});
