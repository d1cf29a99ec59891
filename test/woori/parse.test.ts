import { NumericLiteral, needsLosslessParse, parseBody, parseLosslessly } from '../../src/woori/parse';
import { optionalDecimal } from '../../src/woori/values';
import { referenceTransactionsBody } from './fixtures';

describe('parseBody', () => {
  it('takes the fast path when no number literal can lose precision', () => {
    const text = JSON.stringify(referenceTransactionsBody('document'));
    expect(needsLosslessParse(text)).toBe(false);
    expect(parseBody(text)).toEqual(JSON.parse(text));
  });

  it('is not sent down the slow path by 16-digit strings such as card numbers', () => {
    expect(needsLosslessParse('{"RQSPE_NM":"6748803440422330","X": "12345678901234567890"}')).toBe(false);
  });

  it.each([
    ['{"a":123456789012345678}'],
    ['{"a": -1234567890123456}'],
    ['{"a":\n\t 1234567890.123456}'],
    ['[1,2,1234567890123456]'],
    ['[ 0.0000000000000001]'],
    ['{"a":1e400}'],
    ['{"a":1.5E-324}'],
    ['1234567890123456789'],
    ['  -1'],
  ])('takes the lossless path for %p', (text) => {
    expect(needsLosslessParse(text)).toBe(true);
  });

  it('keeps every number as its source text on the lossless path', () => {
    const body = parseBody('{"big":123456789012345678,"small":7,"list":[1.50,2e1],"s":"x"}') as Record<
      string,
      unknown
    >;
    expect(body.big).toEqual(new NumericLiteral('123456789012345678'));
    expect(body.small).toEqual(new NumericLiteral('7'));
    expect(body.list).toEqual([new NumericLiteral('1.50'), new NumericLiteral('2e1')]);
    expect(body.s).toBe('x');
  });

  it('keeps the last of repeated keys on both paths, as JSON.parse does', () => {
    expect(parseBody('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(parseBody('{"a":1,"a":2,"b":1234567890123456789}')).toEqual({
      a: new NumericLiteral('2'),
      b: new NumericLiteral('1234567890123456789'),
    });
  });

  it('keeps every number as its source text when forced down the lossless path', () => {
    expect(parseLosslessly('{"a":1,"b":[2.50]}')).toEqual({
      a: new NumericLiteral('1'),
      b: [new NumericLiteral('2.50')],
    });
  });

  it('reads a number that is the whole body losslessly', () => {
    expect(parseBody('12345678901234567')).toEqual(new NumericLiteral('12345678901234567'));
  });

  it('reads every literal of up to 18 digits exactly, on whichever path it takes', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const paths = { fast: 0, lossless: 0 };
    for (let i = 0; i < 5000; i++) {
      const digits = Array.from({ length: 1 + random(18) }, () => String(random(10))).join('');
      const point = random(digits.length + 1);
      const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
      let literal = point === digits.length ? whole : `${whole}.${digits.slice(point)}`;
      if (random(2)) literal = `-${literal}`;
      if (random(4) === 0) literal += `e${random(2) ? '-' : ''}${random(40)}`;
      const text = `{"v":${literal}}`;
      paths[needsLosslessParse(text) ? 'lossless' : 'fast'] += 1;
      const parsed = (parseBody(text) as { v: unknown }).v;
      expect(optionalDecimal(parsed, 'v')).toBe(optionalDecimal(new NumericLiteral(literal), 'v'));
    }
    expect(paths.fast).toBeGreaterThan(1000);
    expect(paths.lossless).toBeGreaterThan(500);
  });

  it.each([['{"dataBody":'], ['<html><body>Bad Gateway</body></html>'], [''], ['{"a":123456789012345678']])(
    'throws a SyntaxError on the malformed body %p',
    (text) => {
      expect(() => parseBody(text)).toThrow(SyntaxError);
    },
  );
});
