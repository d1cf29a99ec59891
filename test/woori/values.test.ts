import { NumericLiteral } from '../../src/woori/parse';
import {
  optionalDate,
  optionalDecimal,
  optionalInteger,
  optionalText,
  optionalYesNo,
  requiredDate,
  requiredDecimal,
  requiredText,
  requiredTime,
} from '../../src/woori/values';

describe('optionalDecimal', () => {
  it.each([
    [71888, '71888'],
    [0, '0'],
    [-0, '0'],
    [-100.5, '-100.5'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [123456789012345, '123456789012345'],
  ])('reads the JSON number %p as %p', (input, expected) => {
    expect(optionalDecimal(input, 'AM')).toBe(expected);
  });

  it.each([
    ['000000005014052.000', '5014052'],
    ['00000000000.0000000', '0'],
    ['-0000100.50', '-100.5'],
    ['000000000000100.000', '100'],
    ['000000000000002.000', '2'],
    ['123456789012345678', '123456789012345678'],
    ['999999999999999999.999999', '999999999999999999.999999'],
    ['000000000000000000', '0'],
    ['-0.000', '0'],
    ['+5', '5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['  42  ', '42'],
    ['1.50e3', '1500'],
    ['1E+2', '100'],
    ['12345e-8', '0.00012345'],
    ['1e-0005', '0.00001'],
    ['-1.2e-2', '-0.012'],
    ['100e-5', '0.001'],
    ['0.000e5', '0'],
  ])('reads the string %p as %p', (input, expected) => {
    expect(optionalDecimal(input, 'AM')).toBe(expected);
  });

  it('reads a NumericLiteral from its exact source text', () => {
    expect(optionalDecimal(new NumericLiteral('123456789012345678'), 'AM')).toBe('123456789012345678');
    expect(optionalDecimal(new NumericLiteral('-0.1000000000000000055511151231257827'), 'AM')).toBe(
      '-0.1000000000000000055511151231257827',
    );
    expect(optionalDecimal(new NumericLiteral('1.2345678901234567890e2'), 'AM')).toBe('123.4567890123456789');
  });

  it.each([[''], ['   '], [null], [undefined]])('reads %p as no value', (input) => {
    expect(optionalDecimal(input, 'AM')).toBeNull();
  });

  it.each([
    ['abc'],
    ['1,000'],
    ['0x10'],
    ['NaN'],
    ['Infinity'],
    ['1.2.3'],
    ['--1'],
    ['-'],
    ['.'],
    ['1e'],
    ['1e99999'],
    ['1 2'],
    [true],
    [{}],
    [[1]],
    [NaN],
    [Infinity],
  ])('rejects %p with a decode error', (input) => {
    expect(() => optionalDecimal(input, 'AM')).toThrow('AM is not a decimal number');
  });
});

describe('optionalDate and requiredTime', () => {
  it.each([
    ['20190612', '2019-06-12'],
    ['2021-02-15', '2021-02-15'],
    ['20240229', '2024-02-29'],
    ['20000229', '2000-02-29'],
    ['19991231', '1999-12-31'],
    [' 20190612 ', '2019-06-12'],
  ])('reads the date %p as %p', (input, expected) => {
    expect(optionalDate(input, 'DT')).toBe(expected);
  });

  it.each([[''], ['        '], ['00000000'], [null], [undefined]])(
    'reads the date %p as no value',
    (input) => {
      expect(optionalDate(input, 'DT')).toBeNull();
    },
  );

  it.each([
    ['20190230'],
    ['20230229'],
    ['19000229'],
    ['20191301'],
    ['20190100'],
    ['2019-2-15'],
    ['2019/02/15'],
    ['2019061'],
    ['201906120'],
    ['2019-06-1x'],
    [20190612],
  ])('rejects the date %p', (input) => {
    expect(() => optionalDate(input, 'DT')).toThrow('DT is not a date');
  });

  it('reads times as HH:mm:ss', () => {
    expect(requiredTime('105655', 'TM')).toBe('10:56:55');
    expect(requiredTime('000000', 'TM')).toBe('00:00:00');
    expect(requiredTime('235959', 'TM')).toBe('23:59:59');
    expect(requiredTime('09:15:26', 'TM')).toBe('09:15:26');
    expect(requiredTime(' 105655 ', 'TM')).toBe('10:56:55');
  });

  it.each([['240000'], ['106000'], ['105660'], ['1056'], ['10:5655'], [105655], [''], [null]])(
    'rejects the time %p',
    (input) => {
      expect(() => requiredTime(input, 'TM')).toThrow('TM is not a time');
    },
  );
});

describe('the other field values', () => {
  it('trims padded text and reads blank text as no value', () => {
    expect(optionalText('  우리급여 저축예금\u3000 ', 'NM')).toBe('우리급여 저축예금');
    expect(optionalText('      ', 'NM')).toBeNull();
    expect(optionalText(undefined, 'NM')).toBeNull();
    expect(() => optionalText(410, 'NM')).toThrow('NM is not a string');
    expect(requiredText(' KRW ', 'CUCD')).toBe('KRW');
    expect(() => requiredText('   ', 'CUCD')).toThrow('CUCD is not a non-empty string');
  });

  it('requires a value where the reference does', () => {
    expect(requiredDecimal('000000000071888.000', 'BAL')).toBe('71888');
    expect(() => requiredDecimal('', 'BAL')).toThrow('BAL is not a decimal number');
    expect(requiredDate('20190110', 'DT')).toBe('2019-01-10');
    expect(() => requiredDate('00000000', 'DT')).toThrow('DT is not a date');
  });

  it('reads integers from numbers and padded strings, and nothing else', () => {
    expect(optionalInteger(12, 'SQ')).toBe(12);
    expect(optionalInteger('000012', 'SQ')).toBe(12);
    expect(optionalInteger('', 'SQ')).toBeNull();
    expect(() => optionalInteger('1.5', 'SQ')).toThrow('SQ is not an integer');
    expect(() => optionalInteger('99999999999999999', 'SQ')).toThrow('SQ is not an integer');
  });

  it('reads Y and N, and blank as unknown', () => {
    expect(optionalYesNo('Y', 'YN')).toBe(true);
    expect(optionalYesNo('N', 'YN')).toBe(false);
    expect(optionalYesNo(' ', 'YN')).toBeNull();
    expect(() => optionalYesNo('X', 'YN')).toThrow('YN is not "Y", "N" or ""');
  });

  it('reads the same date text the same way however often it comes', () => {
    const texts = Array.from({ length: 6000 }, (_, i) => {
      const day = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      return i % 2 ? day : day.replaceAll('-', '');
    });
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        expect(optionalDate(text, 'DT')).toBe(
          text.includes('-') ? text : `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`,
        );
      }
    }
    expect(optionalDate(`20190110${' '.repeat(100)}`, 'DT')).toBe('2019-01-10');
    expect(() => optionalDate(`20190132${' '.repeat(100)}`, 'DT')).toThrow('DT is not a date');
  });
});
