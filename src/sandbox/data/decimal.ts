/**
 * Exact decimals as bigint counts of a fixed unit. Amounts (D(18)) are held in thousandths, the
 * precision of Woori's zero-padded wire format; KRW and JPY amounts are whole, USD and EUR have
 * cents, gold (XAU, grams) has three decimals. Nothing here ever goes through a JS number.
 */

/** Amounts are counted in thousandths. */
export const AMOUNT_SCALE = 3;
/** Fund base prices (TDY_BSPR) carry seven decimals. */
export const PRICE_SCALE = 7;

const POWERS = [1n, 10n, 100n, 1000n, 10000n, 100000n, 1000000n, 10000000n];

/** A whole number of units as a scaled bigint: `units(71888)` is 71888.000. */
export function units(whole: number | bigint, scale = AMOUNT_SCALE): bigint {
  return BigInt(whole) * POWERS[scale];
}

/** Parses a plain decimal string (`"100"`, `"2.5"`) into a scaled bigint. */
export function parseDecimal(text: string, scale = AMOUNT_SCALE): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3] ?? '').length > scale) {
    throw new RangeError(`Expected a decimal with at most ${scale} decimals, but got: ${text}`);
  }
  const value = BigInt(match[2] + (match[3] ?? '').padEnd(scale, '0'));
  return match[1] === '-' ? -value : value;
}

const SAFE_THOUSANDTHS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The shortest exact decimal: no leading zeros, no trailing fractional zeros (`71888`, `100`,
 * `2.5`). Used as a raw JSON number literal, so 18-digit amounts keep every digit.
 */
export function plainDecimal(value: bigint, scale = AMOUNT_SCALE): string {
  if (scale === AMOUNT_SCALE && value >= 0n && value <= SAFE_THOUSANDTHS)
    return plainThousandths(Number(value));
  if (scale === 0) return value.toString();
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let fraction = digits.slice(digits.length - scale);
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end -= 1;
  fraction = fraction.slice(0, end);
  return (negative ? '-' : '') + whole + (fraction ? `.${fraction}` : '');
}

/**
 * Woori's fixed-width form: `intDigits` zero-padded integer digits (more when the value needs
 * them), a point and exactly `scale` decimals, e.g. `000000005014052.000`.
 */
export function paddedDecimal(value: bigint, scale: number, intDigits: number): string {
  if (scale === AMOUNT_SCALE && intDigits === 15 && value >= 0n && value <= SAFE_THOUSANDTHS) {
    return paddedThousandths(Number(value));
  }
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + intDigits, '0');
  const cut = digits.length - scale;
  return (negative ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
}

/** The fast path of `plainDecimal` for the usual amounts: exact, since they are safe integers. */
function plainThousandths(value: number): string {
  const fraction = value % 1000;
  const whole = (value - fraction) / 1000;
  if (fraction === 0) return String(whole);
  if (fraction % 100 === 0) return `${whole}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${whole}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  return `${whole}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

const ZEROS = '000000000000000';

/** The fast path of `paddedDecimal` for the usual amounts, 15.3 digits. */
function paddedThousandths(value: number): string {
  const fraction = value % 1000;
  const whole = String((value - fraction) / 1000);
  const padded = whole.length < 15 ? ZEROS.slice(whole.length) + whole : whole;
  return `${padded}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}
