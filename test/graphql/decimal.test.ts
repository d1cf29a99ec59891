import {
  addDecimal,
  DecimalSum,
  formatDecimal,
  parseDecimal,
  subtractDecimal,
} from '../../src/graphql/decimal';

const add = (a: string, b: string): string => formatDecimal(addDecimal(parseDecimal(a), parseDecimal(b)));
const subtract = (a: string, b: string): string =>
  formatDecimal(subtractDecimal(parseDecimal(a), parseDecimal(b)));

describe('exact decimals', () => {
  it('adds 18-digit amounts exactly, where a double would round', () => {
    expect(add('123456789012345678', '1')).toBe('123456789012345679');
    expect(String(Number('123456789012345678') + 1)).not.toBe('123456789012345679');
    const sum = new DecimalSum();
    for (let i = 0; i < 1000; i++) sum.add('999999999999999999.999');
    expect(formatDecimal(sum.value)).toBe('9'.repeat(21));
  });

  it('adds amounts of different scales', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(add('100.5', '0.005')).toBe('100.505');
    expect(add('1.25', '2.75')).toBe('4');
  });

  it('subtracts into negatives and back, printing the canonical form', () => {
    expect(subtract('5', '7.5')).toBe('-2.5');
    expect(subtract('-2.5', '-2.5')).toBe('0');
    expect(subtract('0.001', '0.01')).toBe('-0.009');
    expect(formatDecimal(parseDecimal('-0'))).toBe('0');
  });

  it('refuses what is not a decimal string, naming what it got', () => {
    expect(() => parseDecimal('1e3')).toThrow('parseDecimal needs a decimal string like "100.5", got "1e3"');
    expect(() => parseDecimal('')).toThrow(TypeError);
  });
});
