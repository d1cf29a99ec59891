/**
 * Argument validation, switched on once for the whole schema (type-graphql's `validateFn`): the
 * class-validator rules on the argument classes, then the rules that depend on settings. Every
 * failure is a BAD_USER_INPUT error naming the argument and the rule, thrown before the resolver
 * runs, so no upstream call is made for input we can reject ourselves.
 */
import { validateSync, type ValidationError } from 'class-validator';
import { spanDays } from './dates';
import { ArgumentError, type ArgumentViolation } from './errors';
import { TransactionsArgs } from './types/args';

/** Argument limits, from settings. */
export interface ArgumentLimits {
  /** Longest `transactions(from, to)` span a caller may ask for, inclusive days (contract: 366). */
  maxSpanDays: number;
  /** Longest range the upstream accepts in one call; wider coalesced ranges are split. */
  upstreamMaxSpanDays: number;
}

/** Every rule `args` breaks; empty when it is valid. */
export function findViolations(args: object, limits: ArgumentLimits): ArgumentViolation[] {
  const violations = validateSync(args, { skipMissingProperties: true, forbidUnknownValues: false }).flatMap(
    toViolations,
  );
  if (
    args instanceof TransactionsArgs &&
    violations.length === 0 &&
    spanDays(args.from, args.to) > limits.maxSpanDays
  ) {
    violations.push({
      argument: 'to',
      rule: 'maxSpanDays',
      message: `Arguments "from" and "to" must span at most ${limits.maxSpanDays} days (both inclusive).`,
    });
  }
  return violations;
}

/** type-graphql's `validateFn`. */
export function createArgumentValidator(limits: ArgumentLimits) {
  return (argValue: unknown): void => {
    if (argValue === null || typeof argValue !== 'object') return;
    const violations = findViolations(argValue, limits);
    if (violations.length > 0) throw new ArgumentError(violations);
  };
}

function toViolations(error: ValidationError): ArgumentViolation[] {
  return Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
    argument: error.property,
    rule,
    message,
  }));
}
