/**
 * The whole-request argument check: a bad argument anywhere refuses the request before anything
 * runs (HTTP 400, no data, no upstream call, one BAD_USER_INPUT error per broken rule), against
 * the real sandbox; and the rules it shares with the field.
 */
import { isObjectType } from 'graphql';
import { SANDBOX_TOKENS } from '../../src/sandbox';
import { ARGUMENT_CLASSES } from '../../src/graphql/validation';
import { createCallContext } from '../../src/woori/call-context';
import { DEVICE, type Harness, type Loose, startHarness } from './harness';

const A = '1002146788200';
const B = '1002160010529';

interface Sent {
  status: number;
  body: { data?: Loose; errors?: Loose[] };
  calls: number;
}

describe('whole-request argument checks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.reset());

  async function send(query: string, variables: Record<string, unknown> = {}): Promise<Sent> {
    const response = await h.service.apollo.executeOperation(
      { query, variables },
      {
        contextValue: h.service.createContext(
          createCallContext({ token: SANDBOX_TOKENS.demo, device: DEVICE }),
        ),
      },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return {
      status: response.http.status ?? 200,
      body: JSON.parse(JSON.stringify(response.body.singleResult)),
      calls: h.sandbox.counters().calls.total,
    };
  }

  function expectRefused(
    res: Sent,
    expected: Array<{ argument: string; rule: string; path: string[] }>,
  ): void {
    expect(res.status).toBe(400);
    expect(res.body).not.toHaveProperty('data');
    expect(res.calls).toBe(0);
    const errors = res.body.errors ?? [];
    expect(
      errors.map((e: Loose) => ({
        code: e.extensions.code,
        argument: e.extensions.invalidArgs[0].argument,
        rule: e.extensions.invalidArgs[0].rule,
        path: e.extensions.path,
      })),
    ).toEqual(expected.map((x) => ({ code: 'BAD_USER_INPUT', ...x })));
    for (const [i, error] of errors.entries()) {
      expect(error.extensions.invalidArgs).toHaveLength(1);
      expect(error.message).toContain(`"${expected[i].argument}"`);
      expect(error.locations).toEqual([{ line: expect.any(Number), column: expect.any(Number) }]);
    }
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at Object\./);
  }

  it('refuses a bad literal under the account list once, not once per account, and spends no call', async () => {
    const res = await send(
      `{ accounts { number transactions(from: "2019-02-01", to: "2019-01-01") { totalCount } } }`,
    );
    expectRefused(res, [{ argument: 'to', rule: 'fromNotAfterTo', path: ['accounts', 'transactions'] }]);
    // The argument the error names is the one its message is about.
    expect(res.body.errors![0].message).toBe(
      'Argument "to" needs a date on or after "from" (2019-02-01), got 2019-01-01.',
    );
  });

  it('refuses bad variables the same way as literals', async () => {
    const res = await send(
      `query ($number: String!, $from: Date!, $to: Date!, $first: Int) {
        account(number: $number) { transactions(from: $from, to: $to, first: $first) { totalCount nodes { date } } }
      }`,
      { number: A, from: '2018-01-01', to: '2019-06-01', first: 5000 },
    );
    expectRefused(res, [
      { argument: 'first', rule: 'max', path: ['account', 'transactions'] },
      { argument: 'to', rule: 'maxSpanDays', path: ['account', 'transactions'] },
    ]);
  });

  it('refuses a bad argument beside valid fields, with one error per broken rule and its path', async () => {
    const res = await send(`{
      accounts { number detail { statusCode } ok: transactions(from: "2019-01-01", to: "2019-01-31") { totalCount } }
      bad: account(number: "12") { number }
      alsoBad: account(number: "${A}") {
        deep: transactions(from: "2019-01-01", to: "2019-01-31", first: 0) { totalCount }
      }
    }`);
    expectRefused(res, [
      { argument: 'number', rule: 'matches', path: ['bad'] },
      { argument: 'first', rule: 'min', path: ['alsoBad', 'deep'] },
    ]);
    expect(res.body.errors![0].message).toBe('Argument "number" needs 10 to 15 digits, got 2 digits.');
  });

  it('finds bad arguments in fragments and inline fragments, and checks a field once however many fragments name it', async () => {
    const res = await send(`
      query { accounts { ...Recent ...Recent ... on Account { ...Recent } } }
      fragment Recent on Account { recent: transactions(from: "2019-01-05", to: "2019-01-01") { totalCount } }
    `);
    expectRefused(res, [{ argument: 'to', rule: 'fromNotAfterTo', path: ['accounts', 'recent'] }]);
  });

  it('skips fields that @skip or @include leave out, as execution does', async () => {
    const res = await send(
      `query ($skip: Boolean!) { accounts { number transactions(from: "2019-01-05", to: "2019-01-01") @skip(if: $skip) { totalCount } } }`,
      { skip: true },
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.calls).toBe(1);
  });

  it('leaves variables that do not coerce to execution, which refuses them with no call', async () => {
    const res = await send('query ($n: String!) { account(number: $n) { number } }', { n: 5 });
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.calls).toBe(0);
  });

  describe('cursors', () => {
    const range = { from: '2019-01-01', to: '2019-12-31' };
    const page = `query ($n: String!, $from: Date!, $to: Date!, $after: String) {
      account(number: $n) { transactions(from: $from, to: $to, first: 1, after: $after) { totalCount pageInfo { endCursor } } }
    }`;
    let cursorOfA: string;
    beforeAll(async () => {
      const res = await send(page, { n: A, ...range });
      cursorOfA = res.body.data.account.transactions.pageInfo.endCursor;
      expect(cursorOfA).toEqual(expect.any(String));
    });

    it('accepts a cursor issued for the same list', async () => {
      const res = await send(page, { n: A, ...range, after: cursorOfA });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    });

    it('refuses a forged cursor, and one issued for another range, beside a valid field, before any call', async () => {
      const res = await send(`{
        accounts { number }
        account(number: "${A}") {
          forged: transactions(from: "2019-01-01", to: "2019-12-31", after: "0_AAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAA") { totalCount }
          otherRange: transactions(from: "2019-01-01", to: "2019-12-30", after: "${cursorOfA}") { totalCount }
          otherOrder: transactions(from: "2019-01-01", to: "2019-12-31", order: OLDEST_FIRST, after: "${cursorOfA}") { totalCount }
          sameList: transactions(from: "2019-01-01", to: "2019-12-31", after: "${cursorOfA}") { totalCount }
        }
      }`);
      expectRefused(res, [
        { argument: 'after', rule: 'issuedCursor', path: ['account', 'forged'] },
        { argument: 'after', rule: 'issuedCursor', path: ['account', 'otherRange'] },
        { argument: 'after', rule: 'issuedCursor', path: ['account', 'otherOrder'] },
      ]);
    });

    it("refuses at the field a cursor of another account's list, which only the field can tell", async () => {
      const res = await send(page, { n: B, ...range, after: cursorOfA });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ account: { transactions: null } });
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        invalidArgs: [{ argument: 'after', rule: 'cursorAccount' }],
      });
      expect(res.body.errors![0].path).toEqual(['account', 'transactions']);
      // No transactions call for the refused field; the list tells whether the account is the customer's.
      expect(h.sandbox.counters().calls.byOperation.listTransactions ?? 0).toBe(0);
    });
  });

  it('has the rules of every field that takes arguments', () => {
    const coordinates: string[] = [];
    for (const type of Object.values(h.service.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('_')) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.args.length > 0 && !field.name.startsWith('_'))
          coordinates.push(`${type.name}.${field.name}`);
      }
    }
    expect(coordinates.sort()).toEqual(Object.keys(ARGUMENT_CLASSES).sort());
  });
});
