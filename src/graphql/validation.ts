/**
 * Argument rules: the one place they live. The class-validator rules sit on the argument classes
 * (`types/args.ts`); the rules that depend on settings or on the cursor secret are here. The
 * whole-request check before execution (`argument-check.plugin.ts`) holds every field to them and
 * refuses a request with any bad argument anywhere; the resolvers do not check them again per call
 * (`lean-resolvers.ts`). A federation router's entity references are checked by their resolver
 * (`federation.ts`). Every failure names the argument and the rule.
 */
import { validateSync, type ValidationError } from 'class-validator';
import type { CursorCodec } from './cursor';
import { spanDays } from './dates';
import type { ArgumentViolation } from './errors';
import { listScopeOf, UNSIGNED_CURSOR } from './transactions.page';
import { AccountArgs, DetailArgs, TransactionsArgs } from './types/args';

/** Argument limits, from settings. */
export interface ArgumentLimits {
  /** Longest `transactions(from, to)` span a caller may ask for, inclusive days (contract: 366). */
  maxSpanDays: number;
  /** Longest range the upstream accepts in one call; wider coalesced ranges are split. */
  upstreamMaxSpanDays: number;
}

/**
 * The argument class of every field that takes arguments, by schema coordinate. A field missing
 * here would go unchecked before execution: a test holds this list to the schema.
 */
export const ARGUMENT_CLASSES: Readonly<Record<string, new () => object>> = {
  'Query.account': AccountArgs,
  'Account.detail': DetailArgs,
  'Account.transactions': TransactionsArgs,
};

/** Every rule `args` (an instance of an argument class) breaks; empty when it is valid. */
export function findViolations(args: object, limits: ArgumentLimits): ArgumentViolation[] {
  const violations = validateSync(args, { skipMissingProperties: true, forbidUnknownValues: false }).flatMap(
    toViolations,
  );
  // A span means something only between two dates in order.
  if (
    args instanceof TransactionsArgs &&
    !violations.some((v) => v.argument === 'to' || v.argument === 'from')
  ) {
    const span = spanDays(args.from, args.to);
    if (span > limits.maxSpanDays) {
      violations.push({
        argument: 'to',
        rule: 'maxSpanDays',
        message: `Argument "to" needs a date at most ${limits.maxSpanDays} days from "from" (both inclusive), got a span of ${span} days.`,
      });
    }
  }
  return violations;
}

/** The rules of every field, with what they need: the limits and the cursor secret. */
export class ArgumentRules {
  constructor(
    private readonly limits: ArgumentLimits,
    private readonly codec: CursorCodec,
  ) {}

  /**
   * The rules that the arguments of the field at `coordinate` (e.g. `Account.transactions`), as
   * coerced by GraphQL, break. A cursor's signature is checked here; whether it was issued for the
   * account the field is asked of can only be checked at the field.
   */
  check(coordinate: string, values: Record<string, unknown>): ArgumentViolation[] {
    const Class = ARGUMENT_CLASSES[coordinate];
    if (!Class) return [];
    const args = Object.assign(new Class(), values);
    const violations = findViolations(args, this.limits);
    if (violations.length === 0 && args instanceof TransactionsArgs && args.after != null) {
      if (this.codec.verify(listScopeOf(args), args.after) === null) violations.push(UNSIGNED_CURSOR);
    }
    return violations;
  }
}

function toViolations(error: ValidationError): ArgumentViolation[] {
  return Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
    argument: error.property,
    rule,
    message,
  }));
}
