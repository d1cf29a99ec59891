/**
 * The built service as a child process, as `npm start` runs it: for tests of signals, exit codes
 * and start-up messages. Call `ensureBuilt()` (./build) first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { MAIN, ROOT } from './build';

export interface ChildService {
  process: ChildProcess;
  /** Resolves with the base URL once the service logs that it listens. */
  listening: Promise<string>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** Resolves once standard error contains `text`. */
  stderrContaining(text: string, timeoutMs?: number): Promise<string>;
  /** Standard output's JSON log lines, parsed. */
  logLines(): Record<string, unknown>[];
}

/** Runs `node dist/server/main.js` with only `env` (plus PATH) as its environment. */
export function spawnService(env: Record<string, string>): ChildService {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logLines = (): Record<string, unknown>[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const listening = new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const line = logLines().find((l) => l.msg === 'service listening');
      if (line) resolve(String(line.url));
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) =>
      reject(new Error(`the service exited (code ${code}) before listening:\n${stderr}`)),
    );
  });
  listening.catch(() => undefined);

  const stderrContaining = async (text: string, timeoutMs = 10_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    while (!stderr.includes(text)) {
      if (Date.now() > until) throw new Error(`stderr never contained ${JSON.stringify(text)}:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return stderr;
  };

  return {
    process: child,
    listening,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    stderrContaining,
    logLines,
  };
}
