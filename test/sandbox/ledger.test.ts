/**
 * The sandbox is one consistent ledger (issue 9), checked for every customer and account through
 * its real HTTP API: running balances chain exactly from zero, the latest transaction's balance is
 * the list's PBOK_BAL and CT_BAL as of today, CT_BAL as of a past day is the balance at the end of
 * that day, and no transaction is later than the moment the sandbox started (KST, to the second),
 * whatever the clock said then and however long it runs. Amounts are read exactly (Woori's padded
 * decimal strings into bigint thousandths), never through a JS number.
 */
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { basics, call, PATHS, transactions, type Json } from './helpers';

const MS_PER_DAY = 86_400_000;
const KST_OFFSET_MS = 9 * 3_600_000;
/** The sandbox's default `maxSpanDays`: the longest range one call may ask for. */
const MAX_SPAN_DAYS = 366;
/** Past days per account whose CT_BAL is checked, spread over its history. */
const BASICS_SAMPLES = 8;

const dayOf = (compact: string): number =>
  Date.UTC(Number(compact.slice(0, 4)), Number(compact.slice(4, 6)) - 1, Number(compact.slice(6, 8))) /
  MS_PER_DAY;
const compactOf = (day: number): string =>
  new Date(day * MS_PER_DAY).toISOString().slice(0, 10).replace(/-/g, '');
/** `YYYYMMDDHHmmss` in KST. */
const kstStamp = (ms: number): string =>
  new Date(ms + KST_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
const stampMs = (stamp: string): number =>
  Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3T$4:$5:$6+09:00'));
/** `YYYYMMDDHHmmss` of the sandbox's `ledgerEnd`. */
const endStamp = (sandbox: RunningSandbox): string => sandbox.ledgerEnd.replace(/\D/g, '').slice(0, 14);

/** Woori's padded decimal as exact thousandths: "000000005273145.000" → 5273145000n. */
function exact(padded: unknown): bigint {
  if (typeof padded !== 'string' || !/^\d{15,}\.\d{3}$/.test(padded)) {
    throw new Error(`needs a padded decimal string, got ${JSON.stringify(padded)}`);
  }
  return BigInt(padded.replace('.', ''));
}

interface Row {
  /** `YYYYMMDDHHmmss`, KST. */
  stamp: string;
  day: number;
  deposit: bigint;
  withdrawal: bigint;
  balance: bigint;
}

/** Every row of [from, to], asked in ranges of at most `MAX_SPAN_DAYS` days, oldest first. */
async function rowsBetween(
  sandbox: RunningSandbox,
  token: string,
  account: string,
  from: number,
  to: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let start = from; start <= to; start += MAX_SPAN_DAYS) {
    const end = Math.min(to, start + MAX_SPAN_DAYS - 1);
    const { status, json } = await transactions(sandbox, account, compactOf(start), compactOf(end), {
      token,
    });
    if (status !== 200) throw new Error(`transactions of ${account} answered ${status}`);
    for (const row of json.dataBody.GRID as Json[]) {
      rows.push({
        stamp: `${row.TRN_DT}${row.TRN_TM}`,
        day: dayOf(row.TRN_DT),
        deposit: exact(row.RCV_AM),
        withdrawal: exact(row.PAY_AM),
        balance: exact(row.DPS_BAL),
      });
    }
  }
  return rows;
}

/** The balance at the end of `day`: the last row's on or before it, 0 before the first. */
function balanceAt(rows: readonly Row[], day: number): bigint {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle].day <= day) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? 0n : rows[low - 1].balance;
}

interface Findings {
  problems: string[];
  accounts: number;
  rows: number;
  basics: number;
  /** The latest transaction seen in any account, `YYYYMMDDHHmmss`. */
  latest: string;
}

/**
 * Checks every account of every customer. `history: 'whole'` reads each account from its opening
 * day (and basics over its history); 'recent' reads from its last transaction day only, which is
 * enough for where it ends.
 */
async function checkLedgers(sandbox: RunningSandbox, history: 'whole' | 'recent'): Promise<Findings> {
  const findings: Findings = { problems: [], accounts: 0, rows: 0, basics: 0, latest: '' };
  const problem = (account: string, text: string): void => void findings.problems.push(`${account}: ${text}`);
  const end = endStamp(sandbox);
  const today = dayOf(sandbox.settings.today.replace(/-/g, ''));
  for (const customer of sandbox.customers) {
    const list = await call(sandbox, PATHS.accounts, { token: customer.token });
    const listed: Json[] = list.json.dataBody.GRID;
    expect(listed.map((row) => row.ACNO)).toEqual(customer.accountNumbers);
    // Accounts concurrently, as a dashboard would ask.
    const checks = listed.map(async (account) => {
      const number: string = account.ACNO;
      findings.accounts += 1;
      const openedOn = dayOf(account.NEW_DT.replace(/-/g, ''));
      const lastOn = dayOf(account.LST_TRN_DT.replace(/-/g, ''));
      const from = history === 'whole' ? openedOn - 1 : lastOn;
      // A year past today as well: nothing may be there.
      const rows = await rowsBetween(sandbox, customer.token, number, from, today + MAX_SPAN_DAYS);
      findings.rows += rows.length;

      let previous = history === 'whole' ? 0n : undefined;
      rows.forEach((row, i) => {
        if (previous !== undefined && row.balance !== previous + row.deposit - row.withdrawal) {
          problem(
            number,
            `row ${i} (${row.stamp}) leaves ${row.balance}, not ${previous} + ${row.deposit} - ${row.withdrawal}`,
          );
        }
        if (row.balance < 0n) problem(number, `row ${i} (${row.stamp}) leaves a negative balance`);
        if (i > 0 && row.stamp < rows[i - 1].stamp)
          problem(number, `row ${i} (${row.stamp}) is out of order`);
        if (row.stamp > end) problem(number, `row ${i} (${row.stamp}) is later than the ledgers' end ${end}`);
        previous = row.balance;
      });
      const last = rows.at(-1);
      if (!last) {
        problem(number, 'no transaction at all');
        return;
      }
      if (last.stamp > findings.latest) findings.latest = last.stamp;
      if (exact(account.PBOK_BAL) !== last.balance) {
        problem(number, `PBOK_BAL ${exact(account.PBOK_BAL)} is not the last balance ${last.balance}`);
      }
      if (last.day !== lastOn)
        problem(number, `LST_TRN_DT is not the last transaction's day ${compactOf(last.day)}`);

      const days = new Set<number>([today, today + 1]);
      if (history === 'whole') {
        days.add(openedOn - 1).add(openedOn);
        const step = Math.max(1, Math.floor(rows.length / BASICS_SAMPLES));
        for (let i = 0; i < rows.length; i += step) days.add(rows[i].day - 1).add(rows[i].day);
      }
      const answers = await Promise.all(
        [...days].map(async (day) => {
          const { json } = await basics(sandbox, number, compactOf(day), { token: customer.token });
          return { day, balance: exact(json.dataBody.CT_BAL) };
        }),
      );
      findings.basics += answers.length;
      for (const { day, balance } of answers) {
        const expected = day >= today ? last.balance : balanceAt(rows, day);
        if (balance !== expected)
          problem(number, `CT_BAL as of ${compactOf(day)} is ${balance}, not ${expected}`);
      }
    });
    await Promise.all(checks);
  }
  return findings;
}

/** Fakes only Date, at `ms`: the HTTP stack keeps its real timers. */
function fakeClock(ms: number): void {
  jest.useFakeTimers({
    now: ms,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

describe('the sandbox ledger', () => {
  afterEach(() => jest.useRealTimers());

  it('is one consistent ledger for every account when started at 20:27 KST, and stays so for hours', async () => {
    // When a transaction timed 21:20 KST was once served.
    const startedAt = Date.parse('2026-12-02T20:27:00+09:00');
    fakeClock(startedAt);
    const sandbox = await startSandbox({ wireFormat: 'woori' });
    try {
      expect(sandbox.settings.today).toBe('2026-12-02');
      expect(sandbox.ledgerEnd).toBe('2026-12-02T20:27:00+09:00');
      const findings = await checkLedgers(sandbox, 'whole');
      expect(findings.problems).toEqual([]);
      expect(findings.accounts).toBe(63);
      expect(findings.rows).toBeGreaterThan(100_000);
      expect(findings.basics).toBeGreaterThan(63 * BASICS_SAMPLES);
      expect(findings.latest <= '20261202202700').toBe(true);
      // The ledgers run right up to the start, not to a day's edge: `heavy` trades every few minutes.
      expect(stampMs(findings.latest)).toBeGreaterThan(startedAt - 3_600_000);

      for (const hours of [1, 5, 16]) {
        jest.setSystemTime(startedAt + hours * 3_600_000);
        const later = await checkLedgers(sandbox, 'recent');
        expect(later.problems).toEqual([]);
        expect(later.latest).toBe(findings.latest);
      }
    } finally {
      await sandbox.close();
    }
  });

  it('ends at the start instant when started at 00:00:00 KST on the 1st (the day before in UTC)', async () => {
    // Before the night batch of the 1st (interest, installments, repayments), which must not show.
    const startedAt = '2026-12-01T00:00:00+09:00';
    fakeClock(Date.parse(startedAt));
    const sandbox = await startSandbox({ wireFormat: 'woori' });
    try {
      expect(sandbox.settings.today).toBe(startedAt.slice(0, 10));
      expect(sandbox.ledgerEnd).toBe(startedAt);
      const findings = await checkLedgers(sandbox, 'recent');
      expect(findings.problems).toEqual([]);
      expect(findings.accounts).toBe(63);
      expect(stampMs(findings.latest)).toBeLessThanOrEqual(Date.parse(startedAt));
      expect(stampMs(findings.latest)).toBeGreaterThan(Date.parse(startedAt) - 3_600_000);
    } finally {
      await sandbox.close();
    }
  });

  it('ends at the last second of a day that is over', async () => {
    const sandbox = await startSandbox({ today: '2025-11-25', wireFormat: 'woori' });
    try {
      expect(sandbox.ledgerEnd).toBe('2025-11-25T23:59:59+09:00');
      const findings = await checkLedgers(sandbox, 'recent');
      expect(findings.problems).toEqual([]);
      expect(findings.latest.slice(0, 8)).toBe('20251125');
    } finally {
      await sandbox.close();
    }
  });

  it('has no transaction later than now on the real clock', async () => {
    const startedAt = Date.now();
    const sandbox = await startSandbox({ wireFormat: 'woori' });
    try {
      expect(endStamp(sandbox) >= kstStamp(startedAt)).toBe(true);
      const findings = await checkLedgers(sandbox, 'recent');
      expect(findings.problems).toEqual([]);
      expect(findings.latest <= kstStamp(Date.now())).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});
