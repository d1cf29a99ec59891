/**
 * `TransactionConnection.summary` and `Query.balances` against sums computed independently, with
 * BigInt, from the sandbox's own ledger read over its HTTP API in Woori's wire format (zero-padded
 * decimal strings, never a JS number): totals, months, opening and closing balances (the latter
 * also checked against the basics endpoint's CT_BAL), for every customer and currency the sandbox
 * has; and what they cost upstream.
 */
import { SANDBOX_TOKENS } from '../../src/sandbox';
import { dashboardVariables } from '../helpers/dashboard';
import { basics, call, PATHS, transactions, type Json } from '../sandbox/helpers';
import { type Harness, type Loose, startHarness } from './harness';

const MS_PER_DAY = 86_400_000;

/** Woori's padded decimal ("000000005273145.000") as exact thousandths. */
function wire(padded: unknown): bigint {
  if (typeof padded !== 'string' || !/^-?\d+\.\d{3}$/.test(padded)) {
    throw new Error(`needs a padded decimal string, got ${JSON.stringify(padded)}`);
  }
  return BigInt(padded.replace('.', ''));
}

/** The service's decimal string ("5273145", "100.5") as exact thousandths. */
function thousandths(decimal: unknown): bigint {
  const m = typeof decimal === 'string' ? /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(decimal) : null;
  if (!m) throw new Error(`needs a decimal string with at most 3 decimals, got ${JSON.stringify(decimal)}`);
  const value = BigInt(m[2]) * 1000n + BigInt((m[3] ?? '').padEnd(3, '0'));
  return m[1] ? -value : value;
}

const compact = (iso: string): string => iso.replace(/-/g, '');
const isoDaysBefore = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - days * MS_PER_DAY).toISOString().slice(0, 10);

interface Row {
  month: string;
  deposit: bigint;
  withdrawal: bigint;
  balance: bigint;
}

interface Expected {
  count: number;
  depositCount: number;
  withdrawalCount: number;
  deposits: bigint;
  withdrawals: bigint;
  opening: bigint | null;
  closing: bigint | null;
  months: Array<{ month: string; count: number; deposits: bigint; withdrawals: bigint; closing: bigint }>;
}

/** Sums the sandbox's rows as the contract defines them, with nothing of the service's code. */
function expectedSummary(rows: Row[], type?: 'DEPOSIT' | 'WITHDRAWAL'): Expected {
  const kind = (r: Row) =>
    r.deposit > 0n && r.withdrawal === 0n
      ? 'DEPOSIT'
      : r.withdrawal > 0n && r.deposit === 0n
        ? 'WITHDRAWAL'
        : null;
  const matching = rows.filter((r) => !type || kind(r) === type);
  const sum = (list: Row[], pick: (r: Row) => bigint) => list.reduce((total, r) => total + pick(r), 0n);
  const monthNames = [...new Set(rows.map((r) => r.month))];
  return {
    count: matching.length,
    depositCount: matching.filter((r) => kind(r) === 'DEPOSIT').length,
    withdrawalCount: matching.filter((r) => kind(r) === 'WITHDRAWAL').length,
    deposits: sum(matching, (r) => r.deposit),
    withdrawals: sum(matching, (r) => r.withdrawal),
    opening: rows.length ? rows[0].balance - rows[0].deposit + rows[0].withdrawal : null,
    closing: rows.length ? rows[rows.length - 1].balance : null,
    months: monthNames.map((month) => {
      const inMonth = matching.filter((r) => r.month === month);
      return {
        month,
        count: inMonth.length,
        deposits: sum(inMonth, (r) => r.deposit),
        withdrawals: sum(inMonth, (r) => r.withdrawal),
        closing: rows.filter((r) => r.month === month).at(-1)!.balance,
      };
    }),
  };
}

/** The service's summary in the same terms, read from its decimal strings. */
function received(summary: Loose, currency: string): Expected {
  const money = (m: Loose): bigint => {
    expect(m.currency).toBe(currency);
    return thousandths(m.amount);
  };
  expect(money(summary.net)).toBe(money(summary.deposits) - money(summary.withdrawals));
  for (const m of summary.months) expect(money(m.net)).toBe(money(m.deposits) - money(m.withdrawals));
  return {
    count: summary.count,
    depositCount: summary.depositCount,
    withdrawalCount: summary.withdrawalCount,
    deposits: money(summary.deposits),
    withdrawals: money(summary.withdrawals),
    opening: summary.openingBalance ? money(summary.openingBalance) : null,
    closing: summary.closingBalance ? money(summary.closingBalance) : null,
    months: summary.months.map((m: Loose) => ({
      month: m.month,
      count: m.count,
      deposits: money(m.deposits),
      withdrawals: money(m.withdrawals),
      closing: money(m.closingBalance),
    })),
  };
}

const SUMMARY = `summary {
  count depositCount withdrawalCount
  deposits { amount currency } withdrawals { amount currency } net { amount currency }
  openingBalance { amount currency } closingBalance { amount currency }
  months { month count deposits { amount currency } withdrawals { amount currency } net { amount currency } closingBalance { amount currency } }
}`;

describe('summaries and balances (against the sandbox ledger)', () => {
  let h: Harness;
  let today: string;
  beforeAll(async () => {
    h = await startHarness({ wireFormat: 'woori' });
    today = h.sandbox.settings.today;
  });
  afterAll(() => h.close());
  beforeEach(() => h.sandbox.reset());

  async function ledgerRows(token: string, account: string, from: string, to: string): Promise<Row[]> {
    const { status, json } = await transactions(h.sandbox, account, compact(from), compact(to), { token });
    expect(status).toBe(200);
    return (json.dataBody.GRID as Json[]).map((row) => ({
      month: `${row.TRN_DT.slice(0, 4)}-${row.TRN_DT.slice(4, 6)}`,
      deposit: wire(row.RCV_AM),
      withdrawal: wire(row.PAY_AM),
      balance: wire(row.DPS_BAL),
    }));
  }

  async function balanceAsOf(token: string, account: string, day: string): Promise<bigint> {
    const { json } = await basics(h.sandbox, account, compact(day), { token });
    return wire(json.dataBody.CT_BAL);
  }

  it.each(['demo', 'many', 'ten'] as const)(
    "equals the ledger's sums over the last 366 days for every account of %s, and balances per currency",
    async (customer) => {
      const token = SANDBOX_TOKENS[customer];
      const from = isoDaysBefore(today, 365);
      const res = await h.run(
        `query ($from: Date!, $to: Date!) {
          balances { currency total { amount currency } accountCount }
          accounts { number currency transactions(from: $from, to: $to, first: 1) { totalCount ${SUMMARY} } }
        }`,
        { from, to: today },
        token,
      );
      expect(res.errors).toBeUndefined();
      // The list, and one transactions call per account: the summaries and balances cost nothing more.
      expect(h.calls()).toEqual({ listAccounts: 1, listTransactions: res.data.accounts.length });

      const list = await call(h.sandbox, PATHS.accounts, { token });
      const expectedBalances = new Map<string, { total: bigint; accountCount: number }>();
      for (const row of list.json.dataBody.GRID as Json[]) {
        const entry = expectedBalances.get(row.CUCD) ?? { total: 0n, accountCount: 0 };
        entry.total += wire(row.PBOK_BAL);
        entry.accountCount += 1;
        expectedBalances.set(row.CUCD, entry);
      }
      expect(
        res.data.balances.map((b: Loose) => [b.currency, thousandths(b.total.amount), b.accountCount]),
      ).toEqual([...expectedBalances].map(([currency, e]) => [currency, e.total, e.accountCount]));
      for (const b of res.data.balances) expect(b.total.currency).toBe(b.currency);

      for (const account of res.data.accounts) {
        const rows = await ledgerRows(token, account.number, from, today);
        const summary = account.transactions.summary;
        expect(received(summary, account.currency)).toEqual(expectedSummary(rows));
        expect(summary.count).toBe(account.transactions.totalCount);
        if (rows.length > 0) {
          // Opening and closing, also as the bank's basics endpoint tells them.
          expect(thousandths(summary.openingBalance.amount)).toBe(
            await balanceAsOf(token, account.number, isoDaysBefore(from, 1)),
          );
          expect(thousandths(summary.closingBalance.amount)).toBe(
            await balanceAsOf(token, account.number, today),
          );
        }
      }
      if (customer === 'many') {
        expect(res.data.balances.map((b: Loose) => b.currency).sort()).toEqual(
          ['CNY', 'EUR', 'JPY', 'KRW', 'USD', 'XAU'].sort(),
        );
        // An 18-digit amount somewhere in the sum, exact.
        expect(res.data.balances.some((b: Loose) => b.total.amount.replace('.', '').length >= 18)).toBe(true);
      }
    },
  );

  it.each(['DEPOSIT', 'WITHDRAWAL'] as const)(
    'sums only %s under a type filter, with opening and closing of every type',
    async (type) => {
      const token = SANDBOX_TOKENS.demo;
      const [from, to] = ['2019-01-01', '2019-12-31'];
      const res = await h.run(
        `query ($from: Date!, $to: Date!, $type: TransactionType) {
          accounts { number currency transactions(from: $from, to: $to, type: $type, first: 2) { totalCount ${SUMMARY} } }
        }`,
        { from, to, type },
        token,
      );
      expect(res.errors).toBeUndefined();
      for (const account of res.data.accounts) {
        const rows = await ledgerRows(token, account.number, from, to);
        const expected = expectedSummary(rows, type);
        expect(received(account.transactions.summary, account.currency)).toEqual(expected);
        expect(expected.count).toBeLessThan(rows.length);
        expect(account.transactions.totalCount).toBe(expected.count);
      }
    },
  );

  it('answers an empty range with zeros, no months and no opening or closing balance', async () => {
    const res = await h.run(
      `{ account(number: "1002146788200") { transactions(from: "2010-01-01", to: "2010-12-31") { ${SUMMARY} } } }`,
    );
    expect(res.data.account.transactions.summary).toEqual({
      count: 0,
      depositCount: 0,
      withdrawalCount: 0,
      deposits: { amount: '0', currency: 'KRW' },
      withdrawals: { amount: '0', currency: 'KRW' },
      net: { amount: '0', currency: 'KRW' },
      openingBalance: null,
      closingBalance: null,
      months: [],
    });
  });

  it('adds no upstream call when summary is asked beside nodes, aliases and balances', async () => {
    const res = await h.run(`{
      balances { currency }
      accounts {
        number
        page: transactions(from: "2019-01-01", to: "2019-12-31", first: 3) { nodes { date } summary { count } }
        totals: transactions(from: "2019-01-01", to: "2019-12-31", type: DEPOSIT) { summary { deposits { amount } months { month } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(h.calls()).toEqual({ listAccounts: 1, listTransactions: 2 });
    expect(res.extensions?.upstream.calls).toBe(3);
  });

  it.each([
    ['demo', 2],
    ['many', 50],
  ] as const)(
    'keeps the dashboard with summaries and balances at 1 + 2N upstream calls (%s, N = %i)',
    async (customer, n) => {
      // test/operations/dashboard.graphql with a summary on both months and the balances beside.
      const res = await h.run(
        `query ($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {
          balances { currency total { amount } }
          accounts {
            number balance { amount } detail { statusCode currentBalance { amount } }
            thisMonth: transactions(from: $from, to: $to, first: 20) { totalCount nodes { occurredAt } ${SUMMARY} }
            lastMonth: transactions(from: $prevFrom, to: $prevTo) { totalCount ${SUMMARY} }
          }
        }`,
        dashboardVariables(),
        SANDBOX_TOKENS[customer],
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.accounts).toHaveLength(n);
      expect(h.calls()).toEqual({ listAccounts: 1, getAccountBasics: n, listTransactions: n });
      expect(res.extensions?.upstream.calls).toBe(1 + 2 * n);
    },
  );

  it('costs one upstream call for balances alone', async () => {
    const res = await h.run(
      '{ balances { currency total { amount } accountCount } }',
      {},
      SANDBOX_TOKENS.many,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.balances.length).toBeGreaterThan(1);
    expect(h.calls()).toEqual({ listAccounts: 1 });
  });
});
