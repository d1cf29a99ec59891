import { CustomerVault, EntryKind } from '../../src/cache/vault';

const SECRET = 'a cache secret of at least thirty-two characters';
const payload = Buffer.from('1002146788200 71888 우리급여');

describe('CustomerVault', () => {
  const a = new CustomerVault('customer-a-key', 'token-of-a', SECRET);
  const b = new CustomerVault('customer-b-key', 'token-of-b', SECRET);

  it('opens what it sealed, with when it was fetched', () => {
    const key = a.key('basics', '1002146788200', '2019-01-01');
    const sealed = a.seal(key, EntryKind.basics, 1_700_000_000_123, payload);
    expect(a.open(key, EntryKind.basics, sealed)).toEqual({ fetchedAt: 1_700_000_000_123, payload });
  });

  it('names entries without the account number, the date or the token', () => {
    const key = a.key('basics', '1002146788200', '2019-01-01');
    expect(key).toMatch(/^wg1:customer-a-key:[A-Za-z0-9_-]{22}$/);
    expect(key).not.toMatch(/1002146788200|2019|token/);
    expect(a.key('basics', '1002146788200', '2019-01-02')).not.toBe(key);
    // Another customer's name of the same entry differs beyond the prefix: names cannot be matched up.
    expect(b.key('basics', '1002146788200', '2019-01-01').split(':')[2]).not.toBe(key.split(':')[2]);
  });

  it('seals values that hold nothing in clear', () => {
    const sealed = a.seal(a.key('x'), EntryKind.basics, 1, payload);
    expect(sealed.includes(Buffer.from('1002146788200'))).toBe(false);
    expect(sealed.includes(Buffer.from('71888'))).toBe(false);
    expect(sealed.includes(Buffer.from('우리급여'))).toBe(false);
  });

  it("never opens another customer's entry", () => {
    const key = a.key('accounts');
    const sealed = a.seal(key, EntryKind.accounts, 1, payload);
    expect(b.open(key, EntryKind.accounts, sealed)).toBeUndefined();
    // The same token under another CACHE_SECRET is another key too.
    expect(
      new CustomerVault('customer-a-key', 'token-of-a', `${SECRET}!`).open(key, EntryKind.accounts, sealed),
    ).toBeUndefined();
  });

  it('does not open an entry moved to another key, or read as another kind', () => {
    const key = a.key('basics', '1', '2019-01-01');
    const sealed = a.seal(key, EntryKind.basics, 1, payload);
    expect(a.open(a.key('basics', '1', '2019-01-02'), EntryKind.basics, sealed)).toBeUndefined();
    expect(a.open(key, EntryKind.accounts, sealed)).toBeUndefined();
  });

  it.each([
    ['a flipped byte', (s: Buffer) => Buffer.from(s.map((byte, i) => (i === 20 ? byte ^ 1 : byte)))],
    ['another format version', (s: Buffer) => Buffer.concat([Buffer.of(2), s.subarray(1)])],
    ['a truncated entry', (s: Buffer) => s.subarray(0, s.byteLength - 1)],
    ['an empty entry', () => Buffer.alloc(0)],
    ['garbage', () => Buffer.from('not a sealed entry at all, just text of some length')],
  ])('does not open %s', (_what, spoil) => {
    const key = a.key('accounts');
    const sealed = a.seal(key, EntryKind.accounts, 1, payload);
    expect(a.open(key, EntryKind.accounts, spoil(sealed))).toBeUndefined();
  });
});
