import { parse } from 'graphql';
import { perOperation } from '../../src/graphql/operation-memo';

const DOC = parse('query Q($n: Int) { a(n: $n) }');

function counting(keep?: (finding: { n: unknown }) => boolean) {
  const calls: unknown[] = [];
  const memo = perOperation((input: { document: typeof DOC; variables?: Record<string, unknown> }) => {
    calls.push(input.variables?.n);
    return { n: input.variables?.n };
  }, keep);
  return { memo, calls };
}

describe('perOperation', () => {
  it('works a finding out once per document, operation name and variables', () => {
    const { memo, calls } = counting();
    const first = memo({ document: DOC, variables: { n: 1 } });
    expect(memo({ document: DOC, variables: { n: 1 } })).toBe(first);
    memo({ document: DOC, variables: { n: 2 } });
    memo({ document: DOC, operationName: 'Q', variables: { n: 1 } } as never);
    memo({ document: parse('query Q($n: Int) { a(n: $n) }'), variables: { n: 1 } });
    expect(calls).toEqual([1, 2, 1, 1]);
  });

  it('keeps only the findings it is told to keep', () => {
    const { memo, calls } = counting((finding) => finding.n !== 'bad');
    memo({ document: DOC, variables: { n: 'bad' } });
    memo({ document: DOC, variables: { n: 'bad' } });
    memo({ document: DOC, variables: { n: 'good' } });
    memo({ document: DOC, variables: { n: 'good' } });
    expect(calls).toEqual(['bad', 'bad', 'good']);
  });

  it('works long variables out every time instead of keeping them', () => {
    const { memo, calls } = counting();
    const long = 'x'.repeat(4096);
    memo({ document: DOC, variables: { n: long } });
    memo({ document: DOC, variables: { n: long } });
    expect(calls).toHaveLength(2);
  });
});
