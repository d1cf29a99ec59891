import { CursorCodec, type CursorScope } from '../../src/graphql/cursor';

const scope: CursorScope = {
  accountNumber: '1002146788200',
  from: '2019-01-01',
  to: '2019-06-13',
  type: null,
  order: 'NEWEST_FIRST',
};

describe('CursorCodec', () => {
  const codec = new CursorCodec('a secret for tests');

  it('reads back the offset of a cursor it issued for the same list', () => {
    expect(codec.decode(scope, codec.encode(scope, 0))).toBe(0);
    expect(codec.decode(scope, codec.encode(scope, 41))).toBe(41);
  });

  it('rejects a cursor issued for another account, range, filter or order', () => {
    const cursor = codec.encode(scope, 5);
    expect(codec.decode({ ...scope, accountNumber: '1002160010529' }, cursor)).toBeNull();
    expect(codec.decode({ ...scope, to: '2019-06-14' }, cursor)).toBeNull();
    expect(codec.decode({ ...scope, type: 'DEPOSIT' }, cursor)).toBeNull();
    expect(codec.decode({ ...scope, order: 'OLDEST_FIRST' }, cursor)).toBeNull();
  });

  it('rejects an altered or forged cursor, and one signed with another secret', () => {
    const cursor = codec.encode(scope, 5);
    expect(codec.decode(scope, cursor.replace(/^5_/, '6_'))).toBeNull();
    expect(codec.decode(scope, 'not-a-cursor')).toBeNull();
    expect(codec.decode(scope, new CursorCodec('another secret').encode(scope, 5))).toBeNull();
  });

  it("checks a cursor's signature from the list's arguments alone, before its account is known", () => {
    const cursor = codec.encode(scope, 5);
    const { accountNumber: _account, ...list } = scope;
    const signed = codec.verify(list, cursor);
    expect(signed?.offset).toBe(5);
    // The same signature holds for the list of another account: only decode, at the field, tells them apart.
    const otherAccount = { ...scope, accountNumber: '1002160010529' };
    expect(codec.verify(list, codec.encode(otherAccount, 5))?.offset).toBe(5);
    expect(codec.verify(list, codec.encode(otherAccount, 5))?.accountTag).not.toBe(signed?.accountTag);
    expect(codec.verify({ ...list, to: '2019-06-14' }, cursor)).toBeNull();
    expect(codec.verify(list, cursor.replace(/^5_/, '6_'))).toBeNull();
    const [offset, , signature] = cursor.split('_');
    const retagged = `${offset}_${codec.encode(otherAccount, 5).split('_')[1]}_${signature}`;
    expect(codec.verify(list, retagged)).toBeNull();
  });
});
