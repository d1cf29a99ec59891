/**
 * The child side of a benchmark target: its options arrive as JSON in the first argument, it
 * announces where it listens over the IPC channel, and it closes on SIGTERM, SIGINT or when the
 * parent goes away (so that no target outlives a benchmark that crashed).
 */

/** What a target sends its parent once it serves. */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  detail?: Record<string, unknown>;
}

/** The options the parent passed as the first argument (a JSON object). */
export function childOptions<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('A benchmark target needs its options as a JSON argument');
  return JSON.parse(raw) as T;
}

export function announceReady(url: string, detail?: Record<string, unknown>): void {
  const message: ReadyMessage = { type: 'ready', url, detail };
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
}

/** Runs `close` once on the first stop signal, then exits: 0 when it closed cleanly. */
export function closeOnStop(close: () => Promise<void>): void {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

/** Runs a target's start-up; a failure is printed and ends the process with code 1. */
export function runTarget(start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
