import {
  APARTMENTS,
  CARD_COMPANIES,
  FOREIGN_PAYEES,
  FOREIGN_SENDERS,
  INSURERS,
  KINDS,
  MERCHANTS,
  PEOPLE,
  PHONE_BILLS,
  type TransactionKind,
} from './catalog';
import { calendarOf, compactTime, firstOfNextMonth, isAfter, type Instant } from './dates';
import { PRICE_SCALE, units } from './decimal';
import type { FundTerms, Ledger, Transaction } from './model';
import { hashInts, type Random } from './random';

/**
 * Ledger generation. Generators first draft the events of a period (day, time, kind, amount,
 * direction) for whole days, from the account's own random stream; drafts later than the end of
 * the sandbox's ledgers (`Instant`, see `dates.ts`) are then dropped, so the time of day never
 * changes what is drawn for earlier moments. A balance pass then fixes the running balances:
 * forward from zero for scheduled products, or, for accounts that must end at a given balance,
 * backward from it to find the balance they start from, which an opening deposit on the opening
 * day supplies (`closingLedger`). Either way every ledger starts from zero and every row's balance
 * is the previous one + deposit - withdrawal. A withdrawal that would overdraw (forward), or a
 * deposit that would leave a negative balance before it (backward), turns into the opposite
 * generic transfer, so balances never go negative and event counts stay exact.
 */

export interface Draft {
  day: number;
  seconds: number;
  kind: TransactionKind;
  memo: string;
  counterparty: string;
  amount: bigint;
  incoming: boolean;
  installment?: number;
  /** The name used if the balance pass has to turn this draft around. */
  alternateName: string;
}

/** What a draft that must change direction becomes. */
export interface Reversal {
  incoming: { kind: TransactionKind; memo?: string };
  outgoing: { kind: TransactionKind; memo?: string };
}

export const TRANSFER_REVERSAL: Reversal = {
  incoming: { kind: KINDS.transferIn },
  outgoing: { kind: KINDS.transferOut },
};

/** The drafts up to `end`, in order; later ones are dropped. */
function until(drafts: readonly Draft[], end: Instant): Draft[] {
  return drafts.filter((draft) => !isAfter(draft.day, draft.seconds, end));
}

/** Running balances from zero, turning around any withdrawal that would overdraw. */
export function balanceForward(drafts: Draft[], reversal: Reversal): Ledger {
  const rows: Transaction[] = new Array(drafts.length);
  let balance = 0n;
  for (let i = 0; i < drafts.length; i += 1) {
    const draft = drafts[i];
    if (!draft.incoming && draft.amount > balance) reverse(draft, reversal);
    balance = draft.incoming ? balance + draft.amount : balance - draft.amount;
    rows[i] = toRow(draft, balance);
  }
  return { rows };
}

/**
 * The balance `drafts` must start from to end at `closing`, walking backward and turning around
 * any deposit that would leave a negative balance before it (the drafts are changed in place).
 */
function openingFor(drafts: Draft[], closing: bigint, reversal: Reversal): bigint {
  let balance = closing;
  for (let i = drafts.length - 1; i >= 0; i -= 1) {
    const draft = drafts[i];
    if (draft.incoming && draft.amount > balance) reverse(draft, reversal);
    balance = draft.incoming ? balance - draft.amount : balance + draft.amount;
  }
  return balance;
}

/** History the generator must not change: a first deposit and rows, then a bridge to the drafts. */
export interface FixedHistory {
  /** Deposited on the opening day. */
  opening: bigint;
  /** After the opening day, before `bridgeOn`; they never overdraw. */
  rows: Draft[];
  /** The day of the transfer that takes the balance after `rows` to where the drafts start. */
  bridgeOn: number;
}

export interface ClosingTerms {
  openedOn: number;
  /** Generated activity, after the opening day (and after `fixed.bridgeOn`), oldest first. */
  drafts: Draft[];
  /** The balance at the end: the account's balance now. */
  closing: bigint;
  reversal: Reversal;
  end: Instant;
  fixed?: FixedHistory;
}

/**
 * A ledger from zero that ends exactly at `closing`: an opening deposit on the opening day of
 * what the drafts need before them (or `fixed` history and a bridging transfer), then the drafts.
 */
export function closingLedger(random: Random, terms: ClosingTerms): Ledger {
  const drafts = until(terms.drafts, terms.end);
  const needed = openingFor(drafts, terms.closing, terms.reversal);
  const head: Draft[] = [];
  const first = terms.fixed ? terms.fixed.opening : needed;
  const seconds = random.int(9 * 3600, 16 * 3600 - 1);
  if (first > 0n) {
    head.push({ ...OPENING, day: terms.openedOn, seconds, amount: first, incoming: true });
  }
  if (terms.fixed) {
    let balance = first;
    for (const row of terms.fixed.rows) {
      head.push(row);
      balance += row.incoming ? row.amount : -row.amount;
    }
    if (balance !== needed) {
      const incoming = needed > balance;
      const bridge = incoming ? BRIDGE_IN : BRIDGE_OUT;
      const amount = incoming ? needed - balance : balance - needed;
      head.push({ ...bridge, day: terms.fixed.bridgeOn, seconds, amount, incoming });
    }
  }
  return chain(until([...head, ...drafts], terms.end));
}

type Labels = Pick<Draft, 'kind' | 'memo' | 'counterparty' | 'alternateName'>;
const OPENING: Labels = { kind: KINDS.opening, memo: '신규', counterparty: '', alternateName: '' };
/** Savings moved in from, or out to, the customer's own time deposit. */
const BRIDGE_IN: Labels = {
  kind: KINDS.transferIn,
  memo: '정기예금해지',
  counterparty: '우리은행',
  alternateName: '',
};
const BRIDGE_OUT: Labels = {
  kind: KINDS.transferOut,
  memo: '정기예금가입',
  counterparty: '우리은행',
  alternateName: '',
};

/** Running balances from zero, for drafts already known never to overdraw. */
function chain(drafts: readonly Draft[]): Ledger {
  const rows: Transaction[] = new Array(drafts.length);
  let balance = 0n;
  for (let i = 0; i < drafts.length; i += 1) {
    const draft = drafts[i];
    balance = draft.incoming ? balance + draft.amount : balance - draft.amount;
    if (balance < 0n)
      throw new RangeError(`A ledger needs balances of 0 or more, got ${balance} at row ${i}`);
    rows[i] = toRow(draft, balance);
  }
  return { rows };
}

function reverse(draft: Draft, reversal: Reversal): void {
  draft.incoming = !draft.incoming;
  const target = draft.incoming ? reversal.incoming : reversal.outgoing;
  draft.kind = target.kind;
  draft.memo = target.memo ?? draft.alternateName;
  draft.counterparty = target.memo === undefined ? draft.alternateName : '';
  draft.installment = undefined;
}

function toRow(draft: Draft, balance: bigint): Transaction {
  return {
    day: draft.day,
    time: compactTime(draft.seconds),
    kind: draft.kind,
    memo: draft.memo,
    counterparty: draft.counterparty,
    deposit: draft.incoming ? draft.amount : 0n,
    withdrawal: draft.incoming ? 0n : draft.amount,
    balance,
    installment: draft.installment ?? 0,
  };
}

/** Collects one day's drafts and sorts them by time of day. */
class DayDrafts {
  private readonly items: Draft[] = [];

  constructor(
    private readonly random: Random,
    private readonly day: number,
  ) {}

  add(
    kind: TransactionKind,
    incoming: boolean,
    amount: bigint,
    memo: string,
    counterparty: string,
    hours: [number, number],
    installment?: number,
  ): void {
    const seconds = this.random.int(hours[0] * 3600, hours[1] * 3600 - 1);
    const alternateName = this.random.pick(PEOPLE);
    this.items.push({
      day: this.day,
      seconds,
      kind,
      memo,
      counterparty,
      amount,
      incoming,
      installment,
      alternateName,
    });
  }

  flushInto(out: Draft[]): void {
    this.items.sort((a, b) => a.seconds - b.seconds);
    for (const item of this.items) out.push(item);
  }
}

const QUICK_MERCHANTS = new Set<string>([
  'GS25',
  'CU',
  '세븐일레븐',
  '스타벅스',
  '이디야커피',
  '투썸플레이스',
  '파리바게뜨',
  '맥도날드',
  '카카오T',
]);

function cardPayment(random: Random, drafts: DayDrafts, cardNumber: string): void {
  const merchant = random.pick(MERCHANTS);
  const won = QUICK_MERCHANTS.has(merchant) ? random.step(1500, 25000, 100) : random.step(8000, 180000, 10);
  drafts.add(KINDS.cardPayment, false, units(won), merchant, cardNumber, [7, 24]);
}

/** An everyday KRW account: card payments most days, bills, transfers, maybe a salary. */
export interface DemandProfile {
  cardNumber: string;
  /** Mean card payments per day. */
  activity: number;
  salary?: { won: number; day: number; employer: string };
  /** What happens on the 1st of every month, so that every month has at least one row. */
  firstOfMonth: 'phoneBill' | 'allowance';
  bills: boolean;
}

export function demandDrafts(random: Random, from: number, to: number, profile: DemandProfile): Draft[] {
  const out: Draft[] = [];
  const phoneBill = random.pick(PHONE_BILLS);
  const insurer = random.pick(INSURERS);
  const cardCompany = random.pick(CARD_COMPANIES);
  const apartment = random.pick(APARTMENTS);
  const parent = random.pick(PEOPLE);
  const salaryWon = profile.salary?.won ?? random.step(1_500_000, 2_500_000, 10_000);
  const continueChance = profile.activity / (1 + profile.activity);
  for (let day = from; day <= to; day += 1) {
    const drafts = new DayDrafts(random, day);
    const { month, day: dayOfMonth } = calendarOf(day);
    if (dayOfMonth === 1) {
      if (profile.firstOfMonth === 'phoneBill') {
        drafts.add(KINDS.autoDebit, false, units(random.step(45000, 110000, 10)), phoneBill, '', [3, 6]);
      } else {
        drafts.add(
          KINDS.mobileTransferIn,
          true,
          units(random.step(100000, 500000, 10000)),
          '용돈',
          parent,
          [8, 22],
        );
      }
    }
    if (profile.salary && dayOfMonth === profile.salary.day) {
      const bonus = month === 1 || month === 7 ? profile.salary.won / 2 : 0;
      drafts.add(
        KINDS.salary,
        true,
        units(profile.salary.won + bonus),
        '급여',
        profile.salary.employer,
        [8, 10],
      );
      const saving = random.step(salaryWon * 0.2, salaryWon * 0.35, 10000);
      drafts.add(KINDS.autoDebit, false, units(saving), '적금이체', '우리은행', [10, 12]);
    }
    if (profile.bills) {
      if (dayOfMonth === 14) {
        const bill = random.step(salaryWon * 0.3, salaryWon * 0.6, 1);
        drafts.add(KINDS.autoDebit, false, units(bill), '카드대금', cardCompany, [5, 8]);
      }
      if (dayOfMonth === 25) {
        drafts.add(
          KINDS.autoDebit,
          false,
          units(random.step(150000, 350000, 10)),
          '관리비',
          apartment,
          [5, 8],
        );
      }
      if (dayOfMonth === 10) {
        drafts.add(KINDS.autoDebit, false, units(random.step(50000, 200000, 100)), insurer, '', [5, 8]);
      }
    }
    if ((month === 3 || month === 6 || month === 9 || month === 12) && dayOfMonth === 21) {
      drafts.add(KINDS.interest, true, units(random.int(1, 3000)), '결산이자', '', [0, 2]);
    }
    for (let n = 0; n < 6 && random.chance(continueChance); n += 1)
      cardPayment(random, drafts, profile.cardNumber);
    if (random.chance(0.06)) {
      const name = random.pick(PEOPLE);
      drafts.add(KINDS.mobileTransferIn, true, units(random.step(10000, 500000, 1000)), name, name, [8, 23]);
    }
    if (random.chance(0.06)) {
      const name = random.pick(PEOPLE);
      const memo = random.chance(0.4) ? '타행이체' : name;
      drafts.add(KINDS.transferOut, false, units(random.step(10000, 400000, 1000)), memo, name, [8, 23]);
    }
    if (random.chance(0.03)) {
      drafts.add(
        KINDS.atmWithdrawal,
        false,
        units(random.step(10000, 300000, 10000)),
        'ATM출금',
        '',
        [7, 23],
      );
    }
    drafts.flushInto(out);
  }
  return out;
}

/**
 * Exactly `count` everyday transactions spread from the start of day `from` to `end`, both
 * included: the `heavy` customer, whose count holds whatever the time of day.
 */
export function heavyDrafts(
  random: Random,
  from: number,
  end: Instant,
  count: number,
  cardNumber: string,
): Draft[] {
  const lastStamp = (end.day - from) * 86400 + end.seconds;
  const stamps = new Float64Array(count);
  for (let i = 0; i < count; i += 1) stamps[i] = random.int(0, lastStamp);
  stamps.sort();
  const out: Draft[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const day = from + Math.floor(stamps[i] / 86400);
    const seconds = stamps[i] % 86400;
    const alternateName = random.pick(PEOPLE);
    const roll = random.next();
    let draft: Omit<Draft, 'day' | 'seconds' | 'alternateName'>;
    if (roll < 0.62) {
      const merchant = random.pick(MERCHANTS);
      const won = QUICK_MERCHANTS.has(merchant)
        ? random.step(1500, 25000, 100)
        : random.step(8000, 180000, 10);
      draft = {
        kind: KINDS.cardPayment,
        incoming: false,
        amount: units(won),
        memo: merchant,
        counterparty: cardNumber,
      };
    } else if (roll < 0.82) {
      const name = random.pick(PEOPLE);
      const amount = units(random.step(10000, 500000, 1000));
      draft = { kind: KINDS.mobileTransferIn, incoming: true, amount, memo: name, counterparty: name };
    } else if (roll < 0.92) {
      const name = random.pick(PEOPLE);
      const amount = units(random.step(10000, 300000, 1000));
      draft = { kind: KINDS.transferOut, incoming: false, amount, memo: name, counterparty: name };
    } else if (roll < 0.97) {
      const amount = units(random.step(10000, 300000, 10000));
      draft = { kind: KINDS.atmWithdrawal, incoming: false, amount, memo: 'ATM출금', counterparty: '' };
    } else {
      const amount = units(random.step(10000, 1000000, 10000));
      draft = { kind: KINDS.atmDeposit, incoming: true, amount, memo: 'ATM입금', counterparty: '' };
    }
    out[i] = { day, seconds, alternateName, ...draft };
  }
  return out;
}

export const FOREIGN_REVERSAL: Reversal = {
  incoming: { kind: KINDS.foreignIn, memo: '환전입금' },
  outgoing: { kind: KINDS.foreignOut, memo: '환전출금' },
};

/** Amount ranges of a foreign-currency account, in thousandths. */
export interface ForeignTerms {
  min: number;
  max: number;
  step: number;
}

export function foreignDrafts(random: Random, from: number, to: number, terms: ForeignTerms): Draft[] {
  const out: Draft[] = [];
  for (let day = from; day <= to; day += 1) {
    const drafts = new DayDrafts(random, day);
    if (calendarOf(day).day === 1) {
      const interest = BigInt(random.step(terms.step, terms.step * 200, terms.step));
      drafts.add(KINDS.interest, true, interest, '외화예금이자', '', [0, 2]);
    }
    if (random.chance(0.12)) {
      const amount = BigInt(random.step(terms.min, terms.max, terms.step));
      drafts.add(KINDS.foreignOut, false, amount, '해외결제', random.pick(FOREIGN_PAYEES), [0, 24]);
    }
    if (random.chance(0.08)) {
      const amount = BigInt(random.step(terms.min * 2, terms.max * 2, terms.step));
      if (random.chance(0.5)) drafts.add(KINDS.foreignIn, true, amount, '환전입금', '', [9, 16]);
      else drafts.add(KINDS.foreignIn, true, amount, '해외송금입금', random.pick(FOREIGN_SENDERS), [9, 16]);
    }
    drafts.flushInto(out);
  }
  return out;
}

export const GOLD_REVERSAL: Reversal = {
  incoming: { kind: KINDS.goldPurchase, memo: '골드매입' },
  outgoing: { kind: KINDS.goldSale, memo: '골드매도' },
};

/**
 * A gold account (grams): a monthly purchase on the 1st, some sales, and the latest purchase up to
 * `end` exactly 2 g.
 */
export function goldDrafts(random: Random, from: number, end: Instant): Draft[] {
  const all: Draft[] = [];
  for (let day = from; day <= end.day; day += 1) {
    const drafts = new DayDrafts(random, day);
    if (calendarOf(day).day === 1) {
      drafts.add(KINDS.goldPurchase, true, BigInt(random.int(500, 3000)), '골드적립', '', [9, 11]);
    }
    if (random.chance(0.015)) {
      drafts.add(KINDS.goldSale, false, BigInt(random.int(1000, 5000)), '골드매도', '', [9, 16]);
    }
    drafts.flushInto(all);
  }
  const out = until(all, end);
  for (let i = out.length - 1; i >= 0; i -= 1) {
    if (out[i].kind === KINDS.goldPurchase) {
      out[i].amount = 2000n;
      break;
    }
  }
  return out;
}

/** Monthly rows on the 1st of every month after `openedOn`, up to `to`. */
function monthlyDays(openedOn: number, to: number): number[] {
  const days: number[] = [];
  for (let day = firstOfNextMonth(openedOn); day <= to; day = firstOfNextMonth(day)) days.push(day);
  return days;
}

type MonthlyRow = Omit<Draft, 'seconds' | 'alternateName'>;

/** Times for scheduled rows: the opening at the counter, later ones in the night batch. */
function scheduled(random: Random, rows: MonthlyRow[]): Draft[] {
  return rows.map((row, index) => ({
    ...row,
    seconds: index === 0 ? random.int(9 * 3600, 16 * 3600 - 1) : random.int(1800, 6 * 3600 - 1),
    alternateName: '',
  }));
}

/** A time deposit: the principal on the opening day, interest added on the 1st of every month. */
export function timeDepositLedger(
  random: Random,
  openedOn: number,
  end: Instant,
  principal: bigint,
  ratePpm: number,
): Ledger {
  const rows: MonthlyRow[] = [
    { day: openedOn, kind: KINDS.opening, memo: '신규', counterparty: '', amount: principal, incoming: true },
  ];
  let balance = principal;
  for (const day of monthlyDays(openedOn, end.day)) {
    const interest = ((balance * BigInt(ratePpm)) / 12_000_000_000n) * 1000n;
    balance += interest;
    rows.push({
      day,
      kind: KINDS.interest,
      memo: '이자',
      counterparty: '',
      amount: interest,
      incoming: true,
    });
  }
  return balanceForward(until(scheduled(random, rows), end), TRANSFER_REVERSAL);
}

/** Installment savings: the first payment on the opening day, then one on the 1st of every month. */
export function savingsLedger(random: Random, openedOn: number, end: Instant, payment: bigint): Ledger {
  const rows: MonthlyRow[] = [
    {
      day: openedOn,
      kind: KINDS.installment,
      memo: '신규',
      counterparty: '',
      amount: payment,
      incoming: true,
      installment: 1,
    },
  ];
  for (const day of monthlyDays(openedOn, end.day)) {
    const installment = rows.length + 1;
    rows.push({
      day,
      kind: KINDS.installment,
      memo: '자동이체입금',
      counterparty: '',
      amount: payment,
      incoming: true,
      installment,
    });
  }
  return balanceForward(until(scheduled(random, rows), end), TRANSFER_REVERSAL);
}

/** A loan: the principal paid out on the opening day, then a repayment on the 1st of every month. */
export function loanLedger(
  random: Random,
  openedOn: number,
  end: Instant,
  principal: bigint,
  termMonths: number,
): Ledger {
  const repayment = (principal / BigInt(termMonths) / 1_000_000n) * 1_000_000n;
  const rows: MonthlyRow[] = [
    {
      day: openedOn,
      kind: KINDS.loanDisbursement,
      memo: '대출신규',
      counterparty: '',
      amount: principal,
      incoming: true,
    },
  ];
  for (const day of monthlyDays(openedOn, end.day)) {
    rows.push({
      day,
      kind: KINDS.loanRepayment,
      memo: '원리금상환',
      counterparty: '',
      amount: repayment,
      incoming: false,
    });
  }
  return balanceForward(until(scheduled(random, rows), end), TRANSFER_REVERSAL);
}

/**
 * A fund bought monthly: the balance is the invested principal (KRW), and `unitsAfter` the units
 * held. The base price never falls, so a simple return is never negative.
 */
export function fundLedger(
  random: Random,
  openedOn: number,
  end: Instant,
  payment: bigint,
  terms: FundTerms,
): Ledger {
  const rows: MonthlyRow[] = [
    {
      day: openedOn,
      kind: KINDS.fundPurchase,
      memo: '신규매수',
      counterparty: '',
      amount: payment,
      incoming: true,
    },
  ];
  for (const day of monthlyDays(openedOn, end.day)) {
    rows.push({
      day,
      kind: KINDS.fundPurchase,
      memo: '적립식매수',
      counterparty: '',
      amount: payment,
      incoming: true,
    });
  }
  const ledger = balanceForward(until(scheduled(random, rows), end), TRANSFER_REVERSAL);
  let held = 0n;
  ledger.unitsAfter = ledger.rows.map((row) => {
    held += unitsBought(row.deposit, fundPrice(terms, openedOn, row.day));
    return held;
  });
  return ledger;
}

const PRICE_ONE = 10n ** BigInt(PRICE_SCALE);

/**
 * The base price (per 1,000 units, 7 decimals) on a day: a steady yearly trend plus a small
 * daily wiggle that is always smaller than one day's trend.
 */
export function fundPrice(terms: FundTerms, openedOn: number, day: number): bigint {
  const elapsed = BigInt(Math.max(0, day - openedOn));
  const trend = (terms.basePrice * BigInt(terms.growthPpm) * elapsed) / 365_000_000n;
  const dailyFloorPpm = Math.floor(terms.growthPpm / 365);
  const wiggle =
    (terms.basePrice * BigInt(hashInts(terms.salt, day) % Math.max(1, dailyFloorPpm))) / 1_000_000n;
  return terms.basePrice + trend + wiggle;
}

/** Whole units a KRW amount (thousandths) buys at a base price per 1,000 units. */
function unitsBought(amount: bigint, price: bigint): bigint {
  return (amount * PRICE_ONE) / price;
}

/** The value (thousandths of KRW, whole won) of `held` units at `price`. */
export function fundValue(held: bigint, price: bigint): bigint {
  return ((held * price) / (1000n * PRICE_ONE)) * 1000n;
}
