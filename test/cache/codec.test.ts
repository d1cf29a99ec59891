import {
  decodeAccounts,
  decodeBasics,
  decodeTransactions,
  encodeAccounts,
  encodeBasics,
  encodeTransactions,
} from '../../src/cache/codec';
import type { TransactionRecord } from '../../src/woori/domain';
import {
  plainRows as plain,
  REFERENCE_ACCOUNTS,
  REFERENCE_BASICS,
  REFERENCE_TRANSACTIONS,
} from '../woori/fixtures';

const row = (date: string, time: string, extra: Partial<TransactionRecord> = {}): TransactionRecord => ({
  ...REFERENCE_TRANSACTIONS[0],
  date,
  time,
  ...extra,
});

describe('the stored forms', () => {
  it('give back the account list and basics as they were', () => {
    expect(decodeAccounts(encodeAccounts(REFERENCE_ACCOUNTS))).toEqual(REFERENCE_ACCOUNTS);
    expect(decodeBasics(encodeBasics(REFERENCE_BASICS))).toEqual(REFERENCE_BASICS);
  });

  it('give back transactions as they were: nulls, empty strings, separators and 18-digit amounts', () => {
    const rows = [
      ...REFERENCE_TRANSACTIONS,
      row('2019-06-14', '00:00:01', { memo: '', counterparty: null, installmentNumber: 12 }),
      row('2019-06-14', '23:59:59', { memo: 'a\x1fb\x1ec\x1bd\x1c"e"\n', counterparty: '우리 \\ 은행' }),
      row('2019-06-15', '12:00:00', { deposit: '123456789012345678', balanceAfter: '-0.5', currency: '' }),
    ];
    const packed = encodeTransactions(rows);
    expect(plain(decodeTransactions(packed, '1900-01-01', '2999-12-31'))).toEqual(rows);
  });

  it('reads only the days asked for', () => {
    const rows = [
      row('2024-01-01', '09:00:00'),
      row('2024-01-02', '10:00:00'),
      row('2024-01-02', '11:00:00'),
      row('2024-01-05', '08:00:00'),
    ];
    const packed = encodeTransactions(rows);
    expect(plain(decodeTransactions(packed, '2024-01-02', '2024-01-04'))).toEqual(rows.slice(1, 3));
    expect(decodeTransactions(packed, '2024-01-03', '2024-01-04')).toEqual([]);
    expect(plain(decodeTransactions(packed, '2024-01-05', '2024-01-05'))).toEqual(rows.slice(3));
  });

  it('is about a quarter of the JSON of the same rows', () => {
    const rows = Array.from({ length: 1_000 }, (_, i) =>
      row(`2024-0${1 + (i % 9)}-1${i % 10}`, '10:11:12', {
        memo: `가게 ${i}`,
        balanceAfter: String(1_000_000 + i),
      }),
    ).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    expect(encodeTransactions(rows).byteLength).toBeLessThan(Buffer.byteLength(JSON.stringify(rows)) / 3);
  });

  it.each([
    ['no header', Buffer.from('garbage')],
    ['a header that is not a list of days', Buffer.from('{"a":1}\n')],
    ['a day longer than the payload', Buffer.from('[["2024-01-01",1,500]]\nabc')],
    ['a row that does not start with its time', Buffer.from('[["2024-01-01",1,4]]\nab\x1f\x1e')],
  ])('refuses a stored list with %s', (_what, payload) => {
    expect(() => decodeTransactions(payload, '2024-01-01', '2024-12-31')).toThrow(TypeError);
  });

  it('splits a row into its fields only when one is read, each field as stored', () => {
    const rows = [
      row('2024-01-01', '09:00:00', { memo: '첫째' }),
      row('2024-01-01', '10:00:00', { memo: '둘째' }),
    ];
    const [first, second] = decodeTransactions(encodeTransactions(rows), '2024-01-01', '2024-01-01');
    expect([first.date, first.time, second.time]).toEqual(['2024-01-01', '09:00:00', '10:00:00']);
    expect(second.memo).toBe('둘째');
    expect({ ...REFERENCE_TRANSACTIONS[0], date: second.date, time: second.time, memo: second.memo }).toEqual(
      plain([second])[0],
    );
  });

  it('throws when a row of an authentic entry is read and does not split into 12 fields', () => {
    const payload = Buffer.from('[["2024-01-01",1,12]]\n09:00:00\x1fab\x1e');
    const [stored] = decodeTransactions(payload, '2024-01-01', '2024-12-31');
    expect(stored.time).toBe('09:00:00');
    expect(() => stored.deposit).toThrow(TypeError);
  });

  it('refuses a stored record of another shape', () => {
    expect(() => decodeAccounts(Buffer.from('[["1"]]'))).toThrow(TypeError);
    expect(() => decodeBasics(Buffer.from('{"number":"1"}'))).toThrow(TypeError);
  });
});
