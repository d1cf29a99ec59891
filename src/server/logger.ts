import pino, { type DestinationStream, type Logger } from 'pino';
import { Redactor } from './redact';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Exact values that must never appear in a line (the app key, the secret, the cursor secret). */
  secrets?: readonly (string | null | undefined)[];
  /** Where lines go; standard output by default. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

/** A request's own secrets, kept on its logger (and so on every child of it) under this key. */
const REQUEST_SECRETS = Symbol('request secrets');

/** The secrets of one request's logger, and the redactor built from them (again when they grow). */
interface RequestSecrets {
  readonly values: readonly string[];
  redactor?: Redactor;
  /** How many of `values` the redactor was built with. */
  builtWith: number;
}

type WithRequestSecrets = Logger & { [REQUEST_SECRETS]?: RequestSecrets };

/**
 * A JSON logger whose every line passes one chokepoint before it is written: the finished line is
 * parsed and redacted as a whole (see `redact.ts`), so the message, child bindings, serialized
 * errors (message, stack, cause) and any nested field are covered, whoever logged them. A line
 * logged through a {@link requestLogger} (or a child of one) also loses that request's own
 * secrets: its token and phone number.
 */
export function createLogger({ level, secrets = [], destination }: LoggerOptions): Logger {
  const redactor = new Redactor(secrets);
  const redactorOf = (held: RequestSecrets | undefined): Redactor => {
    if (!held || held.values.length === 0) return redactor;
    if (!held.redactor || held.builtWith !== held.values.length) {
      held.redactor = new Redactor([...secrets, ...held.values]);
      held.builtWith = held.values.length;
    }
    return held.redactor;
  };
  // pino calls `mixin` with the logger of the line first, then serializes the line and hands it to
  // `streamWrite`, synchronously, within the same logging call: the mixin picks the redactor of the
  // line's request (read off its logger, no async context needed), the hook uses it.
  let current = redactor;
  const redactLine = (line: string): string => {
    const scrubber = current;
    current = redactor;
    try {
      return `${JSON.stringify(scrubber.value(JSON.parse(line)))}\n`;
    } catch {
      return scrubber.text(line);
    }
  };
  return pino(
    {
      level,
      base: { service: 'woori-graphql' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: (_line, _level, logger) => {
        current = redactorOf((logger as WithRequestSecrets)[REQUEST_SECRETS]);
        return NOTHING;
      },
      // The mixin adds nothing to the line: keep the line's own object, uncopied.
      mixinMergeStrategy: (line) => line,
      hooks: { streamWrite: redactLine },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const NOTHING = Object.freeze({});

/**
 * The logger of one request: a child of `logger` (made by {@link createLogger}) with `bindings`,
 * whose lines, and those of its children, lose the values in `secrets` too. `secrets` is read as it
 * is at each line, so values added to it later (the phone number, once the headers are read)
 * count from then on.
 */
export function requestLogger(
  logger: Logger,
  bindings: Record<string, unknown>,
  secrets: readonly string[],
): Logger {
  const child = logger.child(bindings) as WithRequestSecrets;
  child[REQUEST_SECRETS] = { values: secrets, builtWith: 0 };
  return child;
}
