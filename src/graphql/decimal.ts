/**
 * Exact decimal arithmetic on the domain's canonical decimal strings (`"71888"`, `"100.5"`,
 * `"-3"`), as BigInt over a scaled integer: an amount of the upstream's D(18,3) already overflows a
 * double, and a sum of them must not be rounded. Only what totals need: add, subtract, print.
 */
import type { Decimal } from '../woori/domain';

const CANONICAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const WHOLE = /^-?\d+$/;

/** An exact decimal: `units × 10^-scale`. */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

export const ZERO: Readonly<ScaledDecimal> = { units: 0n, scale: 0 };

/** The exact value of a decimal string; throws on anything else (the decoder lets nothing else in). */
export function parseDecimal(text: Decimal): ScaledDecimal {
  const m = CANONICAL.exec(text);
  if (!m)
    throw new TypeError(`parseDecimal needs a decimal string like "100.5", got ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = m;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

/** `a + b`, exact. */
export function addDecimal(a: ScaledDecimal, b: ScaledDecimal): ScaledDecimal {
  if (a.scale === b.scale) return { units: a.units + b.units, scale: a.scale };
  return a.scale > b.scale
    ? { units: a.units + rescale(b.units, a.scale - b.scale), scale: a.scale }
    : { units: rescale(a.units, b.scale - a.scale) + b.units, scale: b.scale };
}

/** `a - b`, exact. */
export function subtractDecimal(a: ScaledDecimal, b: ScaledDecimal): ScaledDecimal {
  return addDecimal(a, { units: -b.units, scale: b.scale });
}

/** The canonical string: no leading zeros, no trailing fractional zeros, `"0"` for zero. */
export function formatDecimal({ units, scale }: ScaledDecimal): Decimal {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
    digits = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/**
 * A running sum of decimal strings. A year of 100,000 transactions adds 200,000 amounts, so the
 * common case is kept cheap: zeros (most rows carry one of `deposit` and `withdrawal` as `"0"`)
 * are skipped, and whole amounts in a sum without fractions are added as they are.
 */
export class DecimalSum {
  private units = 0n;
  private scale = 0;

  add(amount: Decimal): void {
    if (amount === '0') return;
    if (this.scale === 0 && WHOLE.test(amount)) {
      this.units += BigInt(amount);
      return;
    }
    const total = addDecimal({ units: this.units, scale: this.scale }, parseDecimal(amount));
    this.units = total.units;
    this.scale = total.scale;
  }

  get value(): ScaledDecimal {
    return { units: this.units, scale: this.scale };
  }
}

function rescale(units: bigint, by: number): bigint {
  return units * 10n ** BigInt(by);
}
