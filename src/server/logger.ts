import pino, { type DestinationStream, type Logger } from 'pino';
import { Redactor } from './redact';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Exact values that must never appear in a line (the app key, the secret, the cursor secret). */
  secrets?: readonly (string | null | undefined)[];
  /**
   * More exact values, asked for at every line: the current request's token and phone number. Called
   * synchronously inside the logging call, so it can read request-scoped state.
   */
  currentSecrets?: () => readonly (string | null | undefined)[];
  /** Where lines go; standard output by default. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

/**
 * A JSON logger whose every line passes one chokepoint before it is written: the finished line is
 * parsed and redacted as a whole (see `redact.ts`), so the message, child bindings, serialized
 * errors (message, stack, cause) and any nested field are covered, whoever logged them.
 */
export function createLogger({ level, secrets = [], currentSecrets, destination }: LoggerOptions): Logger {
  const redactor = new Redactor(secrets);
  // One redactor per request (its token and phone added), built at its first log line, not at every line.
  const perRequest = new WeakMap<readonly unknown[], Redactor>();
  const redactorFor = (current: readonly unknown[] | undefined): Redactor => {
    if (!current || current.length === 0) return redactor;
    let found = perRequest.get(current);
    if (!found) {
      const extra = current.filter((s): s is string => typeof s === 'string');
      found = extra.length > 0 ? new Redactor([...secrets, ...extra]) : redactor;
      perRequest.set(current, found);
    }
    return found;
  };
  const redactLine = (line: string): string => {
    const scrubber = redactorFor(currentSecrets?.());
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
      hooks: { streamWrite: redactLine },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
