/**
 * The contract's scalars. Each one checks what it lets in (`parseValue`, `parseLiteral`) and what
 * it sends out (`serialize`), so a float can never pass for a Decimal nor `2019-02-30` for a Date.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isIsoDate } from './dates';

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function stringScalar(
  name: string,
  description: string,
  isValid: (value: string) => boolean,
  rule: string,
): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !isValid(value)) {
      throw new GraphQLError(`${name} must be ${rule}; got ${JSON.stringify(value)?.slice(0, 40)}.`);
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING)
        throw new GraphQLError(`${name} must be ${rule}, written as a string.`, { nodes: ast });
      return check(ast.value);
    },
  });
}

export const DecimalScalar = stringScalar(
  'Decimal',
  'Exact decimal number, sent as a JSON string: "71888", "100.5", "123456789012345678". Never a float.',
  (v) => DECIMAL.test(v),
  'an exact decimal number in a string, like "71888" or "100.5"',
);

export const DateScalar = stringScalar(
  'Date',
  'Calendar date, ISO 8601: "2019-01-10".',
  isIsoDate,
  'a calendar date written YYYY-MM-DD, like "2019-01-10"',
);

export const DateTimeScalar = stringScalar(
  'DateTime',
  'Instant with offset, ISO 8601, in Korea Standard Time: "2019-01-10T10:56:55+09:00".',
  (v) => DATE_TIME.test(v) && isIsoDate(v.slice(0, 10)),
  'an ISO 8601 date and time with offset, like "2019-01-10T10:56:55+09:00"',
);
